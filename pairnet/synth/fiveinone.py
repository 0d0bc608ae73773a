"""The pairings below a county pair (五位一体), and the 万企帮万村 enterprises of a county.

Everything here is synthetic: which town helps which township, which villages are paired,
how many schools, enterprises and parks take part. The shares are drawn per county pair
around the published figures (Suzhou's 100 towns and 409 villages paired with 122
townships and 446 villages of Tongren by 2019; 88,100 enterprises helping 102,700
villages by mid-2019), so that coverage varies from pair to pair and gaps are real. The
one real pair (Zhangjiagang → Yanhe) gets the article's full township coverage and all
of its deeply poor villages paired. Synthetic units are marked ``placeholder`` and their
names carry （合成）/ 合成 ("synthetic").
"""

from __future__ import annotations

import datetime as dt
import math

from pairnet.graph.model import stable_id

from .output import CsvOutput
from .program import DEPARTMENTS, KNOWN_COUNTY_PAIRS
from .register import CountyPair, Register, chance

__all__ = ["PairContext", "county_enterprises", "five_in_one"]

MODES = (
    ("civilization_led", "office", "合成文明单位"),
    ("social_organization", "social_organization", "合成社会组织"),
    ("leading_group_member", "department", None),
    ("strong_village", "village", None),
    ("large_enterprise", "enterprise", "合成规模企业"),
    ("state_enterprise", "enterprise", "合成国企"),
)
LAST_DAY = dt.date(2024, 12, 31)


class PairContext:
    """Writes the units and pairings of one county pair."""

    def __init__(
        self, out: CsvOutput, register: Register, pair: CountyPair, villages: dict[str, list[tuple[str, str | None]]]
    ):
        self.out, self.register, self.pair, self.villages = out, register, pair, villages
        self.seed = register.seed
        self.known = pair.west in KNOWN_COUNTY_PAIRS
        self.paired_villages: set[str] = set()

    def chance(self, *key: object) -> float:
        return chance(self.seed, self.pair.west, *key)

    def ranked(self, codes, tag: str) -> list[str]:
        return sorted(codes, key=lambda c: chance(self.seed, tag, c))

    def date_after(self, start: dt.date, *key: object, days: int = 540) -> dt.date:
        return min(start + dt.timedelta(days=int(self.chance("date", *key) * days)), LAST_DAY)

    def end_for(self, *key: object) -> dt.date | None:
        """The pair's end, or for about one pairing in twenty an end of its own."""
        if self.pair.end is not None:
            return self.pair.end
        if self.chance("churn", *key) < 0.05:
            return dt.date(2019, 6, 30) + dt.timedelta(days=int(self.chance("churn-day", *key) * 1500))
        return None

    def synthetic(self, kind: str, parent: str, name: str, side: str, **extra) -> str:
        unit_id = stable_id("u", kind, parent, name)
        self.out.unit(
            id=unit_id, kind=kind, name=name, side=side, parent=parent, placeholder=True, note="synthetic", **extra
        )
        return unit_id

    def pairing(
        self, helper: str, helped: str, level: str, start: dt.date, *, program="携手奔小康", mode=None, placeholder=True
    ) -> str | None:
        end = self.end_for(helper, helped, level)
        if end is not None and end < start:
            end = start
        pairing_id = stable_id("p", helper, helped, level, start.isoformat())
        written = self.out.pairing(
            id=pairing_id,
            helper=helper,
            helped=helped,
            level=level,
            mode=mode,
            program=program,
            start=start,
            end=end,
            placeholder=placeholder,
            note=None if placeholder else "real arrangement",
        )
        if not written:
            return None
        if level in ("village", "enterprise_village"):
            self.paired_villages.add(helped)
            if self.chance("donation", pairing_id) < 0.6:
                amount = round(1 + self.chance("donation-amount", pairing_id) * 49, 1)
                self.out.flow(
                    id=stable_id("f", pairing_id, "donation_money", start.year),
                    kind="donation_money",
                    amount=amount,
                    unit_of_measure="万元",
                    year=start.year,
                    **{"from": helper, "to": helped},
                    pairing=pairing_id,
                )
        return pairing_id


def _round_robin(
    ctx: PairContext, helpers: list[str], helpeds: list[str], level: str, start: dt.date, ratio: float, **kw
) -> None:
    if not helpers:
        return
    used = helpers[: max(1, min(len(helpers), round(len(helpeds) * ratio)))]
    for i, helped in enumerate(helpeds):
        helper = used[i % len(used)]
        ctx.pairing(helper, helped, level, ctx.date_after(start, level, helped), **kw)


