from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from franchise.models import Membership, Region, Role
from portal.translations import default_locale_q, translations_of

from .models import CoursePage


class AssignmentForm(forms.Form):
    """Assign a course to units (or one region of them), some roles, or one person."""

    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(), label=_("Course"), empty_label=_("Choose a course")
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    units = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Units"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        label=_("or every unit of a region"),
        empty_label=_("No region"),
        help_text=_("Only the units you may assign to."),
    )
    roles = forms.MultipleChoiceField(
        choices=[(Role.OWNER, Role.OWNER.label), (Role.MEMBER, Role.MEMBER.label)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Roles"),
        help_text=_("Leave empty for everyone in the unit, including people who join later."),
    )
    person = forms.CharField(
        required=False, label=_("or one person (login or e-mail)"), max_length=150
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_units = units
        self.fields["units"].queryset = units.order_by("code")
        courses = CoursePage.objects.live().filter(default_locale_q()).order_by("title")
        titles = {}
        if get_language() != settings.LANGUAGE_CODE:  # (translations_of reads the pages)
            titles = {pk: p.title for pk, p in translations_of(courses, CoursePage).items()}
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda c: titles.get(c.pk, c.title)

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_on

    def clean(self):
        data = super().clean()
        units = list(data.get("units") or [])
        if data.get("region"):
            units += list(self.allowed_units.filter(region=data["region"]))
        if not units and not self.errors:
            raise forms.ValidationError(_("Choose at least one unit or a region."))
        data["target_units"] = list({u.pk: u for u in units}.values())
        data["user"] = None
        person = (data.get("person") or "").strip()
        if person:
            user = (
                get_user_model()
                .objects.filter(Q(username__iexact=person) | Q(email__iexact=person))
                .first()
            )
            if (
                user is None
                or not Membership.objects.filter(
                    user=user, unit__in=[u.pk for u in data["target_units"]]
                ).exists()
            ):
                self.add_error("person", _("Nobody with this login works in the chosen units."))
            data["user"] = user
        return data
