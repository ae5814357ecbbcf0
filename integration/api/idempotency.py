"""`Idempotency-Key` on POST: a retry with the same key and body gets the first answer back
(nothing new is created); the same key with another body is a 409."""

import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response

from integration.models import IdempotentRequest

from .errors import Conflict


def idempotent(request, run: Callable[[], Response]) -> Response:
    key = request.headers.get("Idempotency-Key")
    if not key:
        return run()
    if len(key) > 255:
        raise serializers.ValidationError({"Idempotency-Key": [_("At most 255 characters.")]})
    body = json.dumps(request.data, sort_keys=True, default=str)
    digest = hashlib.sha256(f"{request.path}\n{body}".encode()).hexdigest()
    try:
        with transaction.atomic():
            stored = (
                IdempotentRequest.objects.select_for_update()
                .filter(user=request.user, key=key)
                .first()
            )
            if stored is not None:
                if stored.body_hash != digest:
                    raise Conflict(_("This Idempotency-Key was used with another request."))
                return Response(
                    stored.body, status=stored.status, headers={"Idempotent-Replayed": "true"}
                )
            response = run()
            if 200 <= response.status_code < 300:
                IdempotentRequest.objects.create(
                    user=request.user,
                    key=key,
                    path=request.path[:500],
                    body_hash=digest,
                    status=response.status_code,
                    body=json.loads(json.dumps(response.data, default=str)),
                )
            return response
    except IntegrityError as error:
        raise Conflict(
            _("A request with this Idempotency-Key is still being processed.")
        ) from error
