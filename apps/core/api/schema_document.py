"""The schema document as a whole, after drf-spectacular has described each operation (POSTPROCESSING_HOOKS):
the info block, the journey's tags, code lists and error answers shared as components, and a composed example
for every main success answer. Per-operation documentation is `doc()` in apps/core/api/schema.py."""

import re
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from apps.core.api.schema import ERROR_CODES, MAIN_EXAMPLE, compose_example, main_success


def _share_error_examples(response: dict, shared: dict) -> None:
    """One example per error code in components/examples, referenced from each answer that can carry it."""
    codes = response.get("x-error-codes")
    content = response.get("content", {}).get("application/json")
    if not codes or content is None:
        return
    for example in content.pop("examples", {}).values():
        code = example["value"]["error"]["code"]
        shared.setdefault(code, {"summary": code, "value": example["value"]})
    content["examples"] = {code: {"$ref": f"#/components/examples/{code}"} for code in codes}


def _share_enums(result: dict) -> None:
    """A long code list (countries, territories, time zones...) is one component, referenced wherever it is used,
    instead of pasted inline: inline copies of a component's values become references to it, and each list named
    in ENUM_NAME_OVERRIDES exists as a component."""
    from django.conf import settings
    from drf_spectacular.plumbing import deep_import_string

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    by_values: dict[frozenset, str] = {}
    for name, component in schemas.items():
        if set(component) <= {"enum", "type", "description"} and len(component.get("enum", [])) >= SHARED_ENUM_MIN:
            by_values.setdefault(frozenset(component["enum"]), name)

    overrides: Any = settings.SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {})
    for name, source in overrides.items():
        values = deep_import_string(source) if isinstance(source, str) else source
        values = values() if callable(values) and not isinstance(values, type) else values
        if isinstance(values, list) and len(values) >= SHARED_ENUM_MIN and frozenset(values) not in by_values:
            schemas.setdefault(name, {"type": "string", "enum": list(values)})
            by_values[frozenset(values)] = name

    def walk(node: Any, own: str | None = None) -> Any:
        if isinstance(node, list):
            return [walk(item, own) for item in node]
        if not isinstance(node, dict):
            return node
        enum = node.get("enum")
        if isinstance(enum, list) and len(enum) >= SHARED_ENUM_MIN:
            name = by_values.get(frozenset(value for value in enum if value not in (None, "")))
            if name and name != own and set(node) - {"enum", "type"} <= {"description", "readOnly", "writeOnly",
                                                                           "nullable", "example"}:
                extras = {key: value for key, value in node.items() if key not in ("enum", "type", "example")}
                reference = {"$ref": f"#/components/schemas/{name}"}
                return {"allOf": [reference], **extras} if extras else reference
        return {key: walk(value, own) for key, value in node.items()}

    for name in list(schemas):
        schemas[name] = walk(schemas[name], own=name)
        _name_enum_members(schemas[name])
    result["paths"] = walk(result.get("paths", {}))


def _name_enum_members(component: dict) -> None:
    """Generators name enum members by upper-casing the value and dropping punctuation: a territory list holds the
    region "us" and the country "US", time zones hold "GMT+0", "GMT-0" and "GMT0". Such lists name their members
    (x-enum-varnames): region codes (lower case beside an upper-case twin) as REGION_<CODE>, "+" as PLUS, "-" as
    MINUS, so every member gets its own name."""
    values = component.get("enum")
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        return
    naive = [re.sub(r"[^A-Z0-9]", "", value.upper()) for value in values]
    if len(set(naive)) == len(naive):
        return
    uppers = {value for value in values if value == value.upper()}
    names: list[str] = []
    for value in values:
        name = re.sub(r"[^A-Z0-9]+", "_", value.replace("+", "_PLUS_").replace("-", "_MINUS_").upper()).strip("_")
        if value != value.upper() and value.upper() in uppers:
            name = f"REGION_{name}"
        if not name or name[0].isdigit():
            name = f"VALUE_{name}"
        while name in names:
            name = f"{name}_"
        names.append(name)
    component["x-enum-varnames"] = names


SHARED_ENUM_MIN = 20  # values; shorter choice lists read better inline

STATUS_WORDS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
                413: "TooLarge", 415: "UnsupportedMediaType", 429: "TooManyRequests", 503: "Unavailable"}


