"""The committed Russian catalogues (the project's and each app's own) are compiled and current
(a fresh machine has no msgfmt)."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/ru/LC_MESSAGES/django.po")) + [
    Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent))
def test_russian_catalogue_is_compiled_and_complete(po_path):
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e for e in mo}
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    assert untranslated == [], f"untranslated: {untranslated[:10]}"
    assert po.fuzzy_entries() == []
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"not compiled: {entry.msgid!r}"
        assert compiled[(entry.msgctxt, entry.msgid)].msgstr == entry.msgstr or entry.msgid_plural
