"""Translating pages in tests the way an editor does ("Translate" in the admin)."""

from wagtail.models import Locale


def translate(page, *, live: bool = True, language: str = "ru", **fields):
    """A translation of `page` (its parents translated too) with `fields` set; published
    when `live`, otherwise a draft as a translator leaves it."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    revision = copy.save_revision()
    if live:
        revision.publish()
    copy.refresh_from_db()
    return copy
