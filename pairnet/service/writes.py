"""One-pairing writes: add a pairing, end one, accept a suggested partner.

Each is a small import through :mod:`pairnet.imports`: checked against the store under its
writer lock by the same validation as a file, all of it or nothing, its author recorded, in
the history and revertable like any import. Each returns the import's report and the
coverage change it made: the figures of the helped unit's kind (and poverty status) in its
county, before and after, counted on the store exactly as the write found and left it.

Examples
--------
A write that finds the pairing in the store already is refused, and writes nothing::

    add_pairing(store, {"helper": "张家港市/杨舍镇/善港村", "helped": "沿河土家族自治县/中界镇/高峰村",
                        "level": "村级", "start": "2018"}, person=editor, as_of=dt.date(2018, 12, 31))
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import ValidationError

from pairnet.diff import ImportDiff
from pairnet.graph.coverage import coverage
from pairnet.graph.errors import InvalidInput, NotFound, PairnetError, Problem
from pairnet.graph.model import Dataset, Kind, Pairing, Poverty, Side, pairing_key
from pairnet.graph.network import build_network
from pairnet.graph.recommend import recommend
from pairnet.graph.results import CoverageCounts
from pairnet.graph.targets import Hierarchy, TargetSet, resolve_unit
from pairnet.i18n import _
from pairnet.imports import Guard, ImportReport, import_dataset, import_file, merge
from pairnet.loaders.dates import parse_end_date
from pairnet.loaders.values import CellError
from pairnet.people import Person, may_write, scope_guard
from pairnet.store.store import Store

__all__ = [
    "ACCEPT_SOURCE",
    "ADD_SOURCE",
    "END_SOURCE",
    "PAIRING_FIELDS",
    "CoverageChange",
    "SuggestionChanged",
    "WriteRefused",
    "WriteResult",
    "accept_suggestion",
    "add_pairing",
    "end_pairing",
]

# The source each kind of write is recorded under (stable identifiers, as files' names are).
ADD_SOURCE = "add-pairing"
END_SOURCE = "end-pairing"
ACCEPT_SOURCE = "accept-suggestion"
# The columns of the input format's pairings sheet that one write may carry.
PAIRING_FIELDS = (
    "id",
    "helper",
    "helped",
    "level",
    "mode",
    "program",
    "start",
    "end",
    "agreement",
    "note",
    "placeholder",
    "assumed",
)


class WriteRefused(PairnetError):
    """The person may not write at all (a viewer, or revoked)."""


class SuggestionChanged(PairnetError):
    """The suggestion accepted is no longer the one the recommendations give."""


@dataclass(frozen=True)
class CoverageChange:
    """One coverage figure of the helped unit's county, before and after a write."""

    kind: Kind
    poverty: Poverty | None
    place_id: str | None
    place: str | None
    as_of: dt.date
    before: CoverageCounts
    after: CoverageCounts

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "poverty": self.poverty.value if self.poverty else None,
            "place_id": self.place_id,
            "place": self.place,
            "as_of": self.as_of.isoformat(),
            "before": dict(self.before),
            "after": dict(self.after),
        }


@dataclass(frozen=True)
class WriteResult:
    """What a one-pairing write did: the import, the pairing as written, the coverage change."""

    report: ImportReport
    pairing: Pairing
    coverage: tuple[CoverageChange, ...]

    @property
    def import_id(self) -> str | None:
        return self.report.summary.import_id if self.report.summary else None

    @property
    def diff(self) -> ImportDiff | None:
        return self.report.diff

    def to_dict(self) -> dict[str, Any]:
        return {
            "import": self.report.to_dict(),
            "pairing": self.pairing.model_dump(mode="json"),
            "coverage": [change.to_dict() for change in self.coverage],
        }


