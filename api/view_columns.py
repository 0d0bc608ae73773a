"""A whole view (the snapshot and its network) as columns, for the view file
(:mod:`api.view_file`): what a starting server reads instead of reading the store and
building the network again.

A pickle of the records themselves costs, per record, a call of pydantic's
``__setstate__`` and a dictionary, a set of field names and a datetime of its own: 10.9 s
and 3.6 GiB for the national set. Here each kind of record is one column per field over a
template record (the values most records share: defaults, an import's file and time), the
``source`` field a nested set of columns, and the records are made again from them by
loops in C (``map``) without validation: they were valid when the view was built. Equal
values are made one object before pickling (the pickle then holds them once), so that the
records read back share them: a unit's ``parent_id`` is its parent's id string, every
record of an import has the same ``imported_at``, and records given the same fields share
one set of their names (``__pydantic_fields_set__``; nothing changes it in place: a frozen
model cannot be assigned to, and ``model_copy`` copies it). On the national set: 5.7–6.2 s
of CPU and a peak of 1.50 GiB, against 29.8 s and 3.15 GiB for snapshot + build.

The network is kept as :func:`graph.network.build_network` (or
:func:`graph.incremental.patch_network`) made it, down to the order of nodes, neighbours
and keys: a node's usual attributes are made again from its unit and its sides, the edges
are pickled as copies with each pairing as its place among the records, and a node or
edge whose attributes are not the usual ones is kept as it is. Anything the decoder does
not recognise (a field added to a record, a private attribute) raises ValueError: the file
is then no file.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from itertools import compress, repeat
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from pairnet.graph.model import Dataset, Flow, Pairing, Source, Unit

__all__ = ["decode_view", "encode_view"]

# The attributes of a node as graph.network builds them, in its order.
NODE_KEYS = ("unit", "kind", "name", "sides", "side", "parent_id")
# Fields holding a record of their own, kept as nested columns.
_NESTED: dict[str, type[BaseModel]] = {"source": Source}
# Values made one object when equal. Keyed with their type (1 == True == 1.0) and, for
# datetimes, their offset (equal instants in two zones are not the same value to show).
_SHARED = (str, tuple, frozenset, dt.date, dt.datetime)
#: The neighbours of a node without edges in a network read from a file.
NO_NEIGHBOURS: Mapping[str, Any] = MappingProxyType({})


class _Pool:
    """Equal values made one object."""

    def __init__(self) -> None:
        self._strings: dict[str | None, str | None] = {}
        self._values: dict[tuple[Any, ...], Any] = {}

    def one(self, value: Any) -> Any:
        kind = type(value)
        if kind is str:
            return self._strings.setdefault(value, value)
        if kind not in _SHARED:
            return value
        key = (kind, value, value.utcoffset()) if kind is dt.datetime else (kind, value)
        return self._values.setdefault(key, value)

    def column(self, values: Iterable[Any]) -> list[Any]:
        values = list(values)
        kinds = set(map(type, values))
        if kinds.isdisjoint(_SHARED):
            return values  # None, numbers, enumerations: nothing to share
        if kinds <= {str, type(None)}:  # ids, names: one loop in C
            return list(map(self._strings.setdefault, values, values))
        return list(map(self.one, values))


def _encode_records(records: Sequence[BaseModel], cls: type[BaseModel], pool: _Pool) -> dict[str, Any]:
    """The records as one column per field over a template record: a field most records
    share one value of (a default, the file and time of an import) is in the template,
    with the places and values of the records that differ; any other field is a whole
    column."""
    names = tuple(cls.model_fields)
    states = list(map(vars, records))
    if set(map(type, records)) - {cls} or set(map(tuple, states)) - {names}:
        raise ValueError(f"not all {cls.__name__} records of its fields")
    template: dict[str, Any] = dict.fromkeys(names)
    columns: dict[str, Any] = {}
    for name in names:
        values = list(map(operator.itemgetter(name), states))
        if name in _NESTED:
            columns[name] = ("nested", _encode_records(values, _NESTED[name], pool))
            continue
        values = pool.column(values)  # equal values one object: compared by identity below
        common = _most_common(values)
        places = list(compress(range(len(values)), map(operator.is_not, values, repeat(common))))
        if len(places) > len(values) // 4:
            columns[name] = ("all", values)
            continue
        template[name] = common
        if places:
            columns[name] = ("some", places, list(map(values.__getitem__, places)))
    fields_sets = list(map(frozenset, map(operator.attrgetter("__pydantic_fields_set__"), records)))
    distinct = {given: given for given in fields_sets}
    given = next(iter(distinct)) if len(distinct) == 1 else list(map(distinct.__getitem__, fields_sets))
    return {"fields": names, "count": len(records), "template": template, "columns": columns, "fields_set": given}


def _most_common(values: Sequence[Any]) -> Any:
    """One of the objects most of ``values`` are equal to (None when there are none, or
    they cannot be counted): the records that are not that very object are kept apart, so
    that a value merely equal to it (``1`` and ``True``) is kept as it is."""
    try:
        counted = Counter(values).most_common(1)
    except TypeError:  # a value that cannot be hashed
        return None
    return counted[0][0] if counted else None


def _decode_records(cls: type[BaseModel], encoded: dict[str, Any]) -> list[Any]:
    """The records of ``encoded``, made as :meth:`BaseModel.model_construct` makes them
    (their values in field order), without a call per record: each loop runs in C."""
    names = tuple(cls.model_fields)
    if (
        encoded["fields"] != names
        or tuple(encoded["template"]) != names
        or cls.__pydantic_post_init__ is not None
        or cls.__private_attributes__
        or cls.model_config.get("extra") == "allow"
    ):
        raise ValueError(f"{cls.__name__} is not the record the file was written with")
    count = encoded["count"]
    rows = list(map(dict.copy, repeat(encoded["template"], count)))
    columns = encoded.pop("columns")
    while columns:  # each column let go once used: its memory serves the next records
        name, column = columns.popitem()
        if column[0] == "nested":
            _put_all(rows, name, _decode_records(_NESTED[name], column[1]))
        elif column[0] == "all":
            _put_all(rows, name, column[1])
        else:
            _put_all(list(map(rows.__getitem__, column[1])), name, column[2])
    given = encoded["fields_set"]
    if isinstance(given, frozenset):
        fields_sets: Iterable[set[str]] = repeat(set(given))
    else:
        if len(given) != count:
            raise ValueError("columns of different lengths")
        shared = {names: set(names) for names in set(given)}
        fields_sets = map(shared.__getitem__, given)
    records = list(map(object.__new__, repeat(cls, count)))
    _set_all(records, "__dict__", rows)
    del rows
    _set_all(records, "__pydantic_fields_set__", fields_sets)
    _set_all(records, "__pydantic_extra__", repeat(None))
    _set_all(records, "__pydantic_private__", repeat(None))
    return records


def _put_all(rows: Sequence[dict[str, Any]], key: str, values: Sequence[Any]) -> None:
    """``row[key] = value`` for each row and value (one loop in C)."""
    if len(values) != len(rows):
        raise ValueError("columns of different lengths")
    deque(map(operator.setitem, rows, repeat(key), values), maxlen=0)


def _set_all(objects: list[Any], name: str, values: Iterable[Any]) -> None:
    """``object.__setattr__(o, name, value)`` for each object and value, through
    BaseModel's own slot (half the time of a look-up by name)."""
    deque(map(vars(BaseModel)[name].__set__, objects, values), maxlen=0)


