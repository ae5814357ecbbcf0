"""Schema post-processing: every operation documents its problem+json error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERRORS = {
    "400": "Invalid parameters or body",
    "401": "No or invalid credentials",
    "403": "No scope or right for this",
    "404": "Not found (or another unit's)",
    "429": "Too many requests",
}
#: What writes add: a refusal by the object's state, a stale or a missing If-Match.
WRITE_ERRORS = {
    "409": "Refused by the object's state (or the Idempotency-Key was used for another body)",
    "412": "If-Match names an older version: read the object again",
    "415": "The body is not JSON",
}
UPDATE_ERRORS = {"428": "If-Match is missing"}
PROBLEM = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["type", "title", "status", "detail"],
}


def add_problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            errors = dict(ERRORS)
            if method in ("post", "put", "patch"):
                errors.update(WRITE_ERRORS)
            if method in ("put", "patch"):
                errors.update(UPDATE_ERRORS)
            for code, text in errors.items():
                responses.setdefault(
                    code,
                    {"description": text, "content": {"application/problem+json": {"schema": ref}}},
                )
    return result


def only_api(endpoints):
    """The schema describes /api/v1/ only (not Wagtail's admin API)."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


class KeyScheme(OpenApiAuthenticationExtension):
    target_class = "integration.api.auth.KeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Api-Key <key>",
        }
