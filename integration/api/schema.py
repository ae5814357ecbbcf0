"""Schema post-processing: every operation documents its problem+json error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERRORS = {
    "400": "Invalid parameters or body",
    "401": "No or invalid credentials",
    "403": "No scope or right for this",
    "404": "Not found (or another unit's)",
    "429": "Too many requests",
}
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
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
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