class _Places:
    """The place of each record of a table, by identity, for the attributes that hold it."""

    def __init__(self, records: Sequence[Any]):
        self.records = list(records)
        self._at = {id(r): i for i, r in enumerate(self.records)}

    def of(self, record: Any) -> int:
        place = self._at.get(id(record))
        if place is None:
            place = self._at[id(record)] = len(self.records)
            self.records.append(record)
        return place


class _Attributes:
    """Copies of a network's attribute dictionaries with the record under ``key`` (when it
    is a ``kind``) left out, and where each was: the copies are pickled as they are."""

    def __init__(self, key: str, kind: type[BaseModel], table: _Places, pool: _Pool):
        self.key, self.kind, self.table, self.pool = key, kind, table, pool
        self.copies: list[dict[str, Any]] = []  # the copies holding a record, in order
        self.places: list[int] = []  # the place of each one's record in the table

    def copy(self, attrs: dict[str, Any]) -> dict[str, Any]:
        copied = {key: self.pool.one(value) for key, value in attrs.items()}
        record = attrs.get(self.key)
        if type(record) is self.kind:
            copied[self.key] = None
            self.copies.append(copied)
            self.places.append(self.table.of(record))
        return copied

    def encoded(self) -> tuple[list[dict[str, Any]], list[int]]:
        return self.copies, self.places


