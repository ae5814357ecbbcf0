"""What every write of /api/v1/ shares: strict bodies, ETag / If-Match, refusals, the audit row.

Writes go through the apps' own services (their validation, their transactions); this module
only turns HTTP into their arguments and their answers into problem+json.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from franchise import access
from franchise.audit import Action, audit_record
from integration import selectors

from .auth import key_of
from .errors import Conflict, PreconditionFailed, RightMissing

#: The audit action of every write made through the API (details say which one).
AUDIT_ACTION = "api_write"

IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A retry with the same key and body creates nothing new and gets the first "
    "answer back; the same key with another body is a 409.",
)
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the detail GET. A stale one is a 412; none at all a 428.",
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag of the detail GET: if given and stale, the change is refused (412).",
)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy("Send If-Match with the ETag of the object you read.")
    default_code = "precondition_required"


class StrictSerializer(serializers.Serializer):
    """An input body: a JSON object with only the declared fields (an unknown one is a 400,
    not silently dropped, so a typo in a sync tool is seen at once)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(dict.fromkeys(unknown, [_("Unknown field.")]))
            with_nul = sorted(k for k, v in data.items() if _has_nul(k) or _has_nul(v))
            if with_nul:
                raise serializers.ValidationError(
                    dict.fromkeys(with_nul, [_("Contains a NUL character.")])
                )
        return super().to_internal_value(data)


def _has_nul(value) -> bool:
    """A NUL character anywhere in a JSON value (PostgreSQL stores no text with one)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def etag_of(data) -> str:
    """A strong ETag of a representation: any change of what a reader sees changes it."""
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def check_if_match(request, current_data, *, required: bool) -> None:
    """412 when If-Match names another version than `current_data`; 428 when it is missing
    and `required` (PUT and PATCH)."""
    header = request.headers.get("If-Match")
    if not header:
        if required:
            raise PreconditionRequired
        return
    tags = _tags(header)
    if "*" not in tags and etag_of(current_data) not in tags:
        raise PreconditionFailed(_("The object changed since you read it: read it again."))


def with_etag(response: Response) -> Response:
    response["ETag"] = etag_of(response.data)
    return response


def refused(error: DjangoValidationError, *, conflict: bool = True):
    """A service said no: 409 (the object's state does not allow it) or 400 (the input)."""
    messages = list(error.messages)
    if conflict:
        exc = Conflict(" ".join(messages))
        exc.errors = {"non_field": messages}
        return exc
    return serializers.ValidationError({"non_field": messages})


def audit_write(request, operation: str, *, unit=None, target: str = "", **details) -> None:
    """The audit row of one API write, in the write's own transaction."""
    key = key_of(request)
    audit_record(
        AUDIT_ACTION,
        actor=request.user,
        unit=unit,
        target=target,
        request=request,
        operation=operation,
        key=key.prefix if key is not None else "session",
        **details,
    )


def unit_or_deny(request, code: str, action: str):
    """A unit named in a body, among those the caller may `action` (a region key: its region);
    another unit answers 404 exactly like one that does not exist."""
    unit = selectors.units_for(user=request.user, key=key_of(request), action=action)
    unit = unit.filter(code=code).first()
    if unit is None:
        access.deny(request, target=f"unit:{code}", action=action)
    return unit


def refuse_right(request, right: str, *, target: str):
    """The caller sees `target` but lacks `right` on its unit: an audit row and a 403."""
    audit_record(
        Action.ACCESS_DENIED,
        actor=request.user,
        request=request,
        target=target,
        path=request.path,
        action=right,
    )
    raise RightMissing(right)
