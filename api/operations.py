"""The names and descriptions a client generated from ``/openapi.json`` is written with.

FastAPI names an operation after its function and path (``get_unit_units__ref__get``); a
generated client then exposes that name as a method. Here every documented operation has an
explicit ``operationId`` a person would write (``getUnit``), a tag with a description, and a
description. :func:`document` writes them into the OpenAPI schema, and refuses a schema with
an operation this table does not name, so a new route cannot go undocumented.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pairnet.i18n import N_

from .versions import API_PREFIX

__all__ = ["OPERATIONS", "TAGS", "Operation", "UndocumentedOperation", "document"]


class Operation(NamedTuple):
    """How one operation is documented: its id, its description where the route's own
    docstring does not give one (``None``: the route's is kept), and whether its answers
    carry an ``ETag`` (a GET whose answer derives from the store's version stamp)."""

    operation_id: str
    description: str | None
    etag: bool = True


class UndocumentedOperation(LookupError):
    """A route in the schema that :data:`OPERATIONS` does not name (a developer's error)."""


# Keyed by "METHOD path" as the OpenAPI schema writes them, without the version prefix
# (/api/v1, api.versions): "GET /units" documents GET /api/v1/units.
OPERATIONS: dict[str, Operation] = {
    "GET /": Operation(
        "getService",
        N_(
            "The store's data stamp (`data_version`), the API and package versions, the number of units, "
            "pairings and flows, whether imports are accepted, and links to the collections."
        ),
    ),
    "GET /units": Operation("listUnits", None),
    "GET /units/{ref}": Operation(
        "getUnit",
        N_(
            "One unit, named by id, division code or name path (`沿河土家族自治县/中界镇`), with its "
            "parent chain and its pairings at every level, marked active or not on `as_of`."
        ),
    ),
    "GET /pairings": Operation("listPairings", None),
    "GET /pairings/{pairing_id}": Operation(
        "getPairing", N_("One pairing by id, with its helper and helped units and its source row.")
    ),
    "POST /pairings": Operation(
        "createPairing",
        N_(
            "Add one pairing, a JSON object with the input format's fields (helper, helped, level, mode, "
            "program, start, end): an import of one row, with the same checks as a file, in the history "
            "under the token's person. The answer holds the import, the pairing and the coverage change."
        ),
        etag=False,
    ),
    "POST /pairings/accept": Operation(
        "acceptSuggestion",
        N_(
            "Accept the partner the recommendations suggest for a gap (as the gap list asked: target, "
            "poverty, within, as_of); the new pairing's note names the person who accepted it."
        ),
        etag=False,
    ),
    "PATCH /pairings/{pairing_id}": Operation(
        "endPairing",
        N_("End a pairing on a date (or a year or month: its last day); it stays in the store with its end."),
        etag=False,
    ),
    "GET /flows": Operation("listFlows", None),
    "GET /flows/{flow_id}": Operation("getFlow", N_("One flow by id, with the units at both of its ends.")),
    "GET /analyses/coverage": Operation("getCoverage", None),
    "GET /analyses/coverage/two-way": Operation("getTwoWayCoverage", None),
    "GET /analyses/coverage/schools": Operation(
        "getSchoolCoverage",
        N_(
            "The three full coverages of school pairings (三个全覆盖): every school of the helped side "
            "paired, at each stage, on the date."
        ),
    ),
    "GET /analyses/timeline": Operation(
        "getCoverageTimeline",
        N_(
            "Coverage of the same target set at several dates or year ends, one row per date (without either, at `as_of`)."
        ),
    ),
    "GET /analyses/gaps": Operation("getGaps", None),
    "GET /analyses/alignment": Operation(
        "getAlignment",
        N_(
            "Five-in-one consistency (五级联动): pairings at a lower level whose parents on both sides "
            "are not paired with each other."
        ),
    ),
    "GET /analyses/balance": Operation(
        "getBalance",
        N_(
            "How many targets each helper carries at each level, most loaded first, with the spread; "
            "with `program`, only that program's pairings count."
        ),
    ),
    "GET /analyses/recommendations": Operation("getRecommendations", None),
    "GET /analyses/whatif": Operation(
        "getWhatIf",
        N_(
            "The targets that would lose every active partner if the named helpers withdrew (and, "
            "optionally, the units below them)."
        ),
    ),
    "GET /analyses/flows": Operation(
        "getFlowRollup", N_("Flows summed per group (kind, year, helper, helped...), amounts and counts.")
    ),
    "GET /analyses/summary": Operation(
        "getSummary", N_("Counts of units per kind and side, pairings per level and mode, and flows per kind.")
    ),
    "GET /analyses/report": Operation(
        "getReport",
        None,  # its docstring describes it: the workbook `pairnet report` writes
    ),
    "GET /imports": Operation(
        "listImports",
        N_("Every import so far, oldest first: its source, author, time, counts and whether it was undone."),
        etag=False,
    ),
    "POST /imports": Operation(
        "createImport",
        N_(
            "Import a workbook or CSV file (multipart field `file`). All of it is written, or nothing "
            "and the located problems (422). `dry_run=true` reports the diff without writing."
        ),
    ),
    "GET /imports/{import_id}": Operation(
        "getImport",
        N_(
            "One import of the history with its diff per sheet: new records, changed ones (field: old → "
            "new), removed ones and the unchanged count, as the import made them."
        ),
        etag=False,
    ),
    "POST /imports/{import_id}/revert": Operation(
        "revertImport",
        N_(
            "Undo an import: the store as it was before, recorded as a new import. Without "
            "`confirm=true` the answer is 409 with the diff."
        ),
    ),
    "GET /people": Operation(
        "listPeople", N_("Every named person with their role and scope, revoked ones included."), etag=False
    ),
    "POST /people": Operation(
        "createPerson", N_("Add a named person with a role and scope; the answer carries their new token, shown once.")
    ),
    "DELETE /people/{name}": Operation(
        "revokePerson", N_("Revoke a person's token; they stay listed, and their imports keep their name.")
    ),
    "GET /maps/": Operation(
        "getMapIndex", N_("An HTML page listing every map view of the store, with figures."), etag=False
    ),
    "GET /maps/search": Operation("searchMapUnits", None, etag=False),
    "GET /maps/five-in-one": Operation(
        "getFiveInOneMap", N_("An HTML map of a helper–helped pair and the pairings between their descendants.")
    ),
    "GET /maps/unit/{ref}": Operation(
        "getUnitMap", N_("An HTML map of one unit, its parent chain and its partners, `depth` pairing hops away.")
    ),
    "GET /maps/gaps": Operation(
        "getGapsMap", N_("An HTML map of every target unit of a county or township, paired or not.")
    ),
    "GET /maps/national": Operation(
        "getNationalMap",
        N_("An HTML map with counties (or prefectures) as nodes, for data too large to draw unit by unit."),
    ),
    "GET /maps/geo": Operation(
        "getGeoMap", N_("An HTML map of county-level units on their real boundaries, coloured by coverage.")
    ),
    "GET /problems": Operation(
        "listProblemTypes",
        N_("An HTML page listing every problem `type` the API reports, with its status."),
        etag=False,
    ),
    "GET /problems/{name}": Operation(
        "getProblemType", N_("The HTML page a problem document's `type` opens: what the problem means."), etag=False
    ),
}

TAGS: list[dict[str, str]] = [
    {"name": "service", "description": N_("What this server serves: the data stamp, counts and links.")},
    {"name": "units", "description": N_("Administrative units, schools and other organisations of both sides.")},
    {"name": "pairings", "description": N_("Who helps whom, at which level, from when to when.")},
    {"name": "flows", "description": N_("Funds, cadres, people and goods that moved along pairings.")},
    {
        "name": "analyses",
        "description": N_(
            "Coverage, gaps, alignment, balance, recommendations and what-if over the network on a date."
        ),
    },
    {"name": "imports", "description": N_("Writing data: imports (all or nothing), their history, and reverts.")},
    {"name": "people", "description": N_("Named people, their roles and scopes (administrators only).")},
    {"name": "maps", "description": N_("HTML network maps for a browser.")},
    {"name": "problems", "description": N_("What each problem `type` of an error document means.")},
]


# The headers of answers, as OpenAPI response headers.
ETAG_HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": N_("The answer's version: the same until the next import (or the next day for dated answers)."),
        "schema": {"type": "string"},
    },
    "Cache-Control": {"description": N_("`no-cache`: revalidate with `If-None-Match`."), "schema": {"type": "string"}},
}
IF_NONE_MATCH: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": N_("The `ETag` of a copy the client has: the answer is `304 Not Modified` while it is current."),
    "schema": {"type": "string"},
}
NOT_MODIFIED: dict[str, Any] = {
    "description": N_("Not modified: the `If-None-Match` ETag is current; no body."),
    "headers": ETAG_HEADERS,
}
CONTENT_DISPOSITION: dict[str, Any] = {
    "description": N_("On CSV and XLSX downloads: `attachment` with the file's name."),
    "schema": {"type": "string"},
}
NEXT_PAGE_LINK: dict[str, Any] = {
    "description": N_('When a page follows this one: `<path?query&offset=N>; rel="next"` (RFC 8288).'),
    "schema": {"type": "string"},
}
_DOWNLOAD_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def document(schema: dict[str, Any]) -> None:
    """Write each operation's id, description where missing, and the headers it answers
    with (``ETag``, ``Content-Disposition``, ``Link``; ``If-None-Match`` and 304) into
    ``schema`` (in place).

    Raises
    ------
    UndocumentedOperation
        If the schema has an operation :data:`OPERATIONS` does not name.
    """
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            # Keyed by the resource's own path: the table holds for whatever version prefix.
            key = f"{method.upper()} {path.removeprefix(API_PREFIX) or '/'}"
            entry = OPERATIONS.get(key)
            if entry is None:
                raise UndocumentedOperation(f"{key} has no entry in api.operations.OPERATIONS")
            operation["operationId"] = entry.operation_id
            if entry.description is not None:
                operation["description"] = entry.description
            if method == "get":
                _document_headers(operation, conditional=entry.etag)
            for parameter in operation.get("parameters", []):
                _give_example(parameter, schema)


