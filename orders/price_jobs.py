"""The price-list import as a background job (jobs.services): the preview and the write of
orders.price_import, run by Celery (orders.tasks.price_import_job_task) instead of inside the
admin screen's request."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jobs import services as jobs

from .models import PriceList
from .price_import import PriceFileError, price_list_apply, price_list_preview, read_rows

KIND = "price_import"


def allowed(user) -> bool:
    """Whoever keeps the prices (the admin screen's right)."""
    return user.is_active and user.has_perm("orders.change_pricelistitem")


def _price_list(job) -> PriceList:
    price_list = PriceList.objects.filter(pk=job.params.get("price_list")).first()
    if price_list is None:
        raise jobs.JobFailed(_("The price list no longer exists."))
    return price_list


def _rows(job, data: bytes):
    try:
        return read_rows(job.filename, data)
    except PriceFileError as error:
        raise jobs.JobFailed(str(error)) from error


def preview(*, job, data: bytes, progress) -> dict:
    price_list = _price_list(job)
    progress(10)
    rows = _rows(job, data)
    progress(50)
    found = price_list_preview(price_list=price_list, rows=rows)
    progress(90)
    return {
        "price_list": str(price_list),
        "added": len(found.added),
        "changed": len(found.changed),
        "unchanged": found.unchanged,
        "changes": [
            {
                "line": c.line,
                "sku": c.product.sku,
                "name": c.product.name,
                "old": None if c.old is None else str(c.old),
                "new": str(c.new),
            }
            for c in found.changes[: jobs.PREVIEW_ROWS]
        ],
        "total": len(found.changes),
        "errors": [[line, str(message)] for line, message in found.errors],
        "can_apply": bool(found.changes) and not found.errors,
    }


def apply(*, job, data: bytes, progress) -> dict:
    """Write the prices (inside the job's transaction); the file is checked again against the
    prices of now, and any error writes nothing."""
    price_list = _price_list(job)
    rows = _rows(job, data)
    progress(30)
    result = price_list_apply(price_list=price_list, rows=rows)
    if result.errors:
        raise jobs.JobFailed(
            _("The file no longer matches the catalogue; nothing was written."), result.errors
        )
    progress(95)
    return {
        "written": len(result.changes),
        "message": _("%(list)s: %(n)s prices written.")
        % {"list": price_list, "n": len(result.changes)},
    }


def price_import_job_create(*, user, price_list: PriceList, name: str, data: bytes):
    return jobs.job_create(
        kind=KIND, user=user, name=name, data=data, params={"price_list": price_list.pk}
    )


def register() -> None:
    from .tasks import price_import_job_task

    jobs.register_kind(
        KIND,
        preview=preview,
        apply=apply,
        allowed=allowed,
        task=price_import_job_task,
        template="orders/admin/price_import_result.html",
        title=gettext_lazy("Import a price list"),
        back_url=lambda job: reverse("orders_price_import"),
        confirm_label=lambda result: (
            ngettext("Write %(n)s price", "Write %(n)s prices", result.get("total", 0))
            % {"n": result.get("total", 0)}
        ),
    )
