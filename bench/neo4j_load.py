"""Loading into Neo4j two ways: one MERGE per row (what a newcomer writes) and the store's
batched ``UNWIND $rows ... MERGE`` in one transaction; prints both rates and their ratio.

The data is ``--source`` (the Zhangjiagang–Yanhe sample, or a folder such as ``pairnet synth
--scale province``'s) repeated (every id suffixed per copy) until it has at least
``--pairings`` pairings. The per-row way commits each row on its own, as the driver's
``session.run`` does; it is timed on as many whole copies of ``--per-row-source`` (the
sample) as make about ``--per-row-limit`` records (its rate is flat, and the whole set would
take an hour or more) unless ``--per-row-limit 0``.

    scripts/neo4j start && .venv/bin/python bench/neo4j_load.py
    .venv/bin/python bench/neo4j_load.py --source province/ --pairings 1   # the province set once

The target database is ERASED first (default: the test Neo4j on bolt://127.0.0.1:7687).
The store writes every import in one transaction, so its heap bounds the size; the peak
transaction heap is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pairnet.graph.model import Dataset, Pairing, Unit  # noqa: E402
from pairnet.loaders import read_dataset  # noqa: E402
from pairnet.store.neo4j_store import KIND_LABELS, Neo4jStore  # noqa: E402

SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"


def repeat(dataset: Dataset, copies: int) -> Dataset:
    """``copies`` disjoint copies of ``dataset``: every id and reference gets ``~k``."""

    def ref(value: str | None, k: int) -> str | None:
        return None if value is None else f"{value}~{k}"

    units, pairings, flows = [], [], []
    for k in range(copies):
        units += [
            u.model_copy(
                update={
                    "id": ref(u.id, k),
                    "parent_id": ref(u.parent_id, k),
                    "successor_ids": tuple(ref(s, k) for s in u.successor_ids),
                }
            )
            for u in dataset.units
        ]
        pairings += [
            p.model_copy(
                update={"id": ref(p.id, k), "helper_id": ref(p.helper_id, k), "helped_id": ref(p.helped_id, k)}
            )
            for p in dataset.pairings
        ]
        flows += [
            f.model_copy(
                update={
                    "id": ref(f.id, k),
                    "from_id": ref(f.from_id, k),
                    "to_id": ref(f.to_id, k),
                    "pairing_id": ref(f.pairing_id, k),
                }
            )
            for f in dataset.flows
        ]
    return Dataset.model_construct(units=tuple(units), pairings=tuple(pairings), flows=tuple(flows))


def per_row(store: Neo4jStore, sample: Dataset, copies: int) -> tuple[int, float]:
    """One auto-committed statement per record of ``copies`` whole copies of the sample
    (units, then pairings, then flows, in their proportions), as a newcomer would write it:
    each MERGEs its record with the same properties and provenance as the store, and the
    record's own relationships (a parent or successor not written yet is MERGEd bare and
    filled in when its row comes), so that both ways build the same graph."""
    data = repeat(sample, copies)
    records = [*data.units, *data.pairings, *data.flows]
    imported_at = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with store._driver.session() as session:
        for record in records:
            props = {
                k: (v.value if hasattr(v, "value") else v)
                for k, v in record.model_dump(exclude={"source", "id"}).items()
                if v not in (None, ())
            }
            props |= {
                "source_file": "bench.xlsx",
                "source_sheet": record.source.sheet,
                "source_row": record.source.row,
                "import_id": "per-row",
                "imported_at": imported_at,
            }
            if isinstance(record, Pairing):
                session.run(
                    "MATCH (a:Unit {id: $helper}) MATCH (b:Unit {id: $helped}) "
                    "MERGE (a)-[p:PAIRED_WITH {id: $id}]->(b) SET p += $props",
                    helper=record.helper_id,
                    helped=record.helped_id,
                    id=record.id,
                    props=props,
                ).consume()
            elif isinstance(record, Unit):
                session.run(
                    f"MERGE (u:Unit {{id: $id}}) SET u += $props SET u:{KIND_LABELS[record.kind]} "
                    "FOREACH (parent_id IN CASE WHEN $parent IS NULL THEN [] ELSE [$parent] END |"
                    "  MERGE (parent:Unit {id: parent_id}) MERGE (u)-[:PART_OF]->(parent)) "
                    "FOREACH (successor_id IN $successors |"
                    "  MERGE (successor:Unit {id: successor_id}) MERGE (u)-[:SUCCEEDED_BY]->(successor))",
                    id=record.id,
                    props=props,
                    parent=record.parent_id,
                    successors=list(record.successor_ids),
                ).consume()
            else:
                session.run(
                    "MERGE (f:Flow {id: $id}) SET f += $props "
                    "FOREACH (source_id IN CASE WHEN $from IS NULL THEN [] ELSE [$from] END |"
                    "  MERGE (source:Unit {id: source_id}) MERGE (f)-[:FROM]->(source)) "
                    "FOREACH (target_id IN CASE WHEN $to IS NULL THEN [] ELSE [$to] END |"
                    "  MERGE (target:Unit {id: target_id}) MERGE (f)-[:TO]->(target))",
                    {"id": record.id, "props": props, "from": record.from_id, "to": record.to_id},
                ).consume()
    return len(records), time.perf_counter() - started


def graph_shape(store: Neo4jStore) -> dict[str, int]:
    """Nodes per label and relationships per type: what both ways must have built alike
    (the history of imports, which only the store keeps, left out)."""
    rows = store.run("MATCH (n) UNWIND labels(n) AS name RETURN name, count(*) AS n")
    rows += store.run("MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS n")
    return {row["name"]: row["n"] for row in rows if row["name"] not in ("Import", "ImportChange", "PairnetMeta")}


def batched(store: Neo4jStore, dataset: Dataset) -> tuple[int, float, int]:
    """The store's write; also the peak heap the import's transaction used, polled."""
    peak, stop = [0], threading.Event()

    def watch() -> None:
        with store._driver.session() as session:
            while not stop.wait(0.5):
                for row in session.run("SHOW TRANSACTIONS YIELD estimatedUsedHeapMemory AS used RETURN used"):
                    peak[0] = max(peak[0], row["used"] or 0)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    try:
        store.write(dataset, source="bench.xlsx")
    finally:
        stop.set()
        watcher.join()
    return sum(dataset.counts().values()), time.perf_counter() - started, peak[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uri", default="bolt://127.0.0.1:7687")
    parser.add_argument("--source", type=Path, default=SAMPLE, help="a file or folder to load (e.g. pairnet synth's)")
    parser.add_argument(
        "--per-row-source", type=Path, default=SAMPLE, help="what the per-row way loads (its rate is flat)"
    )
    parser.add_argument("--pairings", type=int, default=10_000)
    parser.add_argument("--per-row-limit", type=int, default=5_000)
    parser.add_argument("--batch-sizes", default="2000", help="comma-separated; the first is the one compared")
    args = parser.parse_args()

    sample = read_dataset(args.source)
    per_row_sample = sample if args.per_row_source == args.source else read_dataset(args.per_row_source)
    copies = -(-args.pairings // max(1, len(sample.pairings)))
    data = repeat(sample, copies)
    print(f"data: {args.source.name} x {copies} = {data.counts()}", flush=True)

    store = Neo4jStore(args.uri)
    try:
        rates = {}
        for size in (int(s) for s in args.batch_sizes.split(",")):
            store.erase()
            store.batch_size = size
            count, seconds, peak = batched(store, data)
            rates[size] = count / seconds
            print(
                f"batched (UNWIND, batch {size}, one transaction): {count} records in {seconds:.1f} s"
                f" = {rates[size]:,.0f}/s; transaction heap peak {peak / 2**20:,.0f} MiB"
                f" ({peak / count:,.0f} bytes/record)",
                flush=True,
            )
        assert store.snapshot().counts() == data.counts()
        per_row_copies = (
            copies if not args.per_row_limit else max(1, args.per_row_limit // sum(per_row_sample.counts().values()))
        )
        # Fairness: both ways must build the same graph from the same records.
        store.erase()
        store.write(repeat(per_row_sample, per_row_copies), source="bench.xlsx")
        batched_shape = graph_shape(store)
        store.erase()
        count, seconds = per_row(store, per_row_sample, per_row_copies)
        assert graph_shape(store) == batched_shape, (graph_shape(store), batched_shape)
        slow = count / seconds
        print(
            f"per row (one MERGE statement per record, auto-commit): {count} records in {seconds:.1f} s"
            f" = {slow:,.0f}/s",
            flush=True,
        )
        first = int(args.batch_sizes.split(",")[0])
        print(f"ratio batched/per-row: {rates[first] / slow:.1f}x")
        store.erase()
    finally:
        store.close()


if __name__ == "__main__":
    main()
