"""Writes of the document exchange. Rights are checked by the caller through `access`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import access, notifications
from ..audit import Action, audit_record
from ..models import (
    Document,
    DocumentAcknowledgement,
    DocumentAudience,
    DocumentComment,
    DocumentFolder,
    DocumentVersion,
    Franchisee,
    Role,
)
from .validation import CheckedFile


def document_url(document: Document) -> str:
    return reverse("documents:detail", args=[document.pk])


def _search_text(document: Document, version: DocumentVersion | None) -> str:
    parts = [document.title, document.description, " ".join(t.name for t in document.tags.all())]
    if version is not None:
        parts += [version.original_name, version.text]
    return " ".join(p for p in parts if p).lower()


def _store(version: DocumentVersion, checked: CheckedFile) -> None:
    version.file.save(checked.name, ContentFile(checked.data), save=False)


def _new_version(document: Document, checked: CheckedFile, by, note: str = "") -> DocumentVersion:
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type,
        sha256=hashlib.sha256(checked.data).hexdigest(),
        note=note,
        uploaded_by=by,
        text_status=DocumentVersion.TextStatus.PENDING,
    )
    _store(version, checked)
    try:
        version.save()
    except Exception:
        version.file.storage.delete(version.file.name)
        raise
    document.current_version = version
    document.updated_at = timezone.now()
    document.search_text = _search_text(document, version)
    document.save(update_fields=["current_version", "updated_at", "search_text"])
    from ..tasks import extract_document_text

    extract_document_text.delay_on_commit(version.pk)
    return version


def people_of_units(units) -> list:
    """Owners and staff of the given units (a queryset), in one query."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__unit__in=units,
            memberships__role__in=[Role.OWNER, Role.MEMBER],
        )
        .distinct()
    )


def _document_notice(document: Document, *, new_version: bool) -> dict:
    if new_version:
        title = _("New version of “%(title)s”") % {"title": document.title}
    else:
        title = _("New document: %(title)s") % {"title": document.title}
    body = _("Please read it and confirm.") if document.must_read else ""
    return {"kind": "document", "title": title, "body": body, "url": document_url(document)}


def _notify_document(document: Document, version: DocumentVersion, *, by) -> None:
    """Tell the other side of a unit's document now; a library document's audience may be the
    whole network, so its fan-out is a job queued after commit (nothing if the upload fails)."""
    if document.unit_id is None:
        from ..tasks import send_library_notices

        send_library_notices.delay_on_commit(version.pk)
        return
    if document.folder == DocumentFolder.INBOX or access.can(by, "review", document.unit):
        recipients = people_of_units(Franchisee.objects.filter(pk=document.unit_id))
    else:
        recipients = [document.unit.account_manager]
    notifications.notify(
        recipients=[u for u in recipients if u is not None and u.pk != getattr(by, "pk", None)],
        unit=document.unit,
        **_document_notice(document, new_version=version.number > 1),
    )


def library_notices_send(*, version_id: int) -> int:
    """Notices of a new library document or version to every person of its audience.

    Idempotent: the version is claimed (`notices_sent_at`) in the transaction that writes the
    notices, so a second run, or a retry after a crash (acks_late), writes none twice.
    Returns the number of notices written.
    """
    with transaction.atomic():
        claimed = DocumentVersion.objects.filter(
            pk=version_id, document__unit__isnull=True, notices_sent_at__isnull=True
        ).update(notices_sent_at=timezone.now())
        if not claimed:
            return 0
        version = DocumentVersion.objects.select_related("document").get(pk=version_id)
        document = version.document
        recipients = people_of_units(access.document_audience_units(document))
        created = notifications.notify(
            recipients=[u for u in recipients if u.pk != version.uploaded_by_id],
            unit=None,
            **_document_notice(document, new_version=version.number > 1),
        )
    return len(created)


@transaction.atomic
def document_create(
    *,
    unit: Franchisee | None,
    folder: str,
    title: str,
    checked: CheckedFile,
    by,
    description: str = "",
    category=None,
    tags: Iterable[str] = (),
    must_read: bool = False,
    audience: str = DocumentAudience.ALL,
    audience_regions: Iterable = (),
    audience_units: Iterable = (),
    notify: bool = True,
) -> Document:
    """`notify=False` for a document filed as part of an event that sends its own notice (an
    order's invoice), so the reader is not told twice."""
    if unit is None:
        if not access.can_publish_library(by):
            raise PermissionDenied
        folder = DocumentFolder.LIBRARY
    elif folder not in access.document_upload_folders(by, unit):
        raise PermissionDenied
    document = Document.objects.create(
        unit=unit,
        folder=folder,
        title=title,
        description=description,
        category=category,
        must_read=must_read,
        audience=audience if unit is None else DocumentAudience.ALL,
        created_by=by,
    )
    if tags:
        document.tags.set(list(tags))
    if unit is None:
        document.audience_regions.set(audience_regions)
        document.audience_units.set(audience_units)
    version = _new_version(document, checked, by)
    if notify:
        _notify_document(document, version, by=by)
    return document


