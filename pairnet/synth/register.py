"""The national register as the generator needs it: the small levels in memory, the
villages streamed, and the decisions that depend only on the seed and a code (which
counties and villages are poor, which western county each eastern county helps).

Every random choice is a hash of the seed and the code it is about, not a draw from a
shared stream, so that a smaller scale is an exact slice of the national data set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pairnet.loaders.register import REGISTER_FILES, register_rows, short_name

from .program import (
    ARRANGEMENTS,
    DEEP_POVERTY_AREAS,
    DEEPLY_POOR_SHARE,
    HELPER_PROVINCES,
    KNOWN_COUNTY_PAIRS,
    KNOWN_POOR,
    POOR_COUNTIES,
    POOR_VILLAGES,
)

__all__ = ["CountyPair", "Register", "chance", "is_rural", "read_rows"]

# 携手奔小康 in 2016: 354 western poor counties, 249 eastern counties.
WESTERN_PAIRED = 354
EASTERN_PER_WESTERN = 249 / 354
# Of the poor villages, the share in poor counties (the rest are in other western or
# central counties).
IN_POOR_COUNTIES = 0.88


def chance(seed: int, *key: object) -> float:
    """A number in [0, 1) that depends only on the seed and the key.

    >>> chance(1, "village", "520627110217") == chance(1, "village", "520627110217")
    True
    >>> 0 <= chance(2, "x") < 1
    True
    """
    digest = hashlib.blake2b("\x1f".join(map(str, (seed, *key))).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def is_rural(register_name: str) -> bool:
    """Whether a village-level register entry is a rural village (村, 嘎查), not an urban
    community (社区, 居委会).

    >>> is_rural("高峰村村民委员会"), is_rural("和平社区居民委员会"), is_rural("巴音嘎查")
    (True, False, True)
    """
    if any(marker in register_name for marker in ("社区", "居委会", "居民委员会")):
        return False
    return "村" in register_name or register_name.endswith("嘎查")


def side_of(code: str) -> str:
    return "helper" if code[:2] in HELPER_PROVINCES else "helped"


def read_rows(path: Path) -> Iterator[tuple[str, str, str | None]]:
    """(code, register name, parent code) of each row of a register file, read and checked
    by the loaders' register reader."""
    _kind, parent_column, code_length = REGISTER_FILES[path.name]
    for _row, code, name, parent in register_rows(path, parent_column, code_length):
        yield code, name, parent


@dataclass(frozen=True)
class CountyPair:
    """A 携手奔小康 pair: an eastern county helping a western poor county."""

    east: str
    west: str
    helper_region: str
    start: dt.date
    end: dt.date | None


