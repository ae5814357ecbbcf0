"""Checklists and photos for the visits tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from visits.models import ChecklistItem, ChecklistTemplate, ItemKind


def make_checklist(slug="store", **kwargs):
    template = ChecklistTemplate.objects.create(
        name=kwargs.pop("name", "Store"), slug=slug, **kwargs
    )
    rows = [
        ("floor", "Hall", "Floor clean", ItemKind.YES_NO, 2, False, False, None, None),
        ("door", "Hall", "Door glass", ItemKind.SCALE, 1, False, False, None, None),
        ("fridge", "Kitchen", "Fridge temperature", ItemKind.NUMBER, 3, True, True, 0, 5),
        ("hands", "Kitchen", "Hand wash", ItemKind.YES_NO, 1, False, True, None, None),
    ]
    for i, (key, section, text, kind, weight, critical, photo, low, high) in enumerate(rows):
        ChecklistItem.objects.create(
            template=template,
            sort_order=i,
            key=key,
            section=section,
            text=text,
            kind=kind,
            weight=weight,
            critical=critical,
            photo_when_failed=photo,
            pass_min=low,
            pass_max=high,
            guidance=f"Check the {key}.",
        )
    return template


def photo(name="p.jpg", size=(40, 30), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
