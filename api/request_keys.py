"""What a read request asks, in one canonical form: the key of its answer.

The answer cache (:mod:`api.cache`) serves one request's answer to another when their keys
are equal, and the ETag promises the same, so equal keys must mean equal questions. A raw
query string cannot promise that: joined without escaping, ``q=高%26within%3D520627`` and
``q=高&within=520627`` read alike, and sorted, ``side=helped&side=helper`` and
``side=helper&side=helped`` do too although FastAPI keeps the last value of a scalar.

So the key is the route's name, the path, the ``Accept`` header, and the values of the route's query parameters
*as FastAPI validates them* (the same function FastAPI runs, over the same fields), written
as canonical JSON. Two requests with one key hand the route the same arguments. A request
FastAPI refuses (422) is never cached (its key keeps the raw pairs, in order); a scalar parameter given more
than once is refused too (:func:`repeated_scalars`), by :func:`refuse_repeated_scalars`,
which the app runs before every route, as it runs :func:`refuse_unknown_parameters`: a
parameter no route declares (``?povety=``) would otherwise be ignored, and the answer would be
that of a question the client did not ask.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Sequence
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import request_params_to_args
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams
from starlette.types import Scope

from pairnet.i18n import N_, _

__all__ = [
    "ANY_ROUTE_PARAMETERS",
    "REPEATED_MESSAGE",
    "STATE_KEY",
    "refuse_repeated_scalars",
    "refuse_unknown_parameters",
    "repeated_scalars",
    "request_key",
    "unknown_parameters",
]

# The request state entry where the key is kept once computed.
STATE_KEY = "pairnet_request_key"
_SEQUENCES = (list, tuple, set, frozenset)
_FIELDS_ATTRIBUTE = "_pairnet_query_fields"

# Person-facing text (the problem document puts the parameter first): {count} is how often it was given.
REPEATED_MESSAGE = N_("given {count} times; this parameter takes one value (only lists such as kind may repeat)")
# Parameters every route accepts, read before routing (the answer's language, api.language).
ANY_ROUTE_PARAMETERS = frozenset({"lang"})
UNKNOWN_MESSAGE = N_("unknown parameter {name}; did you mean {nearest}?")
UNKNOWN_NO_NEAREST = N_("unknown parameter {name}; this route takes: {known}")
UNKNOWN_NO_PARAMETERS = N_("unknown parameter {name}; this route takes no parameters")


def request_key(scope: Scope) -> str:
    """The canonical key of the request ``scope``, which an API route is answering (FastAPI
    has put it in ``scope["route"]``). Kept in the request state once computed, where
    :mod:`api.cache` finds it after the answer."""
    state = scope.setdefault("state", {})
    if STATE_KEY not in state:
        state[STATE_KEY] = _compute_key(scope["route"], scope)
    key: str = state[STATE_KEY]
    return key


def repeated_scalars(route: APIRoute, query: QueryParams) -> list[tuple[str, int]]:
    """The scalar query parameters of ``route`` given more than once in ``query``, with
    their counts. Lists (such as ``kind``) may repeat."""
    counts = Counter(name for name, _value in query.multi_items())
    return [
        (field.alias, counts[field.alias])
        for field in _query_fields(route)
        if counts[field.alias] > 1 and not _is_sequence(field)
    ]


async def refuse_repeated_scalars(request: Request) -> None:
    """A dependency of every route: a repeated scalar parameter is a 422 naming it, rather
    than FastAPI's silent choice of the last value."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    repeated = repeated_scalars(route, request.query_params)
    if repeated:
        raise RequestValidationError(
            [
                {
                    "type": "repeated_parameter",
                    "loc": ("query", name),
                    "msg": _(REPEATED_MESSAGE).format(count=count),
                    "input": request.query_params.getlist(name),
                }
                for name, count in repeated
            ]
        )


def unknown_parameters(route: APIRoute, query: QueryParams) -> list[str]:
    """The names in ``query`` that neither ``route`` nor the app (:data:`ANY_ROUTE_PARAMETERS`)
    declares, in the order first given."""
    known = {field.alias for field in _query_fields(route)} | ANY_ROUTE_PARAMETERS
    return list(dict.fromkeys(name for name, _value in query.multi_items() if name not in known))


def _unknown_message(name: str, route: APIRoute) -> str:
    declared = sorted(field.alias for field in _query_fields(route))
    nearest = difflib.get_close_matches(name, declared, n=1, cutoff=0.6)
    if nearest:
        return _(UNKNOWN_MESSAGE).format(name=name, nearest=nearest[0])
    if declared:
        return _(UNKNOWN_NO_NEAREST).format(name=name, known=", ".join(declared))
    return _(UNKNOWN_NO_PARAMETERS).format(name=name)


async def refuse_unknown_parameters(request: Request) -> None:
    """A dependency of every route: a query parameter the route does not take is a 422
    naming it and the nearest one it does take, rather than being silently ignored."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    unknown = unknown_parameters(route, request.query_params)
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "unknown_parameter",
                    "loc": ("query", name),
                    "msg": _unknown_message(name, route),
                    "input": request.query_params.get(name),
                }
                for name in unknown
            ]
        )


def _compute_key(route: APIRoute, scope: Scope) -> str:
    query = QueryParams(scope.get("query_string", b""))
    try:
        values, errors = request_params_to_args(_query_fields(route), query)
    except (TypeError, ValueError):
        # A declaration pydantic cannot apply (the route fails the same way): not a question.
        values, errors = {}, [None]
    if errors or repeated_scalars(route, query) or unknown_parameters(route, query):
        # Refused with a 422, never cached: the raw pairs in order keep distinct requests apart.
        question: dict[str, Any] = {"route": route.name, "path": scope["path"], "raw": query.multi_items()}
    else:
        question = {"route": route.name, "path": scope["path"], "query": jsonable_encoder(values)}
    # Accept selects the format of a download (api.negotiation): another format, another answer.
    question["accept"] = ",".join(
        value.decode("latin-1") for name, value in scope.get("headers", ()) if name == b"accept"
    )
    return json.dumps(question, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _query_fields(route: APIRoute) -> Sequence[Any]:
    """The query parameters of ``route`` and of every dependency it solves (kept on the
    route: routes are not hashable, and live as long as their app)."""
    known: Sequence[Any] | None = getattr(route, _FIELDS_ATTRIBUTE, None)
    if known is not None:
        return known
    fields: dict[str, Any] = {}
    pending: list[Dependant] = [route.dependant]
    while pending:
        dependant = pending.pop()
        for field in dependant.query_params:
            fields.setdefault(field.alias, field)
        pending.extend(dependant.dependencies)
    setattr(route, _FIELDS_ATTRIBUTE, tuple(fields.values()))
    return tuple(fields.values())


def _sequence_annotation(annotation: Any) -> bool:
    """Whether ``annotation`` (``list[Kind] | None`` and the like) takes several values."""
    origin = get_origin(annotation)
    if origin in _SEQUENCES:
        return True
    if origin in (Union, UnionType):
        return any(_sequence_annotation(arg) for arg in get_args(annotation))
    return False


def _is_sequence(field: Any) -> bool:
    return _sequence_annotation(field.field_info.annotation)
