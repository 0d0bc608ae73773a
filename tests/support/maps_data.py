"""Small generated networks for the map tests and the map benchmark.

A Zhangjiagang–Yanhe-shaped pair with every kind of unit and pairing, a known number of
deeply poor villages left without a partner, and the real names the maps are searched
for (高峰村 under 中界镇, paired with 善港村); plus a copy with hostile names.
"""

from __future__ import annotations

import datetime as dt

from pairnet.graph.model import Dataset, Pairing, Source, Unit, stable_id

__all__ = ["HELPED", "HELPER", "HOSTILE", "GAOFENG", "pair_dataset", "hostile_dataset", "national_dataset"]

HELPER, HELPED = "320582", "520627"
GAOFENG = "520627110201"
START = dt.date(2017, 3, 1)
HOSTILE = [
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "</script><script>window.__xss=1;alert(1)</script>",
    '"><svg onload="window.__xss=1">',
    "{{ 7*7 }}<b>粗</b>&amp;",
]


def _unit(kind, name, side, parent=None, code=None, row=None, **extra) -> Unit:
    uid = code or stable_id("u", kind, parent, name)
    return Unit(
        id=uid,
        kind=kind,
        name=name,
        side=side,
        parent_id=parent,
        code=code,
        source=Source(file="generated.xlsx", sheet="units", row=row),
        **extra,
    )


def pair_dataset(*, townships: int = 4, villages: int = 6, unpaired_deeply_poor: int = 2, names=None) -> Dataset:
    """A helper city and a helped county with ``townships`` townships of ``villages``
    villages each on the helped side. Half of each township's villages are deeply poor;
    all of them are paired except the last ``unpaired_deeply_poor``. Every level has at
    least one pairing; the last helped township and one helped school have no partner."""
    names = iter(names or ())
    units: list[Unit] = []
    pairings: list[Pairing] = []

    def add(*args, **kwargs) -> Unit:
        unit = _unit(*args, row=len(units) + 2, **kwargs)
        units.append(unit)
        return unit

    def pair(helper: Unit, helped: Unit, level: str, mode=None) -> None:
        pairings.append(
            Pairing(
                id=stable_id("p", helper.id, helped.id, level, START),
                helper_id=helper.id,
                helped_id=helped.id,
                level=level,
                mode=mode,
                start=START,
                source=Source(file="generated.xlsx", sheet="pairings", row=len(pairings) + 2),
            )
        )

    city = add("city", "张家港市", "helper", code=HELPER)
    county = add("county", "沿河土家族自治县", "helped", code=HELPED)
    pair(city, county, "government")
    for name in ("发改委", "人社局", "教育局"):
        pair(
            add("department", f"张家港市{name}", "helper", city.id),
            add("department", f"沿河县{name}", "helped", county.id),
            "department",
        )
    zone = add("township", "经济技术开发区", "helper", city.id, code="320582400")
    shangang = add("village", "善港村", "helper", zone.id, code="320582400201")
    towns = [zone] + [add("township", next(names, f"东部镇{i}"), "helper", city.id) for i in range(1, townships)]
    state_enterprise = add(
        "enterprise", "张家港国资企业（占位）", "helper", city.id, ownership="state", placeholder=True
    )
    private_enterprise = add(
        "enterprise", "张家港民营企业（占位）", "helper", city.id, ownership="private", placeholder=True
    )
    helper_villages = [
        add("village", f"东部村{i}", "helper", towns[i % len(towns)].id) for i in range(townships * villages)
    ]
    deeply_poor: list[Unit] = []
    for t in range(townships):
        if t == 0:
            township = add("township", "中界镇", "helped", county.id, code="520627110")
        else:
            township = add("township", next(names, f"西部乡{t}"), "helped", county.id, code=f"520627{200 + t:03d}")
        if t < townships - 1:
            pair(towns[t], township, "township")
        for v in range(villages):
            if t == 0 and v == 0:
                village = add("village", "高峰村", "helped", township.id, code=GAOFENG, poverty="deeply_poor")
            else:
                poverty = "deeply_poor" if v % 2 == 0 else ("poor" if v % 3 == 1 else None)
                village = add("village", next(names, f"西部村{t}-{v}"), "helped", township.id, poverty=poverty)
            if village.poverty == "deeply_poor":
                deeply_poor.append(village)
            elif village.poverty == "poor":
                pair(private_enterprise, village, "enterprise_village", "large_enterprise")
    for index, village in enumerate(deeply_poor[: len(deeply_poor) - unpaired_deeply_poor]):
        if village.id == GAOFENG:
            pair(shangang, village, "village")
        elif index % 3 == 1:
            pair(state_enterprise, village, "enterprise_village", "state_enterprise")
        else:
            pair(helper_villages[index % len(helper_villages)], village, "village", "strong_village")
    pair(
        add("park", "张家港经济技术开发区（园区）", "helper", city.id, rank="national"),
        add("park", "贵州沿河经济开发区", "helped", county.id, rank="provincial"),
        "park",
    )
    pair(
        add("school", "张家港东部学校（占位）", "helper", city.id, placeholder=True),
        add("school", "沿河西部学校（占位）", "helped", county.id, placeholder=True),
        "school",
    )
    add("school", "沿河未结对学校（占位）", "helped", county.id, placeholder=True)
    return Dataset(units=tuple(units), pairings=tuple(pairings))


