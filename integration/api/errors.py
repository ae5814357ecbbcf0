"""Every API error as RFC 7807 problem+json: type, title, status, detail, and field errors."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it."
    default_code = "precondition_failed"


class RightMissing(exceptions.PermissionDenied):
    """The caller may see the object but lacks the right the change needs (errors.right)."""

    default_code = "right_missing"

    def __init__(self, right: str):
        super().__init__(
            _("Your rights on this unit do not allow this change (it needs “%(right)s”).")
            % {"right": right}
        )
        self.errors = {"right": [right]}


def problem(status_code: int, code: str, detail, errors=None, headers=None) -> Response:
    body = {
        "type": f"/api/v1/problems/{code}",
        "title": code.replace("_", " ").capitalize(),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM_TYPE, headers=headers)


def problem_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        code, detail = "invalid", _("The request has invalid fields.")
        errors = response.data if isinstance(response.data, dict) else {"non_field": response.data}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail
        errors = getattr(exc, "errors", None)
    else:  # Http404 or PermissionDenied that DRF translated
        code = "not_found" if response.status_code == 404 else "permission_denied"
        detail = response.data.get("detail", "")
    kept = ("WWW-Authenticate", "Retry-After", "Allow")
    headers = {k: v for k, v in response.items() if k in kept}
    return problem(response.status_code, code, detail, errors, headers)
