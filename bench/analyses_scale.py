"""Coverage, gaps and recommendations on a synthetic network of N villages, in memory.

Run from the repository root::

    .venv/bin/python -m bench.analyses_scale            # 50,000 and 200,000 villages
    .venv/bin/python -m bench.analyses_scale 20000 80000

The network is made up (no register needed): western counties of 20 townships × 25
villages, a quarter of the villages deeply poor; each pair of western counties is helped by
one eastern county of 10 towns × 20 villages; 90% of the townships and 30% of the villages
are paired, a tenth of the pairings ended. Each analysis is timed at every size; the
baseline, measured in the same run, is one plain pass over the units and pairings (what any
analysis must at least read). If the analyses are near-linear, their ratio to the baseline
stays about the same as the network grows. Times are CPU seconds of this process.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time

from pairnet.graph.coverage import coverage
from pairnet.graph.gaps import gaps
from pairnet.graph.model import Dataset, Pairing, Unit
from pairnet.graph.network import build_network
from pairnet.graph.recommend import recommend

__all__ = ["synthetic", "main"]

AS_OF = dt.date(2020, 6, 30)
TOWNSHIPS, VILLAGES = 20, 25  # per western county, per township
TOWNS, EAST_VILLAGES = 10, 20  # per eastern county, per town


def synthetic(villages: int, *, seed: int = 7) -> Dataset:
    """A made-up county-pair network with ``villages`` western villages (see the module doc)."""
    rng = random.Random(seed)
    units: list[Unit] = []
    pairings: list[Pairing] = []
    counties = max(1, villages // (TOWNSHIPS * VILLAGES))

    def pair(helper: str, helped: str, level: str) -> None:
        ended = rng.random() < 0.1
        pairings.append(
            Pairing(
                id=f"p{len(pairings)}",
                helper_id=helper,
                helped_id=helped,
                level=level,
                start=dt.date(2017, 3, 1),
                end=dt.date(2019, 12, 31) if ended else None,
            )
        )

    for e in range(0, counties, 2):
        east = f"E{e}"
        units.append(Unit(id=east, kind="county", name=f"东县{e}", side="helper"))
        for t in range(TOWNS):
            units.append(Unit(id=f"{east}-{t}", kind="township", name=f"东镇{t}", side="helper", parent_id=east))
            units.extend(
                Unit(id=f"{east}-{t}-{v}", kind="village", name=f"东村{v}", side="helper", parent_id=f"{east}-{t}")
                for v in range(EAST_VILLAGES)
            )
    for w in range(counties):
        west, east = f"W{w}", f"E{w - w % 2}"
        units.append(Unit(id=west, kind="county", name=f"西县{w}", side="helped"))
        pair(east, west, "government")
        for t in range(TOWNSHIPS):
            township = f"{west}-{t}"
            units.append(Unit(id=township, kind="township", name=f"西乡{t}", side="helped", parent_id=west))
            partner_town = f"{east}-{rng.randrange(TOWNS)}"
            if rng.random() < 0.9:
                pair(partner_town, township, "township")
            for v in range(VILLAGES):
                village = f"{township}-{v}"
                poverty = "deeply_poor" if rng.random() < 0.25 else None
                units.append(
                    Unit(
                        id=village, kind="village", name=f"西村{v}", side="helped", parent_id=township, poverty=poverty
                    )
                )
                if rng.random() < 0.3:
                    pair(f"{partner_town}-{rng.randrange(EAST_VILLAGES)}", village, "village")
    return Dataset(units=tuple(units), pairings=tuple(pairings))


def _time(function) -> tuple[float, object]:
    # CPU time of this process: the machines are shared, and wall time counts the neighbours.
    start = time.process_time()
    result = function()
    return time.process_time() - start, result


def main(sizes: list[int]) -> None:
    print(f"{'villages':>9} {'units':>8} {'pairings':>8} {'baseline s':>10}  analysis: CPU seconds (× baseline)")
    for size in sizes:
        dataset = synthetic(size)
        G = build_network(dataset)
        baseline, _ = _time(lambda G=G: (sum(1 for _ in G.nodes(data="unit")), sum(1 for _ in G.edges(data="pairing"))))
        figures = {}
        for name, run in {
            "coverage by county": lambda G=G: coverage(
                G, kind="village", side="helped", poverty="deeply_poor", as_of=AS_OF, by="county"
            ),
            "gaps": lambda G=G: gaps(G, kind="village", side="helped", poverty="deeply_poor", as_of=AS_OF),
            "recommend": lambda G=G: recommend(G, kind="village", poverty="deeply_poor", as_of=AS_OF),
        }.items():
            seconds, result = _time(run)
            figures[name] = (seconds, result)
        summary = "; ".join(f"{name} {s:.2f} s ({s / baseline:.0f}×)" for name, (s, _) in figures.items())
        print(f"{size:>9} {len(dataset.units):>8} {len(dataset.pairings):>8} {baseline:>10.3f}  {summary}")
        print(f"{'':>9} gaps: {len(figures['gaps'][1])}; {figures['recommend'][1]['statement']}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [50_000, 200_000])