@transaction.atomic
def document_version_add(
    *, document: Document, checked: CheckedFile, by, note: str = ""
) -> DocumentVersion:
    """A re-upload: the old versions stay; must-read documents ask everyone again."""
    if not access.can_change_document(by, document):
        raise PermissionDenied
    Document.objects.select_for_update().filter(pk=document.pk).first()
    version = _new_version(document, checked, by, note)
    _notify_document(document, version, by=by)
    return version


def document_acknowledge(*, document: Document, user) -> tuple[DocumentAcknowledgement, bool]:
    """Record that `user` read the current version; a second click changes nothing."""
    if not document.must_read or document.current_version_id is None:
        raise PermissionDenied
    try:
        with transaction.atomic():
            return DocumentAcknowledgement.objects.get_or_create(
                version_id=document.current_version_id, user=user
            )
    except IntegrityError:
        return (
            DocumentAcknowledgement.objects.get(version_id=document.current_version_id, user=user),
            False,
        )


@transaction.atomic
def document_comment_add(
    *, document: Document, author, text: str, unit: Franchisee | None
) -> DocumentComment:
    if not access.can_comment_document(author, document, unit):
        raise PermissionDenied
    comment = DocumentComment.objects.create(
        document=document, unit=unit, author=author, text=text.strip()
    )
    if unit is None:
        recipients = (
            people_of_units(Franchisee.objects.filter(pk=document.unit_id))
            if document.unit_id
            else []
        )
    else:
        recipients = [unit.account_manager]
        if document.created_by and document.created_by.pk != author.pk:
            recipients.append(document.created_by)
    notifications.notify(
        recipients=[u for u in recipients if u is not None and u.pk != author.pk],
        kind="document",
        title=_("New comment on “%(title)s”") % {"title": document.title},
        body=comment.text[:500],
        url=document_url(document),
        unit=document.unit or unit,
    )
    return comment


def document_text_extract(*, version_id: int) -> str:
    """Fill the version's text and the document's search column; safe to repeat."""
    from .extraction import extract_text

    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None:
        return "missing"
    extension = version.original_name.rsplit(".", 1)[-1].lower()
    try:
        with version.file.open("rb") as handle:
            text = extract_text(handle.read(), extension)
        status = DocumentVersion.TextStatus.DONE if text else DocumentVersion.TextStatus.NONE
    except Exception:  # a broken file must not break the upload; mark it and move on
        text, status = "", DocumentVersion.TextStatus.FAILED
    with transaction.atomic():
        DocumentVersion.objects.filter(pk=version.pk).update(text=text, text_status=status)
        version.text = text
        document = Document.objects.select_for_update().get(pk=version.document_id)
        if document.current_version_id == version.pk:
            document.search_text = _search_text(document, version)
            document.save(update_fields=["search_text"])
    return status


def document_download_record(*, version: DocumentVersion, request) -> None:
    document = version.document
    audit_record(
        Action.DOWNLOAD,
        actor=request.user,
        unit=document.unit,
        target=f"document:{document.pk}:v{version.number}",
        request=request,
        name=version.original_name,
    )


def orphan_files_delete(*, older_than_hours: int = 24) -> int:
    """Delete stored files no version or attachment points to (left by rolled-back uploads).

    Only the exchange's own folders are swept; recent files are spared, as their upload may
    still be committing.
    """
    import time
    from pathlib import Path

    from django.conf import settings

    from ..models import TaskAttachment

    root = Path(settings.PRIVATE_MEDIA_ROOT)
    referenced = set(DocumentVersion.objects.values_list("file", flat=True))
    referenced |= set(TaskAttachment.objects.values_list("file", flat=True))
    cutoff = time.time() - older_than_hours * 3600
    deleted = 0
    for folder in ("documents", "tasks"):
        base = root / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            name = path.relative_to(root).as_posix()
            if path.is_file() and name not in referenced and path.stat().st_mtime <= cutoff:
                path.unlink()
                deleted += 1
    return deleted
