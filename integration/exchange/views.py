"""/exchange/1c/: the CommerceML 2 protocol 1C:Enterprise speaks to websites.

1C authenticates with HTTP Basic (any login; the password is an integration key with the
`exchange:write` scope and network rights), gets a session cookie from `mode=checkauth`, asks
`mode=init` for the limits, sends files with `mode=file` (chunks are appended) and polls
`mode=import` until "success" or "failure". `type=sale&mode=query` answers the new orders as
XML, `mode=success` confirms them, `mode=file` brings their statuses back from 1C. Answers
are plain text, as 1C expects.
"""

from __future__ import annotations

import base64
import re
import zipfile

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.utils.crypto import get_random_string
from django.views.decorators.csrf import csrf_exempt

from franchise import access

from ..api.auth import key_from_raw
from ..models import ExchangeJob
from . import commerceml, importer, jobs, sale, statuses

COOKIE = "portal_1c_exchange"
SESSION_MAX_AGE = 3600
SAFE_NAME = re.compile(r"^[\w.\-]{1,100}$")
_salt = "integration.exchange"


def _text(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _failure(reason: str, status: int = 400) -> HttpResponse:
    return _text(f"failure\n{reason}", status)


def _key_from_basic(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _, value = header.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        _login, _, password = base64.b64decode(value).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return key_from_raw(password) if password else None


def _session_key(request):
    """(key, session id) from the checkauth cookie, or None."""
    token = request.COOKIES.get(COOKIE)
    if not token:
        return None
    try:
        data = signing.loads(token, salt=_salt, max_age=SESSION_MAX_AGE)
    except signing.BadSignature:
        return None
    from ..models import IntegrationKey

    key = (
        IntegrationKey.objects.filter(pk=data["key"], revoked=False).select_related("user").first()
    )
    if key is None or key.has_expired or not key.user.is_active:
        return None
    return key, data["session"]


def _allowed(key) -> bool:
    return key.allows("exchange", write=True) and access.has_network_right(key.user)


@csrf_exempt
def exchange(request):
    kind, mode = request.GET.get("type", ""), request.GET.get("mode", "")
    if mode == "checkauth":
        key = _key_from_basic(request)
        if key is None or not _allowed(key):
            return _failure("wrong login or password", 401)
        session = get_random_string(24)
        token = signing.dumps({"key": key.pk, "session": session}, salt=_salt)
        return _text(f"success\n{COOKIE}\n{token}")
    found = _session_key(request)
    if found is None or not _allowed(found[0]):
        return _failure("not authorised: call mode=checkauth first", 401)
    key, session = found
    if kind not in ("catalog", "sale"):
        return _failure("unknown type")
    if mode == "init":
        for old in jobs.session_dir(session).iterdir():  # a new exchange starts from scratch
            old.unlink()
        return _text(f"zip=yes\nfile_limit={settings.EXCHANGE_FILE_LIMIT}")
    if kind == "catalog" and mode == "file":
        return _receive(request, session)
    if kind == "catalog" and mode == "import":
        return _import(request, key, session)
    if kind == "sale" and mode == "file":
        return _sale_file(request, key)
    if kind == "sale" and mode == "query":
        return HttpResponse(
            sale.orders_handed(session=session), content_type="application/xml; charset=utf-8"
        )
    if kind == "sale" and mode == "success":
        sale.orders_confirmed()
        return _text("success")
    return _failure("unknown mode")


def _filename(request) -> str | None:
    name = request.GET.get("filename", "").replace("\\", "/").rsplit("/", 1)[-1]
    return name if SAFE_NAME.match(name) and not name.startswith(".") else None


def _receive(request, session: str) -> HttpResponse:
    if request.method != "POST":
        return _failure("mode=file takes a POST", 405)
    name = _filename(request)
    if name is None:
        return _failure("bad file name")
    target = jobs.session_dir(session) / name
    size = target.stat().st_size if target.exists() else 0
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if size + length > settings.EXCHANGE_FILE_LIMIT:
        return _failure("file too large", 413)
    with open(target, "ab") as out:
        while chunk := request.read(1 << 16):
            size += len(chunk)
            if size > settings.EXCHANGE_FILE_LIMIT:
                return _failure("file too large", 413)
            out.write(chunk)
    return _text("success")


def _import(request, key, session: str) -> HttpResponse:
    name = _filename(request)
    if name is None:
        return _failure("bad file name")
    try:
        job = jobs.job_start(key=key, session=session, filename=name)
    except (importer.PackageInvalid, zipfile.BadZipFile) as error:
        return _failure(str(error))
    job.refresh_from_db()
    if job.status == ExchangeJob.Status.DONE:
        return _text("success")
    if job.status == ExchangeJob.Status.FAILED:
        return _failure(job.error)
    return _text(f"progress\n{job.progress}%")


def _sale_file(request, key) -> HttpResponse:
    """Statuses from 1C, applied in the request: "success", or "failure" and every problem."""
    if request.method != "POST":
        return _failure("mode=file takes a POST", 405)
    if _filename(request) is None:
        return _failure("bad file name")
    limit = settings.EXCHANGE_FILE_LIMIT
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
        return _failure("file too large", 413)
    body = request.read(limit + 1)
    if len(body) > limit:
        return _failure("file too large", 413)
    try:
        documents = statuses.read_statuses(body)
    except (commerceml.PackageError, zipfile.BadZipFile) as error:
        return _failure(str(error))
    errors = statuses.statuses_apply(documents, user=key.user)
    return _failure("\n".join(errors)) if errors else _text("success")