def _document_headers(operation: dict[str, Any], *, conditional: bool) -> None:
    ok = operation.get("responses", {}).get("200")
    if ok is None:
        return
    headers = ok.setdefault("headers", {})
    if conditional:
        headers.update(ETAG_HEADERS)
        operation["responses"]["304"] = NOT_MODIFIED
        operation.setdefault("parameters", []).append(IF_NONE_MATCH)
    if any(media_type in ok.get("content", {}) for media_type in _DOWNLOAD_TYPES):
        headers["Content-Disposition"] = CONTENT_DISPOSITION
    if any(parameter["name"] == "offset" for parameter in operation.get("parameters", [])):
        headers["Link"] = NEXT_PAGE_LINK


# Examples of parameters whose declaration gives none, by name (from the sample), before
# falling back on the schema (an enum's first value, the default, the minimum).
EXAMPLES_BY_NAME: dict[str, Any] = {
    "If-None-Match": '"9b2c0e5d41f0a7e3c2d81b6f4a905e17"',
    "county": "520627",
    "import_id": "1",
    "q": "中界",
    "helper": "320582",
    "helped": "520627",
    "within": "520627",
    "ref": "520627",
    "expand": "320582100",
    "pairing_id": "p-9bfd7300d2766772",
    "flow_id": "f-92687b455a170dc1",
    "stage": "primary",
    "year": 2018,
    "pairing": "p-9bfd7300d2766772",
    "offset": 0,
    "limit": 100,
    "top": 10,
}


