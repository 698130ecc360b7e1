"""The error half of `/openapi.json`: every status an operation can answer, with its body.

CAD vendors generate clients from the document, and schemathesis checks the service
against it, so an answer the document does not declare is a contract bug even when the
answer itself is right. Errors come from layers the routes never see (the NUL guard in
the middleware, body limits, auth, the rate limiter, the start-up window), so they are
added here once, for every operation, rather than repeated in each route:

- every operation: 400 (bad JSON, or a NUL character in the URL) and 422 (a query
  parameter the operation does not take: refused, never ignored);
- operations behind a key: 401, 403, 429 (with `Retry-After`) and 503 (starting up);
- operations with a body: 413, 415 and 422;
- operations with a path parameter: 404.

Every 4xx/5xx without its own body schema gets the one error body the service sends:
`{"message", "detail", "request_id"}` (FastAPI's default 422 schema, `detail` as a list,
does not describe the 422s that name a field in `message` with `detail` a string).
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "description": "An error a person can act on: `message` names the field or the cause.",
    "required": ["message", "detail", "request_id"],
    "properties": {
        "message": {"type": "string"},
        "detail": {"description": "the message again, or validation errors "
                                  "(`loc`, `msg`, `type`; never the rejected input)"},
        "request_id": {"type": ["string", "null"],
                       "description": "quote it when reporting a problem"},
    },
}
_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
_RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying",
                                "schema": {"type": "string"}}}

_EVERYWHERE = {"400": "malformed request: the body is not JSON, or the URL holds a NUL "
                      "character",
               "422": "a parameter is invalid or unknown; `message` names it"}
_SECURED = {
    "401": "missing or unknown API key",
    "403": "the key's role may not do this",
    "429": "this key is over its rate limit (FIFTHBRANCH_RATE_LIMIT); see Retry-After",
    "503": "the service is starting, or cannot do this right now; see Retry-After",
}
_WITH_BODY = {
    "413": "the body is over the size limit",
    "415": "the body is not sent as application/json",
    "422": "a field is invalid; `message` names it",
}
_WITH_PATH_PARAMETER = {"404": "no such item"}


#: What the service reads as a questionnaire answer: README "answers are read
#: case-insensitively (`YES`, ` no `), and an empty cell is `unknown`", and null too.
#: (`\\s` plus the separators Python's `str.strip` also removes.)
_SPACE = r"[\s\u001c-\u001f\u0085]*"
ANSWER_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "enum": ["yes", "no", "unknown"]},
        {"type": "string",
         "pattern": f"^{_SPACE}([Yy][Ee][Ss]|[Nn][Oo]|[Uu][Nn][Kk][Nn][Oo][Ww][Nn])?{_SPACE}$"},
        {"type": "null"},
    ],
    "default": "unknown",
    "description": "yes, no or unknown (case and surrounding spaces ignored; empty or null "
                   "means unknown)",
}


def document_answers(schema: dict[str, Any]) -> None:
    """Describe questionnaire answers as leniently as they are read (in place)."""
    questionnaire = schema.get("components", {}).get("schemas", {}).get("Questionnaire", {})
    for name, prop in questionnaire.get("properties", {}).items():
        if prop.get("enum") == ["yes", "no", "unknown"]:
            questionnaire["properties"][name] = {**ANSWER_SCHEMA, "title": prop.get("title")}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error responses and the Error schema to a generated document (in place),
    and describe questionnaire answers as they are read."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    document_answers(schema)
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            expected = dict(_EVERYWHERE)
            if operation.get("security"):
                expected.update(_SECURED)
            if "requestBody" in operation:
                expected.update(_WITH_BODY)
            if "{" in path:
                expected.update(_WITH_PATH_PARAMETER)
            responses = operation["responses"]
            for code, description in expected.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if not code.startswith(("4", "5")):
                    continue
                schema_ref = (response.get("content", {}).get("application/json", {})
                              .get("schema", {}).get("$ref", ""))
                if "content" not in response or schema_ref.endswith("/HTTPValidationError"):
                    response["content"] = _ERROR_CONTENT
                if code in ("429", "503"):
                    response.setdefault("headers", {}).update(_RETRY_AFTER)
    return schema
