from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DocumentAudience, DocumentCategory, DocumentFolder, Franchisee, Region
from .validation import allowed_extensions_text, check_upload, max_upload_size


class CheckedFileField(forms.FileField):
    """A file field whose cleaned value is the checked file (`validation.CheckedFile`)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None or upload is False:
            return upload
        return check_upload(upload)


def _file_help():
    from django.template.defaultfilters import filesizeformat

    return _("%(types)s; up to %(size)s.") % {
        "types": allowed_extensions_text(),
        "size": filesizeformat(max_upload_size()),
    }


def _tags(value: str) -> list[str]:
    return [t.strip()[:100] for t in value.split(",") if t.strip()][:20]


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    folder = forms.ChoiceField(label=_("Folder"))
    file = CheckedFileField(label=_("File"))
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=DocumentCategory.objects.all(),
        required=False,
        empty_label=_("No category"),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    must_read = forms.BooleanField(
        label=_("Must read: ask the unit to confirm reading"), required=False
    )

    def __init__(self, *args, folders: list[str], can_require_reading: bool, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DocumentFolder.choices)
        self.fields["folder"].choices = [(f, labels[f]) for f in folders]
        self.fields["file"].help_text = _file_help()
        if not can_require_reading:
            del self.fields["must_read"]

    def clean_tags(self):
        return _tags(self.cleaned_data["tags"])


class LibraryDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = CheckedFileField(label=_("File"))
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=DocumentCategory.objects.all(),
        required=False,
        empty_label=_("No category"),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    must_read = forms.BooleanField(
        label=_("Must read: every unit confirms reading"), required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=DocumentAudience.choices,
        initial=DocumentAudience.ALL,
        widget=forms.RadioSelect,
    )
    audience_regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience_units = forms.CharField(
        label=_("Unit codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For chosen units: their codes, separated by commas or spaces."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()

    def clean_tags(self):
        return _tags(self.cleaned_data["tags"])

    def clean_audience_units(self):
        codes = {c for c in self.cleaned_data["audience_units"].replace(",", " ").split() if c}
        units = list(Franchisee.objects.filter(code__in=codes))
        missing = codes - {u.code for u in units}
        if missing:
            raise forms.ValidationError(
                _("Unknown unit codes: %(codes)s.") % {"codes": ", ".join(sorted(missing))}
            )
        return units

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == DocumentAudience.REGIONS and not data.get("audience_regions"):
            self.add_error("audience_regions", _("Choose at least one region."))
        if audience == DocumentAudience.UNITS and not data.get("audience_units"):
            if "audience_units" not in self.errors:
                self.add_error("audience_units", _("Enter at least one unit code."))
        return data


class VersionUploadForm(forms.Form):
    file = CheckedFileField(label=_("New version"))
    note = forms.CharField(label=_("What changed"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _file_help()


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ChoiceField(label=_("On behalf of"), required=False)

    def __init__(self, *args, units=(), allow_franchisor=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.code, u.trading_name) for u in units]
        if allow_franchisor:
            choices.append(("", _("The franchisor")))
        self.fields["unit"].choices = choices
        if len(choices) <= 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = choices[0][0] if choices else ""

    def clean_unit(self):
        """With one possible voice there is nothing to choose (the field is hidden)."""
        value = self.cleaned_data["unit"]
        choices = self.fields["unit"].choices
        if not value and len(choices) == 1:
            return choices[0][0]
        return value


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=DocumentCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    updated_from = forms.DateField(
        label=_("Updated from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    updated_to = forms.DateField(
        label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("updated_from"), data.get("updated_to")
        if start and end and start > end:
            self.add_error("updated_to", _("The end date is before the start date."))
        return data
