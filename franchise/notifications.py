"""Notifications: one in-app notice per person, and e-mail as each person prefers.

Apps declare their kinds with `register_kind` (in AppConfig.ready) and call `notify` inside
their own transaction. The notices are rows written in that transaction; the e-mail is queued
with `delay_on_commit`, so a rolled-back change never sends anything, and each notice is
e-mailed at most once (`Notification.emailed_at`). People choose per kind: immediately, in a
daily digest, or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationMode, NotificationPreference

Mode = NotificationMode


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default_mode: str


_kinds: dict[str, Kind] = {}


def register_kind(key: str, label, *, default_mode: str = Mode.IMMEDIATE) -> None:
    """Declare a kind of notification, shown by name on the preferences page."""
    _kinds[key] = Kind(key, label, default_mode)


def kind_of(key: str) -> Kind:
    """The registered kind, or a generic one: an undeclared kind still works."""
    return _kinds.get(key) or Kind(key, _("Other notices"), Mode.IMMEDIATE)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: str(k.label))


for _key, _label in [
    ("report", _("Reports")),
    ("training", _("Training")),
    ("task", _("Tasks")),
    ("request", _("Requests")),
    ("document", _("Documents")),
    ("news", _("News")),
]:
    register_kind(_key, _label)


def modes_for(users: Iterable, kind: str) -> dict[int, str]:
    """{user_id: mode} for `kind`, in one query."""
    user_ids = [u.pk for u in users]
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "mode"
        )
    )
    default = kind_of(kind).default_mode
    return {pk: chosen.get(pk, default) for pk in user_ids}


@dataclass
class Notice:
    """One message to some people; title and body are made text at once (in the language
    active where the notice is written)."""

    recipients: Iterable
    title: str
    body: str = ""
    url: str = ""
    unit: object = None

    def __post_init__(self):
        self.title, self.body = str(self.title), str(self.body)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    unit=None,
) -> list[Notification]:
    """Create one notice per active recipient (duplicates and None dropped); e-mail after commit.

    Runs a fixed number of queries whatever the number of recipients.
    """
    return notify_many(kind=kind, notices=[Notice(recipients, title, body, url, unit)])


def notify_many(*, kind: str, notices: Iterable[Notice]) -> list[Notification]:
    """`notify` for many notices of one kind at once (e.g. a reminder to every late unit).

    A fixed number of queries whatever the number of notices and recipients: one for the
    recipients' preferences, one insert, one e-mail job queued after commit.
    """
    planned = []
    for notice in notices:
        recipients = notice.recipients
        if isinstance(recipients, QuerySet):
            recipients = list(recipients)
        seen = set()
        for user in recipients:
            if user is not None and user.is_active and user.pk not in seen:
                seen.add(user.pk)
                planned.append((user, notice))
    if not planned:
        return []
    modes = modes_for({user.pk: user for user, _notice in planned}.values(), kind)
    now = timezone.now()
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [
                Notification(
                    user=user,
                    unit=notice.unit,
                    kind=kind,
                    title=notice.title[:255],
                    body=notice.body,
                    url=notice.url[:500],
                    created_at=now,
                    email_mode=modes[user.pk] if user.email else Mode.OFF,
                )
                for user, notice in planned
            ]
        )
        immediate = [n.pk for n in created if n.email_mode == Mode.IMMEDIATE]
        if immediate:
            from .tasks import send_notification_emails

            send_notification_emails.delay_on_commit(immediate)
    return created


# Reading and marking -------------------------------------------------------------------


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("unit")


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notices (or all when no id is given) read; returns how many."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


def preferences_of(user) -> list[dict]:
    """[{kind, label, mode}] for every registered kind, with the user's choice or the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return [
        {"kind": k.key, "label": k.label, "mode": chosen.get(k.key, k.default_mode)}
        for k in kinds()
    ]


@transaction.atomic
def preferences_save(*, user, modes: dict[str, str]) -> None:
    valid = set(Mode.values)
    for kind, mode in modes.items():
        if mode not in valid:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"mode": mode}
        )


# E-mail -------------------------------------------------------------------------------


def _full_url(url: str) -> str:
    if url.startswith("/"):
        return settings.PORTAL_BASE_URL.rstrip("/") + url
    return url


def send_immediate(notification_ids: list[int]) -> int:
    """E-mail the given notices not yet e-mailed; claims each row first so it goes once."""
    sent = 0
    pending = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True, email_mode=Mode.IMMEDIATE
    ).select_related("user", "unit")
    for notification in pending:
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        user = notification.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "notification": notification,
                "user": user,
                "url": _full_url(notification.url),
                "preferences_url": _full_url(reverse("notifications:preferences")),
            }
            subject = render_to_string("email/notification_subject.txt", context).strip()
            body = render_to_string("email/notification.txt", context)
        send_mail(subject, body, None, [user.email])
        sent += 1
    return sent


def send_digests(*, now=None) -> int:
    """One e-mail per person with their digest notices not yet e-mailed; safe to run twice."""
    now = now or timezone.now()
    due = Notification.objects.filter(email_mode=Mode.DIGEST, emailed_at__isnull=True)
    user_ids = list(due.values_list("user_id", flat=True).distinct())
    sent = 0
    users = get_user_model().objects.in_bulk(user_ids)
    for user_id in user_ids:
        user = users[user_id]
        with transaction.atomic():
            items = list(
                due.filter(user_id=user_id)
                .select_for_update(skip_locked=True)
                .order_by("created_at", "pk")
            )
            if not items:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
            if not user.is_active or not user.email:
                continue
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                context = {
                    "user": user,
                    "notifications": [(n, _full_url(n.url)) for n in items],
                    "preferences_url": _full_url(reverse("notifications:preferences")),
                    "centre_url": _full_url(reverse("notifications:list")),
                }
                subject = render_to_string("email/notification_digest_subject.txt", context)
                body = render_to_string("email/notification_digest.txt", context)
            # Sent inside the transaction: if the mail server fails, the marks roll back too.
            send_mail(subject.strip(), body, None, [user.email])
            sent += 1
    return sent