def hostile_dataset() -> Dataset:
    """:func:`pair_dataset` with hostile names for townships and villages, and a hostile code."""
    base = pair_dataset(names=[f"{name} {i}" for i, name in enumerate(HOSTILE * 20)])
    units = []
    for unit in base.units:
        if unit.id == GAOFENG:
            unit = unit.model_copy(update={"note": HOSTILE[0]})
        units.append(unit)
    units.append(_unit("village", "无害村", "helped", HELPED, code="<script>window.__xss=1</script>"))
    return Dataset(units=tuple(units), pairings=base.pairings)


def national_dataset(*, provinces: int = 2, cities: int = 2, counties: int = 3, villages: int = 4) -> Dataset:
    """Helper and helped provinces → cities → counties → villages, each helped county paired
    with one helper county and half of its villages paired (all of them in the first)."""
    units: list[Unit] = []
    pairings: list[Pairing] = []
    sides = {}
    for side in ("helper", "helped"):
        sides[side] = []
        for p in range(provinces):
            province = _unit("province", f"{side}省{p}", side)
            units.append(province)
            for c in range(cities):
                city = _unit("city", f"{side}市{p}-{c}", side, province.id)
                units.append(city)
                for k in range(counties):
                    county = _unit("county", f"{side}县{p}-{c}-{k}", side, city.id)
                    units.append(county)
                    vs = [
                        _unit(
                            "village",
                            f"{side}村{p}-{c}-{k}-{v}",
                            side,
                            county.id,
                            poverty="poor" if side == "helped" else None,
                        )
                        for v in range(villages)
                    ]
                    units.extend(vs)
                    sides[side].append((county, vs))
    for index, ((helper, helper_villages), (helped, helped_villages)) in enumerate(
        zip(sides["helper"], sides["helped"], strict=False)
    ):
        pairings.append(Pairing(id=f"pc{index}", helper_id=helper.id, helped_id=helped.id, level="government"))
        count = len(helped_villages) if index == 0 else len(helped_villages) // 2
        for v in range(count):
            pairings.append(
                Pairing(
                    id=f"pv{index}-{v}",
                    helper_id=helper_villages[v].id,
                    helped_id=helped_villages[v].id,
                    level="village",
                )
            )
    return Dataset(units=tuple(units), pairings=tuple(pairings))


PROGRAMS = ("携手奔小康", "万企帮万村", None)


def programs_dataset() -> Dataset:
    """:func:`pair_dataset` with its pairings spread over two programs and none, in turn."""
    data = pair_dataset()
    pairings = tuple(p.model_copy(update={"program": PROGRAMS[i % 3]}) for i, p in enumerate(data.pairings))
    return data.model_copy(update={"pairings": pairings})