def add_pairing(
    store: Store, fields: Mapping[str, object], *, person: Person, as_of: dt.date | None = None
) -> WriteResult:
    """Add one pairing given as a row of the input format's pairings sheet (``helper``,
    ``helped``, ``level``, ``mode``, ``program``, ``start``, ``end``...; references and values
    as in files: codes, name paths, 村级, 2017年3月). A pairing already in the store is refused."""
    _may_write(person)
    unknown = sorted(set(fields) - set(PAIRING_FIELDS))
    if unknown:
        raise InvalidInput(
            [
                Problem(_("unknown field"), sheet="pairings", column=name, expected=", ".join(PAIRING_FIELDS))
                for name in unknown
            ]
        )
    row = {k: v for k, v in fields.items() if v is not None and v != ""}
    return _write_row(store, row, source=ADD_SOURCE, person=person, as_of=as_of)


def end_pairing(
    store: Store, pairing_id: str, end: object, *, person: Person, as_of: dt.date | None = None
) -> WriteResult:
    """End pairing ``pairing_id`` on ``end`` (a date, or a year or month: its last day). The
    pairing stays, with its end date: nothing is deleted."""
    _may_write(person)
    try:
        end_date = parse_end_date(end)
    except CellError as error:
        raise InvalidInput(
            [Problem(error.message, sheet="pairings", column="end", value=str(end), expected=error.expected)]
        ) from None
    captured: dict[str, Dataset] = {}
    guard = _capturing(scope_guard(person), captured)

    def ended(known: Dataset) -> Pairing:
        current = next((p for p in known.pairings if p.id == pairing_id), None)
        if current is None:
            raise NotFound(_("no pairing {id!r}").format(id=pairing_id))
        try:
            return Pairing.model_validate({**current.model_dump(exclude={"source"}), "end": end_date})
        except ValidationError as error:
            message = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
            raise InvalidInput(
                [
                    Problem(
                        message,
                        sheet="pairings",
                        column="end",
                        value=end_date.isoformat(),
                        expected=_("after the start"),
                    )
                ]
            ) from None

    # Read once to find the pairing and refuse early; import_dataset checks again under the lock.
    pairing = ended(store.snapshot())
    report = import_dataset(
        store, Dataset(pairings=(pairing,)), source=END_SOURCE, confirm=True, author=person.name, guard=guard
    )
    return _result(report, pairing, captured, as_of)


def accept_suggestion(
    store: Store,
    target: str,
    *,
    person: Person,
    helper: str | None = None,
    poverty: Poverty | None = None,
    within: str | None = None,
    as_of: dt.date | None = None,
    start: object = None,
    program: str | None = None,
) -> WriteResult:
    """Accept the partner the recommendations suggest for ``target`` (a gap), as a new
    pairing whose note says it was accepted from a recommendation, and by whom.

    The suggestion is computed again, as the gap list asked it (``target``'s kind,
    ``poverty``, ``within``, ``as_of``); when ``helper`` is given and is no longer the one
    suggested, :class:`SuggestionChanged` says so and nothing is written. ``start`` defaults
    to ``as_of``, the day the gap was looked at.
    """
    _may_write(person)
    G = build_network(store.snapshot())
    target_id = _resolve(G, "target", target)
    kind = G.nodes[target_id]["kind"]
    targets = TargetSet.of(
        kind=[kind],
        side=Side.HELPED,
        poverty=[poverty] if poverty else None,
        within=_resolve(G, "within", within) if within else None,
    )
    result = recommend(G, targets, as_of=as_of)
    row = next((s for s in result["suggestions"] if s["target_id"] == target_id), None)
    if row is None:
        raise SuggestionChanged(
            _("no partner is suggested for {name} any more; look at the gap list again").format(
                name=G.nodes[target_id]["name"]
            )
        )
    if helper is not None and _resolve(G, "helper", helper) != row["helper_id"]:
        raise SuggestionChanged(
            _("the suggested partner of {name} is now {helper}; look at the suggestions again").format(
                name=row["target"], helper=row["helper"]
            )
        )
    fields: dict[str, object] = {
        "helper": row["helper_id"],
        "helped": target_id,
        "level": result["level"],
        "note": _("accepted from a recommendation by {person}").format(person=person.name),
    }
    if start or as_of:
        fields["start"] = start or as_of.isoformat()  # type: ignore[union-attr]
    if program:
        fields["program"] = program
    return _write_row(store, fields, source=ACCEPT_SOURCE, person=person, as_of=as_of)


