"""Checklist texts in both interface languages (`<field>_en`, `<field>_ru`); English is the
canonical text and the fallback. Visits show the frozen texts of their version, see
`ChecklistVersion.shown_items`."""

from modeltranslation.translator import TranslationOptions, register

from .models import ChecklistItem, ChecklistTemplate


@register(ChecklistTemplate)
class ChecklistTemplateTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(ChecklistItem)
class ChecklistItemTranslation(TranslationOptions):
    fields = ("section", "text", "guidance")
    required_languages = {"en": ("section", "text")}
