"""The bank-statement import as a background job (jobs.services): finance.payments' preview
and write, run by Celery (finance.tasks.statement_import_job_task) instead of in the request.

The same file twice still adds nothing: the write checks the file's SHA-256 and every
payment's fingerprint again inside its transaction (finance.payments.statement_import)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from franchise import access
from jobs import services as jobs
from portal.money import format_money

from .bank_files import StatementFileError
from .payments import statement_import, statement_preview

KIND = "bank_statement"


def allowed(user) -> bool:
    """Finance staff only (the payment pages' right)."""
    return access.keeps_books(user)


def preview(*, job, data: bytes, progress) -> dict:
    progress(10)
    try:
        found = statement_preview(name=job.filename, data=data)
    except StatementFileError as error:
        raise jobs.JobFailed(str(error)) from error
    progress(90)
    before = found.already_imported
    return {
        "file_format": found.file_format,
        "new": len(found.planned),
        "matched": len(found.matched),
        "waiting": len(found.unmatched),
        "recorded": len(found.recorded),
        "foreign": len(found.foreign),
        "total": str(found.total),
        "planned": [
            {
                "line": p.line,
                "paid_on": formats.date_format(p.paid_on, "DATE_FORMAT"),
                "number": p.number,
                "payer_name": p.payer_name,
                "payer_inn": p.payer_inn,
                "unit": p.unit.trading_name if p.unit else "",
                "unit_code": p.unit.code if p.unit else "",
                "invoice": p.invoice.number if p.invoice else "",
                "amount": str(p.amount),
            }
            for p in found.planned[: jobs.PREVIEW_ROWS]
        ],
        "warnings": [[line, str(note)] for line, note in found.warnings[: jobs.PREVIEW_ROWS]],
        "errors": [[line, str(message)] for line, message in found.errors],
        "already_imported": (
            {
                "when": formats.date_format(before.uploaded_at, "DATETIME_FORMAT"),
                "who": str(before.uploaded_by or "—"),
            }
            if before
            else None
        ),
        "can_apply": found.can_apply,
    }


def apply(*, job, data: bytes, progress) -> dict:
    progress(20)
    try:
        found, statement = statement_import(name=job.filename, data=data, user=job.user)
    except StatementFileError as error:
        raise jobs.JobFailed(str(error)) from error
    except ValidationError as error:
        raise jobs.JobFailed(" ".join(error.messages)) from error
    if statement is None:
        if found.already_imported is not None:
            raise jobs.JobFailed(
                _("This file was already imported; importing it again adds nothing.")
            )
        raise jobs.JobFailed(
            _("The file no longer passes the checks; nothing was imported."), found.errors
        )
    progress(95)
    return {
        "new": len(found.planned),
        "matched": len(found.matched),
        "waiting": len(found.unmatched),
        "message": _(
            "%(file)s imported: %(new)s payments (%(matched)s matched, %(waiting)s in the "
            "queue), %(recorded)s already recorded before."
        )
        % {
            "file": job.filename,
            "new": len(found.planned),
            "matched": len(found.matched),
            "waiting": len(found.unmatched),
            "recorded": len(found.recorded),
        },
        "total": format_money(found.total),
    }


def statement_import_job_create(*, user, name: str, data: bytes):
    return jobs.job_create(kind=KIND, user=user, name=name, data=data)


def register() -> None:
    from .tasks import statement_import_job_task

    jobs.register_kind(
        KIND,
        preview=preview,
        apply=apply,
        allowed=allowed,
        task=statement_import_job_task,
        template="finance/payment_import_result.html",
        title=gettext_lazy("Import a bank statement"),
        back_url=lambda job: reverse("finance:payment_import"),
        confirm_label=lambda result: (
            ngettext("Import %(n)s payment", "Import %(n)s payments", result.get("new", 0))
            % {"n": result.get("new", 0)}
        ),
    )
