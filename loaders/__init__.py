"""Files → validated records: .xlsx workbooks, folders of CSVs, single CSVs and JSON.

:func:`read_dataset` reads every sheet, resolves every reference and checks the result
together with the units already known, then returns the file's records or raises
:class:`~graph.InvalidInput` listing every problem (file, sheet, row, column, value,
expected). See the README section "Input format" for the sheets and columns.

Examples
--------
>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "units.csv").write_text(
...     "编码,名称,类型,方向,上级\\n520627,沿河土家族自治县,县,西部,\\n"
...     "520627110,中界镇,镇,,520627\\n,高峰村,村,,沿河土家族自治县/中界镇\\n", encoding="gb18030")
>>> dataset = read_dataset(folder / "units.csv")
>>> [(u.name, u.kind.value, u.side.value, u.parent_id) for u in dataset.units][-1]
('高峰村', 'village', 'helped', '520627110')
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from pairnet.collector import collector_paused
from pairnet.graph.duplicates import near_duplicates
from pairnet.graph.errors import InvalidInput, Problem
from pairnet.graph.model import Dataset, Flow, Pairing, Unit
from pairnet.graph.validate import check
from pairnet.i18n import _

from .files import SHEETS, open_sheets
from .headers import Mapping, load_mapping
from .records import build_flows, build_pairings, build_units, report_duplicates
from .references import Node, Resolver
from .rows import Table, read_table

__all__ = ["StoreView", "merge", "read_dataset"]

# The columns whose problems in graph.validate are about a reference to a unit.
_REFERENCE_COLUMNS = frozenset({"parent", "successors", "helper", "helped", "from", "to"})

_Record = TypeVar("_Record", Unit, Pairing, Flow)
# The columns whose cells name a unit, per sheet (a unit's successors are a list of them).
_REFERENCES = {"units": ("parent", "successors"), "pairings": ("helper", "helped"), "flows": ("from", "to")}


class StoreView(Protocol):
    """The store a file is checked against, read in parts (``pairnet.store.import_part``)."""

    def units_by_key(self, keys: Collection[str]) -> list[Unit] | None:
        """The units whose id or code is one of ``keys``, with their ancestors (None: read
        :meth:`whole`)."""

    def around(self, incoming: Dataset) -> Dataset:
        """The records checking ``incoming`` reads (the whole store when it must)."""

    def whole(self) -> Dataset:
        """Every record of the store."""


def read_dataset(
    path: str | Path,
    *,
    known: Dataset | StoreView | None = None,
    mapping: str | Path | dict[str, Any] | None = None,
    source: str | None = None,
    allow_near_duplicates: bool = False,
) -> Dataset:
    """The units, pairings and flows of ``path``; :class:`InvalidInput` lists every problem.

    ``path`` is an .xlsx workbook, a folder holding units.csv, pairings.csv and/or
    flows.csv, a single CSV whose name says its sheet, or a JSON file. References resolve
    against the file's units and ``known`` (the file's unit wins on an equal id).
    ``mapping`` (a .toml/.json file or a dict) maps more headers and sheet names;
    ``source`` names the file in problems and provenance (default: the file's name).
    A new unit that looks like a sibling mistyped (:mod:`pairnet.graph.duplicates`) is a
    problem unless ``allow_near_duplicates``.
    """
    with collector_paused():
        return _read(
            Path(path),
            known=Dataset() if known is None else known,
            mapping=load_mapping(mapping),
            source=source or Path(path).name,
            allow_near_duplicates=allow_near_duplicates,
        )


def _read(
    path: Path, *, known: Dataset | StoreView, mapping: Mapping, source: str, allow_near_duplicates: bool
) -> Dataset:
    tables: dict[str, Table] = {}
    problems: list[Problem] = []
    with open_sheets(path, file=source, extra=mapping.sheets) as sheets:
        for sheet in sheets:
            if sheet.name in tables:
                problems.append(
                    Problem(
                        message=_("two sheets for {sheet}: {first} and {second}").format(
                            sheet=sheet.name, first=tables[sheet.name].sheet.label, second=sheet.label
                        ),
                        file=source,
                        sheet=sheet.label,
                        expected=_("one sheet per kind of record"),
                    )
                )
                continue
            tables[sheet.name] = read_table(sheet, mapping)
    if problems or not all(t.readable for t in tables.values()):
        raise InvalidInput(problems + [p for t in tables.values() for p in t.problems])

    units, resolver, failed = build_units(tables.get("units"), _resolver_for(known, tables))
    pairings = build_pairings(tables.get("pairings"), resolver)
    flows = build_flows(tables.get("flows"), resolver)
    incoming = Dataset(units=tuple(units), pairings=tuple(pairings), flows=tuple(flows))

    repeated = set()
    for name, records in (("unit", units), ("pairing", pairings), ("flow", flows)):
        repeated |= report_duplicates(tables.get(f"{name}s"), records, name)
    problems = [p for name in SHEETS if name in tables for p in tables[name].problems]
    by_label: dict[str | None, Table] = {t.sheet.label: t for t in tables.values()}
    against = known if isinstance(known, Dataset) else known.around(incoming)
    found = check(merge(against, incoming))
    if not allow_near_duplicates:
        found += near_duplicates(against.units, incoming.units)
    for problem in found:
        # Recognised by column, not by message: the messages are in the reader's language.
        if _follows(problem, failed) or (problem.column == "id" and problem.value in repeated):
            continue
        table = by_label.get(problem.sheet) if problem.file == source else None
        if table is not None and problem.column is not None:
            problem = replace(problem, column=table.columns.label(problem.column))
        problems.append(problem)
    if problems:
        order = {label: i for i, label in enumerate(by_label)}
        problems.sort(key=lambda p: (p.file != source, order.get(p.sheet, len(order)), p.row or 0))
        raise InvalidInput(problems)
    return incoming


def _resolver_for(known: Dataset | StoreView, tables: dict[str, Table]) -> Callable[[list[Node]], Resolver]:
    """How the file's references are resolved: against the known units that share a key
    (id or code) with a reference, when each reference then names exactly one unit by key;
    against every known unit otherwise (names, paths, short forms, and the nearest units
    for a message are searched among all of them)."""

    def resolver(nodes: list[Node]) -> Resolver:
        if isinstance(known, Dataset):
            return Resolver(nodes, known=known.units)
        references = _references(tables)
        found = known.units_by_key(references)
        if found is not None:
            keyed = Resolver(nodes, known=found)
            # A key that names one unit among those sharing it names that unit among all:
            # resolve() answers such a reference by key before searching names.
            if all(len(keyed.by_key.get(r, ())) == 1 for r in references):
                return keyed
        return Resolver(nodes, known=known.whole().units)

    return resolver


def _references(tables: dict[str, Table]) -> set[str]:
    """Every reference to a unit the file's cells make."""
    found: set[str] = set()
    for sheet, columns in _REFERENCES.items():
        table = tables.get(sheet)
        for row in table.rows if table is not None else ():
            for column in columns:
                value = row.values.get(column)
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, tuple | list):
                    found.update(v for v in value if isinstance(v, str))
    return found


def _follows(problem: Problem, failed: set[str]) -> bool:
    """Whether ``problem`` only repeats that a unit whose own row failed is missing (an
    unknown reference to it: a unit that failed is in no hierarchy, so in no cycle)."""
    return problem.column in _REFERENCE_COLUMNS and problem.value in failed


def merge(known: Dataset, incoming: Dataset, *, source: str | None = None, replace: bool = False) -> Dataset:
    """What a store holds after writing ``incoming`` over ``known``: records are replaced by
    id and, with ``replace``, the records of ``source`` that ``incoming`` no longer has are
    dropped. Records come in id order, as a store's snapshot gives them."""

    def combine(old: tuple[_Record, ...], new: tuple[_Record, ...]) -> tuple[_Record, ...]:
        new_ids = {r.id for r in new}
        kept: list[_Record] = [r for r in old if r.id not in new_ids and not (replace and r.source.file == source)]
        kept.extend(new)
        return tuple(sorted(kept, key=lambda r: r.id))

    return Dataset(
        units=combine(known.units, incoming.units),
        pairings=combine(known.pairings, incoming.pairings),
        flows=combine(known.flows, incoming.flows),
    )
