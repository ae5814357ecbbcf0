from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ..documents.forms import _file_help
from ..documents.validation import check_upload
from ..models import Membership, Role, UnitRequest, UnitTask


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class CheckedFilesField(forms.FileField):
    """Several files, each checked like a document upload (content, size, no HTML)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data] if data else []
        checked = []
        for upload in files:
            upload = single(upload, initial)
            if upload:
                checked.append(check_upload(upload))
        if len(checked) > 10:
            raise forms.ValidationError(_("At most 10 files at a time."))
        return checked


def _unit_people(unit):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(unit=unit, role__in=[Role.OWNER, Role.MEMBER]).values(
                "user_id"
            ),
        )
        .order_by("full_name", "username")
    )


class DateInput(forms.DateInput):
    input_type = "date"


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=None,
        required=False,
        empty_label=_("Nobody in particular"),
    )
    checklist = forms.CharField(
        label=_("Checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line."),
    )
    attachments = CheckedFilesField(label=_("Attachments"), required=False)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _unit_people(unit)
        self.fields["attachments"].help_text = _file_help()

    def clean_checklist(self):
        lines = [line.strip()[:255] for line in self.cleaned_data["checklist"].splitlines()]
        return [line for line in lines if line][:50]


class TaskEditForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=None,
        required=False,
        empty_label=_("Nobody in particular"),
    )
    checklist_add = forms.CharField(
        label=_("Add checklist items"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line."),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = _unit_people(unit)

    def clean_checklist_add(self):
        lines = [line.strip()[:255] for line in self.cleaned_data["checklist_add"].splitlines()]
        return [line for line in lines if line][:50]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"))

    def __init__(self, *args, moves, choices, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(choices)
        self.fields["status"].choices = [(m, labels[m]) for m in moves]


class WorkCommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = CheckedFilesField(label=_("Attach files"), required=False)
    answer = forms.BooleanField(label=_("This answers the request"), required=False)

    def __init__(self, *args, with_files=False, with_answer=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_files:
            self.fields["attachments"].help_text = _file_help()
        else:
            del self.fields["attachments"]
        if not with_answer:
            del self.fields["answer"]
        else:
            self.fields["answer"].initial = True


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitRequest.Kind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Details"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ListFilterForm(forms.Form):
    STATUSES = [
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("all", _("All")),
    ]
    status = forms.ChoiceField(label=_("Show"), choices=STATUSES, required=False)

    def status_value(self) -> str:
        value = self.cleaned_data.get("status") if self.is_valid() else ""
        value = value or "open"
        return "" if value == "all" else value


TASK_STATUS_CHOICES = UnitTask.Status.choices
REQUEST_STATUS_CHOICES = UnitRequest.Status.choices