def encode_view(dataset: Dataset, parts: dict[str, Any]) -> dict[str, Any]:
    """What :func:`decode_view` makes ``dataset`` again from, and the network whose own
    dictionaries are ``parts`` (``_node``, ``_succ``, ``_pred``, ``graph``, as
    :mod:`api.view_file` takes them)."""
    pool = _Pool()
    units, pairings, flows = _Places(dataset.units), _Places(dataset.pairings), _Places(dataset.flows)
    nodes, edges = _Attributes("unit", Unit, units, pool), _Attributes("pairing", Pairing, pairings, pool)
    one = pool.one
    ids = pool.column(parts["_node"])
    if list(parts["_succ"]) != ids or list(parts["_pred"]) != ids:
        raise ValueError("the adjacency is not in node order")
    usual: dict[str, Any] = {"units": [], "sides": [], "side": []}
    odd: dict[int, dict[str, Any]] = {}
    for position, attrs in enumerate(parts["_node"].values()):
        record = attrs.get("unit")
        if (
            tuple(attrs) == NODE_KEYS
            and type(record) is Unit
            and (attrs["kind"], attrs["name"], attrs["parent_id"]) == (record.kind, record.name, record.parent_id)
        ):
            usual["units"].append(units.of(record))
            usual["sides"].append(one(attrs["sides"]))
            usual["side"].append(attrs["side"])
        else:
            odd[position] = nodes.copy(attrs)
    # A keyed edge dictionary is one object under its head's successors and its tail's
    # predecessors: copied once, the pickle keeps it one.
    keyed: dict[int, dict[str, Any]] = {}

    def copy_keyed(keys: dict[str, Any]) -> dict[str, Any]:
        if id(keys) not in keyed:
            keyed[id(keys)] = {one(k): edges.copy(attrs) for k, attrs in keys.items()}
        return keyed[id(keys)]

    # Only the nodes with edges: the others' empty dictionaries are made faster than read.
    succ = {one(h): {one(t): copy_keyed(ks) for t, ks in tails.items()} for h, tails in parts["_succ"].items() if tails}
    pred = {one(t): {one(h): copy_keyed(ks) for h, ks in heads.items()} for t, heads in parts["_pred"].items() if heads}
    graph = dict(parts["graph"])
    graph["children"] = {one(p): pool.column(c) for p, c in graph["children"].items()}
    graph["flows"] = [flows.of(f) for f in graph["flows"]]
    if usual["units"] == list(range(len(usual["units"]))):
        usual["units"] = None  # the nodes' units are the dataset's, in its order (as built)
    return {
        # The tables first: the attributes refer to their strings.
        "units": _encode_records(units.records, Unit, pool),
        "pairings": _encode_records(pairings.records, Pairing, pool),
        "flows": _encode_records(flows.records, Flow, pool),
        "dataset": (len(dataset.units), len(dataset.pairings), len(dataset.flows), dataset.__pydantic_fields_set__),
        "nodes": {"ids": ids, "usual": usual, "odd": odd},
        "network": {"_succ": succ, "_pred": pred, "graph": graph},
        "units_at": nodes.encoded(),
        "pairings_at": edges.encoded(),
    }


def decode_view(body: dict[str, Any]) -> tuple[Dataset, dict[str, Any]]:
    """The dataset and the network's own dictionaries (``_node``, ``_adj``, ``_succ``,
    ``_pred``, ``graph``) of an :func:`encode_view`; ValueError (or another exception)
    when ``body`` is not one."""
    units = _decode_records(Unit, body.pop("units"))
    pairings = _decode_records(Pairing, body.pop("pairings"))
    flows = _decode_records(Flow, body.pop("flows"))
    n_units, n_pairings, n_flows, fields_set = body["dataset"]
    dataset = Dataset.model_construct(
        _fields_set=set(fields_set),
        units=tuple(units[:n_units]),
        pairings=tuple(pairings[:n_pairings]),
        flows=tuple(flows[:n_flows]),
    )
    for (copies, places), table, key in (
        (body["units_at"], units, "unit"),
        (body["pairings_at"], pairings, "pairing"),
    ):
        _put_all(copies, key, list(map(table.__getitem__, places)))
    ids = body["nodes"]["ids"]
    network = body["network"]
    # Most units have no pairing: their neighbours are one read-only empty mapping, not
    # two empty dictionaries each (94 MiB at national scale). Nothing changes a view's
    # network in place (requests share it, graph.incremental copies what it changes);
    # were something to, it would fail here rather than give every node its edge.
    succ: dict[str, Any] = dict.fromkeys(ids, NO_NEIGHBOURS)
    pred: dict[str, Any] = dict.fromkeys(ids, NO_NEIGHBOURS)
    succ.update(network["_succ"])
    pred.update(network["_pred"])
    if len(succ) != len(ids) or len(pred) != len(ids):
        raise ValueError("edges of no node")
    graph = network["graph"]
    graph["flows"] = list(map(flows.__getitem__, graph["flows"]))
    node = dict(zip(ids, _node_attributes(body["nodes"], units), strict=True))
    return dataset, {"_node": node, "_adj": succ, "_succ": succ, "_pred": pred, "graph": graph}


def _node_attributes(nodes: dict[str, Any], units: list[Unit]) -> list[dict[str, Any]]:
    """Each node's attributes, in node order: the usual ones made from the unit, as
    graph.network builds them (the keys of :data:`NODE_KEYS`, in its order)."""
    usual = nodes["usual"]
    places = usual["units"]
    of_nodes = units[: len(usual["sides"])] if places is None else list(map(units.__getitem__, places))
    made = [
        {"unit": u, "kind": u.kind, "name": u.name, "sides": sides, "side": side, "parent_id": u.parent_id}
        for u, sides, side in zip(of_nodes, usual["sides"], usual["side"], strict=True)
    ]
    for position in sorted(nodes["odd"]):
        made.insert(position, nodes["odd"][position])
    return made
