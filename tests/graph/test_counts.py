"""Answers that say what they count (issue 14.5): the question each coverage answer carries,
units reached only through a descendant, and the helper side two-way coverage takes."""

from pairnet.graph.coverage import coverage
from pairnet.graph.full_coverage import two_way_coverage
from pairnet.graph.gaps import gaps
from tests.support.analysis_graphs import D, network, pairing, unit


def provinces():
    """A helped province with two prefectures, one of them paired at the city level."""
    return network(
        [
            unit("js", "province", "江苏省", "helper"),
            unit("sz", "city", "苏州市", "helper", "js"),
            unit("hb", "province", "河北省", "helped"),
            unit("zjk", "city", "张家口市", "helped", "hb"),
            unit("cd", "city", "承德市", "helped", "hb"),
            unit("gz", "province", "贵州省", "helped"),
        ],
        [pairing("p", "sz", "zjk", "government", start=D(2017, 1, 1))],
    )


def test_a_province_reached_through_its_prefecture_is_counted_apart_not_covered():
    r = coverage(provinces(), kind="province", side="helped", as_of=D(2018, 12, 31))
    assert (r["targets"], r["covered"], r["through_descendant"]) == (2, 0, 1)
    before = coverage(provinces(), kind="province", side="helped", as_of=D(2016, 12, 31))
    assert before["through_descendant"] == 0


def test_gaps_say_through_which_unit():
    rows = gaps(provinces(), kind="province", side="helped", as_of=D(2018, 12, 31), sort="name")
    assert [(r["name"], r["status"], r["through"]) for r in rows] == [
        ("河北省", "through_descendant", "张家口市"),
        ("贵州省", "never_paired", None),
    ]
    only = gaps(provinces(), kind="province", side="helped", as_of=D(2018, 12, 31), status="through_descendant")
    assert [r["name"] for r in only] == ["河北省"]


def test_coverage_names_kind_side_place_date_and_levels():
    r = coverage(provinces(), kind="city", side="helped", within="hb", levels=["government"], as_of=D(2018, 12, 31))
    assert r["asked"] == {
        "kind": ["city"],
        "side": "helped",
        "poverty": None,
        "stage": None,
        "program": None,
        "place": {"id": "hb", "code": None, "name": "河北省"},
        "as_of": "2018-12-31",
        "levels": ["government"],
    }
    assert (r["covered"], r["targets"]) == (1, 2)


def test_two_way_helper_side_is_what_the_pairings_define():
    G = network(
        [
            unit("zjg", "county", "张家港市", "helper"),
            *(unit(f"e{i}", "township", f"镇{i}", "helper", "zjg") for i in range(3)),
            unit("yh", "county", "沿河", "helped"),
            unit("w", "township", "中界镇", "helped", "yh"),
        ],
        [pairing("p", "e0", "w", "township", program="east_west_cooperation")],
    )
    r = two_way_coverage(G, helper_within="zjg", helped_within="yh")
    assert (r["helper"]["targets"], r["full"], r["helper_set"]) == (1, True, "pairings")
    every = two_way_coverage(G, helper_within="zjg", helped_within="yh", every_helper=True)
    assert (every["helper"]["targets"], every["full"], every["helper_set"]) == (3, False, "within")
    other = two_way_coverage(G, helper_within="zjg", helped_within="yh", program="other")
    assert (other["helper"]["targets"], other["full"]) == (0, False)