def five_in_one(ctx: PairContext) -> None:
    """Write the five levels of one county pair, with flows along the county pairing."""
    pair, register = ctx.pair, ctx.register
    east, west, start = pair.east, pair.west, pair.start
    county = ctx.pairing(east, west, "government", start, placeholder=not ctx.known)
    _county_flows(ctx, county)

    n_departments = len(DEPARTMENTS) if ctx.known else 4 + int(ctx.chance("departments") * 9)
    east_departments = []
    for name in DEPARTMENTS[:n_departments]:
        helper = ctx.synthetic("department", east, name, "helper")
        helped = ctx.synthetic("department", west, name, "helped")
        east_departments.append(helper)
        ctx.pairing(helper, helped, "department", ctx.date_after(start, "department", name, days=120))

    east_towns = ctx.ranked(register.townships_of.get(east, []), "east-town")
    west_towns = ctx.ranked(register.townships_of.get(west, []), "west-town")
    share = 1.0 if ctx.known else 0.45 + 0.55 * ctx.chance("township-share")
    _round_robin(ctx, east_towns, west_towns[: math.ceil(share * len(west_towns))], "township", start, 100 / 122)

    east_villages = [code for code, _ in ctx.villages.get(east, [])]
    poor = ctx.villages.get(west, [])
    deep = ctx.ranked([c for c, p in poor if p == "deeply_poor"], "deep-village")
    other = ctx.ranked([c for c, p in poor if p == "poor"], "poor-village")
    deep_share, poor_share = 0.3 + 0.5 * ctx.chance("deep-share"), 0.1 + 0.3 * ctx.chance("poor-share")
    targets = deep[: round(deep_share * len(deep))] + other[: round(poor_share * len(other))]
    _round_robin(ctx, ctx.ranked(east_villages, "east-village"), targets, "village", start, 409 / 446)

    _enterprises(ctx, deep, other, start)
    _modes(ctx, deep, east_departments, east_villages)
    _schools_hospitals_parks(ctx, east_towns, west_towns)


def _county_flows(ctx: PairContext, pairing_id: str | None) -> None:
    if pairing_id is None:
        return
    pair = ctx.pair
    last = (pair.end or LAST_DAY).year
    kinds = (
        ("funds", "万元", 800, 8000),
        ("cadres_seconded", "人", 5, 60),
        ("cadres_trained", "人", 20, 300),
        ("teachers", "人", 5, 50),
        ("workers_placed", "人", 20, 400),
        ("visits", "人次", 100, 1800),
    )
    for year in range(pair.start.year, last + 1):
        # Funds grew until 2020 and fell back under rural revitalisation.
        scale = 1.0 if year <= 2020 else 0.6
        for kind, measure, low, high in kinds:
            amount = low + (high - low) * ctx.chance("flow", kind, year)
            amount = round(amount * scale, 1) if kind == "funds" else int(amount * scale)
            ctx.out.flow(
                id=stable_id("f", pairing_id, kind, year),
                kind=kind,
                amount=amount,
                unit_of_measure=measure,
                year=year,
                **{"from": pair.east, "to": pair.west},
                pairing=pairing_id,
            )


def _enterprises(ctx: PairContext, deep: list[str], other: list[str], start: dt.date) -> None:
    east = ctx.pair.east
    n_state = 6 if ctx.known else int(ctx.chance("soe") * 7)
    n_private = 12 if ctx.known else int(ctx.chance("private") * 13)
    free_deep = [v for v in deep if v not in ctx.paired_villages]
    for i, helped in enumerate(free_deep[:n_state]):
        helper = ctx.synthetic("enterprise", east, f"合成国企 {east}-{i + 1:02d}", "helper", ownership="state")
        ctx.pairing(helper, helped, "enterprise_village", ctx.date_after(start, "soe", i))
    free = [v for v in free_deep[n_state:] + other if v not in ctx.paired_villages]
    for i, helped in enumerate(free[:n_private]):
        helper = ctx.synthetic("enterprise", east, f"合成民企 {east}-{i + 1:02d}", "helper", ownership="private")
        ctx.pairing(helper, helped, "enterprise_village", ctx.date_after(start, "private", i))


