from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.search import search_query

from .models import ArticleFeedback, CategoryPage


class _KnownCategories(forms.models.ModelChoiceIterator):
    """The category choices from the categories the view already read (no query to render);
    a submitted choice is still checked against the field's queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for category in self.field.known_categories:
            yield self.choice(category)

    def __len__(self):
        return len(self.field.known_categories) + (self.field.empty_label is not None)


def _category_label(category) -> str:
    """Indented by depth, in the reader's language (`shown`, from the category index)."""
    return "— " * max(0, category.depth - 4) + getattr(category, "shown", category).title


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the knowledge base"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "maxlength": settings.KB_SEARCH_MAX_LENGTH,
            }
        ),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        queryset=CategoryPage.objects.none(),
        empty_label=_("All categories"),
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, categories=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        categories = sorted(categories, key=lambda c: c.path)
        field = self.fields["category"]
        field.known_categories = categories
        field.iterator = _KnownCategories
        field.queryset = CategoryPage.objects.filter(pk__in=[c.pk for c in categories]).order_by(
            "path"
        )
        self.fields["category"].label_from_instance = _category_label
        self.fields["tag"].choices = [("", _("All tags")), *((t, t) for t in tags)]

    def clean_q(self):
        # Over-long input is cut, not refused: a pasted paragraph still searches.
        return search_query(self.cleaned_data["q"], max_length=settings.KB_SEARCH_MAX_LENGTH)


class FeedbackForm(forms.ModelForm):
    helpful = forms.TypedChoiceField(
        label=_("Was this article helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = ArticleFeedback
        fields = ["helpful", "comment"]
        labels = {"comment": _("What was missing or wrong? (optional)")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["helpful"] = "yes" if self.instance.helpful else "no"
