"""Report template texts in both interface languages (`<field>_en`, `<field>_ru`); English is
the canonical text and the fallback. A choice field's English options are the values stored in
answers, the Russian ones only their labels. Reports show the frozen texts of their version,
see `reporting.models.localise_definitions`."""

from modeltranslation.translator import TranslationOptions, register

from .models import ReportField, ReportTemplate


@register(ReportTemplate)
class ReportTemplateTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(ReportField)
class ReportFieldTranslation(TranslationOptions):
    fields = ("label", "help_text", "unit", "choices")
    required_languages = {"en": ("label",)}