def _may_write(person: Person) -> None:
    if not may_write(person):
        raise WriteRefused(
            _("{name} is a {role}: a {role} may read, not write").format(name=person.name, role=person.role.value)
        )


def _resolve(G: nx.MultiDiGraph[str], parameter: str, ref: str) -> str:
    try:
        return ref if ref in G else resolve_unit(G, ref)
    except NotFound as error:
        raise NotFound(str(error), parameter=parameter) from None


def _write_row(
    store: Store, row: Mapping[str, object], *, source: str, person: Person, as_of: dt.date | None
) -> WriteResult:
    """Import ``row`` as a one-row pairings sheet: the file path, with all its checks."""
    captured: dict[str, Dataset] = {}
    guard = _capturing(scope_guard(person), captured, refuse_existing=True)
    with tempfile.TemporaryDirectory(prefix="pairnet-write-") as folder:
        path = Path(folder) / f"{source}.json"
        path.write_text(json.dumps({"pairings": [dict(row)]}, ensure_ascii=False, default=str), encoding="utf-8")
        report = import_file(store, path, source=source, confirm=True, author=person.name, guard=guard)
    return _result(report, captured["incoming"].pairings[0], captured, as_of)


def _capturing(guard: Guard | None, captured: dict[str, Dataset], *, refuse_existing: bool = False) -> Guard:
    """``guard``, keeping the state the write is checked against (for the coverage change)."""

    def check(existing: Dataset, incoming: Dataset, source: str, replace: bool) -> None:
        if refuse_existing:
            # By id, and by natural key: a file's pairings often carry ids of their own.
            known = {p.id for p in existing.pairings} | {_key(p) for p in existing.pairings}
            present = [p for p in incoming.pairings if p.id in known or _key(p) in known]
            if present:
                raise InvalidInput(
                    [
                        Problem(
                            _("this pairing is in the store already; end it or change it instead"),
                            sheet="pairings",
                            row=1,
                            column="id",
                            value=p.id,
                        )
                        for p in present
                    ]
                )
        if guard is not None:
            guard(existing, incoming, source, replace)
        captured["existing"], captured["incoming"] = existing, incoming

    return check


def _key(pairing: Pairing) -> str:
    return pairing_key(pairing.helper_id, pairing.helped_id, pairing.level, pairing.program)


def _result(
    report: ImportReport, pairing: Pairing, captured: Mapping[str, Dataset], as_of: dt.date | None
) -> WriteResult:
    before = build_network(captured["existing"])
    after = build_network(merge(captured["existing"], captured["incoming"]))
    return WriteResult(report, pairing, coverage_change(before, after, pairing.helped_id, as_of or dt.date.today()))


def coverage_change(
    before: nx.MultiDiGraph[str], after: nx.MultiDiGraph[str], helped_id: str, as_of: dt.date
) -> tuple[CoverageChange, ...]:
    """The coverage of ``helped_id``'s kind in its county (and of its poverty status, for a
    poor village), in ``before`` and ``after``, on ``as_of``."""
    unit = after.nodes[helped_id]["unit"]
    county = Hierarchy(after, as_of).ancestor(helped_id, Kind.COUNTY)
    changes = []
    for poverty in (None, unit.poverty) if unit.poverty else (None,):
        targets = TargetSet.of(
            kind=[unit.kind], side=Side.HELPED, poverty=[poverty] if poverty else None, within=county
        )

        def counts(G: nx.MultiDiGraph[str], targets: TargetSet = targets) -> CoverageCounts:
            found = coverage(G, targets, as_of=as_of)
            return {k: found[k] for k in ("targets", "covered", "uncovered", "share")}  # type: ignore[return-value]

        changes.append(
            CoverageChange(
                kind=unit.kind,
                poverty=poverty,
                place_id=county,
                place=after.nodes[county]["name"] if county else None,
                as_of=as_of,
                before=counts(before),
                after=counts(after),
            )
        )
    return tuple(changes)