@dataclass
class Register:
    """Provinces, prefectures, counties and townships of the register, plus the poverty
    decisions and the county pairs made from them."""

    directory: Path
    seed: int
    names: dict[str, str] = field(default_factory=dict)  # code → register name
    parents: dict[str, str | None] = field(default_factory=dict)
    levels: dict[str, list[str]] = field(default_factory=dict)  # file name → codes
    townships_of: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    poor_counties: set[str] = field(default_factory=set)
    poor_rate: dict[str, float] = field(default_factory=dict)  # county → chance a rural village is poor
    pairs: list[CountyPair] = field(default_factory=list)

    @classmethod
    def read(cls, directory: str | Path, *, seed: int) -> Register:
        register = cls(Path(directory), seed)
        for file_name in ("provinces.csv", "cities.csv", "areas.csv", "streets.csv"):
            codes = register.levels.setdefault(file_name, [])
            for code, name, parent in read_rows(register.directory / file_name):
                codes.append(code)
                register.names[code] = name
                register.parents[code] = parent
                if file_name == "streets.csv" and parent is not None:
                    register.townships_of[parent].append(code)
        register._choose_poor_counties()
        register._calibrate_poverty()
        register._pair_counties()
        return register

    def villages(self) -> Iterator[tuple[str, str, str | None]]:
        return read_rows(self.directory / "villages.csv")

    def name(self, code: str) -> str:
        return short_name(self.names[code])

    def _choose_poor_counties(self) -> None:
        candidates: dict[str, list[str]] = defaultdict(list)
        for code in self.levels["areas.csv"]:
            candidates[code[:2]].append(code)
        for province, count in POOR_COUNTIES.items():
            # Poor counties are rural: districts (区) come last.
            ranked = sorted(
                candidates[province],
                key=lambda c: (c not in KNOWN_POOR, self.names[c].endswith("区"), chance(self.seed, "poor-county", c)),
            )
            self.poor_counties.update(ranked[:count])

    def _calibrate_poverty(self) -> None:
        rural: Counter[str] = Counter()
        for code, name, _parent in self.villages():
            if code[:2] not in HELPER_PROVINCES and is_rural(name):
                rural[code[:6]] += 1
        in_poor = sum(n for county, n in rural.items() if county in self.poor_counties)
        elsewhere = sum(rural.values()) - in_poor
        rate_poor = min(0.95, POOR_VILLAGES * IN_POOR_COUNTIES / max(in_poor, 1))
        rate_elsewhere = POOR_VILLAGES * (1 - IN_POOR_COUNTIES) / max(elsewhere, 1)
        for county in rural:
            self.poor_rate[county] = rate_poor if county in self.poor_counties else rate_elsewhere

    def poverty(self, code: str, register_name: str) -> str | None:
        """The poverty status the generator gives a village: deeply_poor, poor or None."""
        rate = self.poor_rate.get(code[:6])
        if rate is None or not is_rural(register_name) or chance(self.seed, "poor", code) >= rate:
            return None
        deep_area = code.startswith(DEEP_POVERTY_AREAS)
        share = DEEPLY_POOR_SHARE["deep_area" if deep_area else "elsewhere"]
        return "deeply_poor" if chance(self.seed, "deep", code) < share else "poor"

    def _pair_counties(self) -> None:
        seed = self.seed
        helpers = sorted({h for h, _ in ARRANGEMENTS})
        western: dict[str, list[str]] = defaultdict(list)
        ranked_west = sorted(
            self.poor_counties, key=lambda c: (c not in KNOWN_COUNTY_PAIRS, chance(seed, "paired-west", c))
        )
        for west in ranked_west:
            matches = [(h, r) for h, r in ARRANGEMENTS if west.startswith(r)]
            if not matches:
                continue
            best = max(len(r) for _, r in matches)
            tied = sorted(h for h, r in matches if len(r) == best)
            western[tied[int(chance(seed, "helper", west) * len(tied))]].append(west)
        chosen = [w for w in ranked_west if any(w in ws for ws in western.values())][:WESTERN_PAIRED]
        chosen_set = set(chosen)
        known_east = {east for east, _ in KNOWN_COUNTY_PAIRS.values()}
        groups = []
        for helper in helpers:
            wests = [w for w in western[helper] if w in chosen_set]
            if not wests:
                continue
            # A province's own pool leaves out the cities that have their own arrangement.
            inner = tuple(h for h in helpers if h != helper and h.startswith(helper))
            pool = sorted(
                (c for c in self.levels["areas.csv"] if c.startswith(helper) and not (inner and c.startswith(inner))),
                key=lambda c: (c not in known_east, chance(seed, "paired-east", c)),
            )
            groups.append((helper, wests, pool))
        # Small helpers (Dongguan has one county) cannot give their share of eastern
        # counties; the others make up for it so that the total stays near 249.
        ratio = EASTERN_PER_WESTERN
        while ratio < 1 and self._eastern_total(groups, ratio) < round(len(chosen) * EASTERN_PER_WESTERN):
            ratio += 0.01
        for helper, wests, pool in groups:
            size = self._pool_size(wests, pool, ratio)
            for i, west in enumerate(wests):
                east = pool[i % size]
                known = KNOWN_COUNTY_PAIRS.get(west)
                if known:
                    east, start = known
                else:
                    start = dt.date(2017, 1, 1) + dt.timedelta(days=int(chance(seed, "pair-start", west) * 700))
                # The 2021 adjustment ended about one pair in ten.
                ended = known is None and chance(seed, "pair-end", west) < 0.1
                self.pairs.append(CountyPair(east, west, helper, start, dt.date(2020, 12, 31) if ended else None))

    @staticmethod
    def _pool_size(wests: list[str], pool: list[str], ratio: float) -> int:
        return max(1, min(len(pool), round(len(wests) * ratio)))

    def _eastern_total(self, groups, ratio: float) -> int:
        return sum(self._pool_size(wests, pool, ratio) for _, wests, pool in groups)