def _modes(ctx: PairContext, deep: list[str], east_departments: list[str], east_villages: list[str]) -> None:
    """From 2018 the six modes pair more of the deeply poor villages left without a partner."""
    east = ctx.pair.east
    start = max(ctx.pair.start, dt.date(2018, 1, 1))
    rate = 1.0 if ctx.known else 0.5
    for i, helped in enumerate(v for v in deep if v not in ctx.paired_villages):
        if ctx.chance("mode-take", helped) >= rate:
            continue
        mode, kind, prefix = MODES[int(ctx.chance("mode", helped) * len(MODES))]
        if kind == "department":
            helper = east_departments[i % len(east_departments)]
        elif kind == "village":
            if not east_villages:
                continue
            helper = east_villages[int(ctx.chance("strong", helped) * len(east_villages))]
        else:
            extra = {"ownership": "state" if mode == "state_enterprise" else "private"} if kind == "enterprise" else {}
            helper = ctx.synthetic(kind, east, f"{prefix} {east}-{i % 5 + 1:02d}", "helper", **extra)
        ctx.pairing(helper, helped, "village", ctx.date_after(start, "mode", helped, days=365), mode=mode)


def _schools_hospitals_parks(ctx: PairContext, east_towns: list[str], west_towns: list[str]) -> None:
    pair, register = ctx.pair, ctx.register
    east, west, start = pair.east, pair.west, pair.start

    def schools(county: str, towns: list[str], side: str) -> list[str]:
        stages = ("高级中学", "初级中学", "小学", "职业学校", "幼儿园")
        n_county = 3 + int(ctx.chance("county-schools", county) * 9)
        made = [
            ctx.synthetic(
                "school",
                county,
                f"{register.name(county)}第{i // len(stages) + 1}{stages[i % len(stages)]}（合成）",
                side,
                stage=stages[i % len(stages)],
            )
            for i in range(n_county)
        ]
        made += [
            ctx.synthetic("school", town, f"{register.name(town)}中心学校（合成）", side, stage="小学")
            for town in towns
        ]
        return made

    west_schools = schools(west, west_towns, "helped")
    share = 0.4 + 0.5 * ctx.chance("school-share")
    east_schools = schools(east, east_towns, "helper")
    targets = ctx.ranked(west_schools, "west-school")[: round(share * len(west_schools))]
    _round_robin(ctx, ctx.ranked(east_schools, "east-school"), targets, "school", start, 0.8)

    if ctx.chance("hospital") < 0.8:
        helper = ctx.synthetic("hospital", east, f"{register.name(east)}人民医院（合成）", "helper")
        helped = ctx.synthetic("hospital", west, f"{register.name(west)}人民医院（合成）", "helped")
        ctx.pairing(helper, helped, "hospital", ctx.date_after(start, "hospital"))
    if ctx.known or ctx.chance("park") < 0.3:
        helped = ctx.synthetic("park", west, f"{register.name(west)}经济开发区（合成）", "helped", rank="provincial")
        for i in range(3 if ctx.known else 1 + int(ctx.chance("parks") * 2)):
            rank = "provincial" if i == 2 else "national"
            helper = ctx.synthetic("park", east, f"合成园区 {east}-{i + 1}", "helper", rank=rank)
            ctx.pairing(helper, helped, "park", ctx.date_after(start, "park", i))


def county_enterprises(out: CsvOutput, register: Register, county: str, villages: list[str]) -> None:
    """万企帮万村: local enterprises (about 0.86 per village) each helping one or two of
    ``villages``, from 2016 to 2019."""
    seed = register.seed
    if not villages:
        return
    n_enterprises = math.ceil(len(villages) * 88_100 / 102_700)
    for i, helped in enumerate(villages):
        name = f"合成民企 {county}-{i % n_enterprises + 1:04d}"
        helper = stable_id("u", "enterprise", county, name)
        out.unit(
            id=helper,
            kind="enterprise",
            name=name,
            side="helper",
            parent=county,
            ownership="private",
            placeholder=True,
            note="synthetic",
        )
        start = dt.date(2016, 1, 1) + dt.timedelta(days=int(chance(seed, "wanqi", helped) * 1460))
        end = None
        if chance(seed, "wanqi-end", helped) < 0.08:
            end = dt.date(2021, 1, 1) + dt.timedelta(days=int(chance(seed, "wanqi-end-day", helped) * 1000))
        pairing_id = stable_id("p", helper, helped, "enterprise_village", start.isoformat())
        if (
            out.pairing(
                id=pairing_id,
                helper=helper,
                helped=helped,
                level="enterprise_village",
                program="万企帮万村",
                start=start,
                end=end,
                placeholder=True,
            )
            and chance(seed, "wanqi-flow", helped) < 0.5
        ):
            out.flow(
                id=stable_id("f", pairing_id, "funds", start.year),
                kind="funds",
                amount=round(2 + chance(seed, "wanqi-amount", helped) * 98, 1),
                unit_of_measure="万元",
                year=start.year,
                **{"from": helper, "to": helped},
                pairing=pairing_id,
            )