def _give_example(parameter: dict[str, Any], schema: dict[str, Any]) -> None:
    """Give ``parameter`` an example if it has none (schema ``examples``, as FastAPI writes
    them); an array parameter's examples are arrays, so that a client sends a list."""
    declared = parameter.setdefault("schema", {})
    shape = _value_schema(declared)
    is_array = shape.get("type") == "array"
    examples = declared.get("examples")
    if not examples:
        value = _example_of(parameter["name"], shape.get("items", {}) if is_array else shape, schema)
        if value is None:
            return
        examples = [value]
    if is_array:
        examples = [example if isinstance(example, list) else [example] for example in examples]
    declared["examples"] = examples


def _value_schema(declared: dict[str, Any]) -> dict[str, Any]:
    """The schema of the value without its ``null`` alternative (``anyOf: [X, null]`` → X)."""
    for option in declared.get("anyOf", []):
        if option.get("type") != "null":
            return dict(option)
    return declared


def _example_of(name: str, shape: dict[str, Any], schema: dict[str, Any]) -> Any:
    if name in EXAMPLES_BY_NAME:
        return EXAMPLES_BY_NAME[name]
    reference = shape.get("$ref", "")
    if reference.startswith("#/components/schemas/"):
        shape = {**schema["components"]["schemas"][reference.rsplit("/", 1)[1]], **shape}
    if shape.get("enum"):
        return shape["enum"][0]
    if shape.get("format") == "date":
        return "2018-12-31"
    for key in ("default", "minimum"):
        if key in shape:
            return shape[key]
    return {"boolean": False, "integer": 1}.get(shape.get("type", ""))