def _share_error_responses(result: dict) -> None:
    """An error answer that many operations give word for word (same status, same codes) is written once in
    components/responses and referenced: the operation still lists its codes, the schema does not repeat them."""
    from collections import Counter

    signature = lambda status, response: (status, tuple(response.get("x-error-codes", [])))  # noqa: E731
    operations = [operation for items in result.get("paths", {}).values() for method, operation in items.items()
                  if method in ("get", "post", "put", "patch", "delete")]
    counts = Counter(signature(status, response) for operation in operations
                     for status, response in operation.get("responses", {}).items() if "x-error-codes" in response)
    names: dict[tuple, str] = {}
    shared = result.setdefault("components", {}).setdefault("responses", {})
    for (status, codes), count in counts.most_common():
        if count < 3:
            continue
        word = STATUS_WORDS.get(int(status), f"Error{status}")
        generic = set(codes) <= set(ERROR_CODES) and word not in names.values()
        name = word if generic else f"{word}{''.join(c.title().replace('_', '') for c in codes)}"
        names[(status, codes)] = name
    for operation in operations:
        for status, response in operation.get("responses", {}).items():
            shared_name = names.get(signature(status, response)) if "x-error-codes" in response else None
            if shared_name:
                shared.setdefault(shared_name, response)
                operation["responses"][status] = {"$ref": f"#/components/responses/{shared_name}"}


def postprocess_schema(result: dict, generator: Any, request: Any, public: Any) -> dict:
    """The info block, the journey's tags, shared code lists, and a composed example for every main success answer."""
    _share_enums(result)
    result["info"]["description"] = INFO_DESCRIPTION
    result["tags"] = [{"name": name, "description": description} for name, description, _segments in TAGS]
    tag_of = {segment: name for name, _description, segments in TAGS for segment in segments}
    components = result.get("components", {}).get("schemas", {})
    shared_examples = result.setdefault("components", {}).setdefault("examples", {})
    for path, operations in result.get("paths", {}).items():
        segment = path.removeprefix("/api/v1/").split("/", 1)[0]
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if segment in tag_of:
                operation["tags"] = [tag_of[segment]]
            for response in operation.get("responses", {}).values():
                _share_error_examples(response, shared_examples)
            main = main_success(operation)
            if main is None:
                continue
            content = main[1]
            if "examples" in content or "example" in content:
                continue
            missing: list[str] = []
            value = compose_example(content.get("schema", {}), components, missing)
            if not missing:
                content["examples"] = {MAIN_EXAMPLE: {"summary": str(_("A typical answer")), "value": value}}
    _share_error_responses(result)
    return result


# --- the journey and the info block -----------------------------------------------------------------------

