"""The portal's own activity log: one row per person per day, for the adoption figures.

A row per request would grow with traffic and cost a write on every page; one row per day is
all the adoption figures need ("active in the last 30 days", "active users by month"). The
middleware asks the cache first, so after a person's first request of the day no request
touches the database for this.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.functional import empty
from django.utils.translation import gettext_lazy as _

from . import units


class ActivityDay(models.Model):
    """A person used the portal on `day`, working in `unit` (empty: the franchisor's staff)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activity_days"
    )
    day = models.DateField(_("day"))
    unit = models.ForeignKey(
        "franchise.Franchisee",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity day")
        verbose_name_plural = _("activity days")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_activity_row_per_day")
        ]
        indexes = [models.Index(fields=["day", "unit"], name="activity_day_unit")]

    def __str__(self):
        return f"{self.user_id} {self.day} {self.unit_id}"


class WeeklyDigestLog(models.Model):
    """The weekly network digest went to `user` for the week starting `week`: sent once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_network_digest_per_week")
        ]

    def __str__(self):
        return f"{self.user_id} {self.week}"


def _cache_key(user_id: int, day: date) -> str:
    return f"portal:activity:{user_id}:{day.isoformat()}"


def _seconds_left_today() -> int:
    now = timezone.localtime()
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max(60, int((tomorrow - now).total_seconds()) + 60)


def _unit_id(request) -> int | None:
    """The unit the person works in, without resolving the lazy unit if nobody needed it."""
    lazy = getattr(request, "current_unit", None)
    if lazy is not None and getattr(lazy, "_wrapped", empty) is not empty:
        return lazy.pk if lazy else None
    chosen = request.session.get("current_unit") if hasattr(request, "session") else None
    if chosen:
        return int(chosen)
    return units.directory().first_unit_id(request.user)


def activity_record(*, user, unit_id: int | None, day: date | None = None) -> None:
    """Write the day's row for `user` unless it exists (one INSERT, conflicts ignored)."""
    ActivityDay.objects.bulk_create(
        [ActivityDay(user=user, day=day or timezone.localdate(), unit_id=unit_id)],
        ignore_conflicts=True,
    )


class ActivityMiddleware:
    """Records the first request of each signed-in person each day (cache-guarded)."""

    SKIP_PREFIXES = ("/static/", "/media/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and response.status_code < 400
            and not request.path.startswith(self.SKIP_PREFIXES)
        ):
            day = timezone.localdate()
            if cache.add(_cache_key(user.pk, day), 1, _seconds_left_today()):
                activity_record(user=user, unit_id=_unit_id(request), day=day)
        return response
