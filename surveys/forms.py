"""The answer form (built from the survey's questions) and the results filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QuestionKind, Survey
from .services import TEXT_MAX


class AnswerForm(forms.Form):
    """Radio buttons for the scales, so a phone needs no typing; the service checks every
    value again (a hand-made POST gets the same messages)."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.fields["nps"] = forms.ChoiceField(
            label=survey.nps_question,
            choices=[(str(n), str(n)) for n in range(11)],
            widget=forms.RadioSelect(attrs={"class": "survey-scale"}),
            error_messages={
                "required": _("Choose a whole number from 0 to 10."),
                "invalid_choice": _("Choose a whole number from 0 to 10."),
            },
        )
        for question in survey.questions.all():
            self.fields[f"q-{question.key}"] = self._field(question)

    @staticmethod
    def _field(question):
        common = {"label": question.text, "required": question.required}
        needed = {"required": _("This question needs an answer.")}
        if question.kind == QuestionKind.RATING:
            return forms.ChoiceField(
                choices=[(str(n), str(n)) for n in range(1, 6)],
                widget=forms.RadioSelect(attrs={"class": "survey-scale"}),
                error_messages={**needed, "invalid_choice": _("Choose a rating from 1 to 5.")},
                **common,
            )
        if question.kind == QuestionKind.CHOICE:
            return forms.ChoiceField(
                choices=question.option_labels,
                widget=forms.RadioSelect,
                error_messages={**needed, "invalid_choice": _("Choose one of the options shown.")},
                **common,
            )
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=TEXT_MAX,
            error_messages=needed,
            **common,
        )

    def answers(self) -> dict:
        return {q.key: self.cleaned_data.get(f"q-{q.key}") for q in self.survey.questions.all()}


class FilterForm(forms.Form):
    """Round, region and manager; choices only from what the viewer's results contain."""

    round = forms.TypedChoiceField(label=_("Round"), required=False, coerce=int, empty_value=None)
    region = forms.TypedChoiceField(label=_("Region"), required=False, coerce=int, empty_value=None)
    manager = forms.TypedChoiceField(
        label=_("Manager"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        for name in ("round", "region", "manager"):
            options = sorted(labels[name].items(), key=lambda kv: str(kv[1]))
            if name == "round":
                options = list(labels[name].items())
            self.fields[name].choices = everything + [(str(k), v) for k, v in options]


def parse_filters(params) -> dict:
    """{"round"|"region"|"manager": id or None} from the query string; anything that is not a
    whole number counts as no filter, an unknown id simply matches nothing."""
    filters = {}
    for name in ("round", "region", "manager"):
        raw = (params.get(name) or "").strip()
        filters[name] = int(raw) if raw.isdigit() and len(raw) < 12 else None
    return filters