# (tag, description, first path segments), in the order a client meets them.
TAGS: list[tuple[str, Any, list[str]]] = [
    ("accounts", _("Register, sign in for a token pair, refresh it, sign out; your own profile and language."),
     ["auth", "me"]),
    ("companies", _("Register your company, invite colleagues, manage memberships and roles. Staff verify "
                    "companies before they can list assets or sign agreements."),
     ["companies", "invitations", "memberships"]),
    ("catalog", _("Drug assets listed by licensors: the public teaser, the confidential core for partners, "
                  "patents, regulatory events, watchlists, interest and recommendations."),
     ["assets", "patents", "regulatory-events", "regions", "watchlist", "interests", "interest-profiles"]),
    ("partnering", _("Calls for assets and their submissions, private evaluations, meetings across time zones with "
                     "calendar invitations and a private feed, partnering events with one-on-one slots."),
     ["calls", "submissions", "evaluation-criteria", "evaluations", "meetings", "calendar-feed", "events"]),
    ("data rooms", _("Share an asset's documents with a partner: access requests, grants, the room's CDA, "
                     "folders, documents, watermarked views and downloads, questions and answers."),
     ["datarooms", "dataroom-access-requests", "dataroom-grants", "dataroom-folders", "dataroom-documents",
      "dataroom-imports", "dataroom-downloads", "dataroom-questions", "dataroom-scans"]),
    ("agreements", _("Negotiate a licence: versions of the terms, approvals by both sides, execution, "
                     "milestones invoiced and paid."),
     ["agreements", "agreement-milestones"]),
    ("deal intelligence", _("Announced deals and their sources, market figures, analytics, comparables for an asset "
                            "or a term sheet, rNPV valuation and charts; platform deals only ever aggregated."),
     ["intelligence"]),
    ("alliances", _("After signing: the alliance of an executed agreement, for its parties only: committees, "
                    "meetings, minutes and decisions, action items, the shared development budget and its "
                    "quarterly reconciliation, obligations and the issue log."),
     ["alliances", "alliance-committees", "alliance-meetings", "alliance-minutes", "alliance-decisions",
      "alliance-action-items", "alliance-work-packages", "alliance-budgets", "alliance-costs",
      "alliance-obligations", "alliance-issues"]),
    ("financing", _("Raise money or invest: investor theses, rounds with a public teaser and a protected core, "
                    "the book of interest, soft-circles and commitments, private between a biotech and each "
                    "investor."),
     ["rounds", "book-entries", "investor-profiles"]),
    ("service providers", _("Hire verified service providers abroad: provider search, service requests (RFPs) with "
                            "confidential attachments, proposals and their versions, clarification questions, "
                            "awards, engagements with payment milestones and data-room access, reviews."),
     ["providers", "service-requests", "request-attachments", "proposals", "request-questions", "engagements",
      "engagement-milestones", "provider-reviews"]),
    ("notifications", _("What happened that concerns you, and how you hear about each kind of event."),
     ["notifications", "notification-preferences"]),
]


def _info_description() -> str:
    from django.conf import settings

    jwt = settings.SIMPLE_JWT
    access_minutes = int(jwt["ACCESS_TOKEN_LIFETIME"].total_seconds() // 60)
    refresh_days = int(jwt["REFRESH_TOKEN_LIFETIME"].total_seconds() // 86400)
    return str(_INFO).format(access_minutes=access_minutes, refresh_days=refresh_days)


_INFO = _(
    "Global Pharma Community: licensors list drug assets, partners find them, both sides share a data room and "
    "negotiate a licence agreement.\n\n"
    "## Authentication\n"
    "`POST /api/v1/auth/token/` with your e-mail and password answers an access token and a refresh token (JWT). "
    "Send the access token as `Authorization: Bearer <access>` on every other call. The access token lives "
    "{access_minutes} minutes; the refresh token {refresh_days} days. `POST /api/v1/auth/token/refresh/` trades a "
    "refresh token for a new pair: refresh tokens rotate, and the old one stops working at once. "
    "`POST /api/v1/auth/logout/` revokes both. Repeated wrong passwords lock the account for this address "
    "(429 `locked_out`).\n\n"
    "## Errors\n"
    "Every error has one shape: `{{\"error\": {{\"code\": \"...\", \"message\": \"...\", \"fields\": {{...}}}}}}`. "
    "Branch on `code`, a stable machine code; `message` is for people, in your language; `fields` names each "
    "field at fault. Each operation lists the codes it can answer with, by status. An object you may not see "
    "answers 404 exactly as one that does not exist. 429 and 503 answers carry `Retry-After` (seconds).\n\n"
    "## Pagination, filters and ordering\n"
    "Lists are pages: `?page=2&page_size=50` (at most 200) answers `count`, `next`, `previous` and `results`; "
    "large lists (the catalog, provider search) and feeds that grow while you read (notifications) use a cursor "
    "in `next` instead, with no `count`: follow `next` as given. Filters and `?ordering=` accept the "
    "values each operation lists; anything else is a 400 `invalid`, never silently ignored.\n\n"
    "## Languages\n"
    "Send `Accept-Language: zh-hans` for Simplified Chinese (messages, labels, and this documentation: "
    "`/api/schema/?lang=zh-hans`); English is the default. Notifications and e-mails follow the language of your "
    "profile (`PATCH /api/v1/me/`).\n\n"
    "## The CDA gate\n"
    "A data room may require a confidentiality agreement (CDA). A partner with a grant sees the room's documents "
    "only after accepting the room's current CDA (`POST /api/v1/datarooms/{{id}}/accept-cda/`); a new CDA version "
    "must be accepted again."
)

INFO_DESCRIPTION = lazy(_info_description, str)()
