"""Survey texts in both interface languages (`<field>_en`, `<field>_ru`); English is the
fallback. A choice question's English options are the values stored in answers, the Russian
ones only their labels (`Question.option_labels`)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Question, Survey


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("name", "intro", "nps_question")
    required_languages = {"en": ("name", "nps_question")}
    # Only an empty text is "not translated": the default question is a real English text,
    # not a gap to fill from the Russian one.
    fallback_undefined = {"nps_question": ""}


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "choices")
    required_languages = {"en": ("text",)}
