"""Document category names in both interface languages (`name_en`, `name_ru`): a category is
a label of the interface ("Price lists" / "Прайс-листы"), not something a person wrote.
English is the canonical name and the fallback."""

from modeltranslation.translator import TranslationOptions, register

from .models import DocumentCategory


@register(DocumentCategory)
class DocumentCategoryTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en": ("name",)}
