"""One-pairing writes (issue 16, item 5): each a small import, all or nothing, in the history
with its author, revertable, and reporting the coverage change it made."""

from __future__ import annotations

import datetime as dt

import pytest

from pairnet.graph.errors import InvalidInput, NotFound
from pairnet.people import OutOfScope, Role, add_person
from pairnet.revert import revert_import
from pairnet.service.writes import (
    ACCEPT_SOURCE,
    ADD_SOURCE,
    END_SOURCE,
    SuggestionChanged,
    WriteRefused,
    accept_suggestion,
    add_pairing,
    end_pairing,
)
from tests.support.api import load_sample

DAY = dt.date(2017, 12, 31)
ZHONGJIE = "520627110"
HUANGJIADONG = "520627110201"  # a deeply poor village of 中界镇 with no partner on DAY
ZHONGGANG = "320582001001"  # the partner the recommendations suggest for it


@pytest.fixture
def sample(store):
    load_sample(store)
    return store


def person(store, role: Role = Role.ADMIN, scopes: tuple[str, ...] = ()):
    # One name per role and scopes: a name in use is refused.
    found, _ = add_person(store, " ".join((role.value, *scopes, "名")), role, list(scopes))
    return found


def deeply_poor(result):
    return next(c for c in result.coverage if c.poverty is not None)


def test_accepting_a_suggestion_writes_it_with_its_provenance_and_the_coverage_change(sample):
    admin = person(sample)
    result = accept_suggestion(
        sample, HUANGJIADONG, person=admin, helper=ZHONGGANG, poverty="deeply_poor", within=ZHONGJIE, as_of=DAY
    )
    change = deeply_poor(result)
    assert (change.place, change.before["covered"], change.after["covered"], change.after["targets"]) == (
        "沿河土家族自治县",
        21,
        22,
        50,
    )
    written = next(p for p in sample.snapshot().pairings if p.id == result.pairing.id)
    assert (written.helper_id, written.helped_id, written.level.value, written.start) == (
        ZHONGGANG,
        HUANGJIADONG,
        "village",
        DAY,
    )
    assert written.source.file == ACCEPT_SOURCE and written.note == f"accepted from a recommendation by {admin.name}"
    last = sample.imports()[-1]
    assert (last.import_id, last.author, last.source) == (result.import_id, admin.name, ACCEPT_SOURCE)


def test_a_write_is_reverted_like_any_import(sample):
    before = sample.snapshot()
    result = accept_suggestion(sample, HUANGJIADONG, person=person(sample), as_of=DAY, within=ZHONGJIE)
    revert_import(sample, result.import_id, confirm=True, author="admin")
    assert sample.snapshot().pairings == before.pairings


def test_a_suggestion_that_changed_is_refused_and_nothing_is_written(sample):
    version = sample.version()
    with pytest.raises(SuggestionChanged, match="中港社区"):
        accept_suggestion(
            sample,
            HUANGJIADONG,
            person=person(sample),
            helper="320582001002",
            poverty="deeply_poor",
            within=ZHONGJIE,
            as_of=DAY,
        )
    assert sample.version() == version


def test_adding_a_pairing_takes_the_input_format_and_reports_the_coverage_change(sample):
    admin = person(sample)
    fields = {
        "helper": "张家港市/金港镇/中港社区",
        "helped": "沿河县/中界镇/黄家洞村",
        "level": "村级",
        "start": "2017年3月",
    }
    result = add_pairing(sample, fields, person=admin, as_of=DAY)
    assert result.pairing.start == dt.date(2017, 3, 1) and result.pairing.level.value == "village"
    assert result.diff is not None and result.diff.sheets["pairings"].new == (result.pairing.id,)
    assert (deeply_poor(result).before["covered"], deeply_poor(result).after["covered"]) == (21, 22)
    assert sample.imports()[-1].source == ADD_SOURCE


def test_adding_a_pairing_already_in_the_store_is_refused(sample):
    existing = sample.snapshot().pairings[0]
    version = sample.version()
    with pytest.raises(InvalidInput, match="in the store already"):
        add_pairing(
            sample,
            {
                "helper": existing.helper_id,
                "helped": existing.helped_id,
                "level": existing.level.value,
                "program": existing.program,
            },
            person=person(sample),
        )
    assert sample.version() == version


def test_a_bad_row_is_refused_with_its_column_and_nothing_is_written(sample):
    version = sample.version()
    with pytest.raises(InvalidInput) as caught:
        add_pairing(
            sample,
            {"helper": "张家港市/金港镇/中港社区", "helped": "不存在村", "start": "2017-13-45"},
            person=person(sample),
        )
    columns = {p.column for p in caught.value.problems}
    assert "helped" in columns and "start" in columns
    with pytest.raises(InvalidInput, match="unknown field"):
        add_pairing(sample, {"helpr": "x"}, person=person(sample, Role.EDITOR, ("520627",)))
    assert sample.version() == version


def test_ending_a_pairing_keeps_it_with_its_end_date(sample):
    paired = next(p for p in sample.snapshot().pairings if p.level.value == "village" and p.end is None)
    result = end_pairing(sample, paired.id, "2018", person=person(sample), as_of=dt.date(2019, 6, 30))
    kept = next(p for p in sample.snapshot().pairings if p.id == paired.id)
    assert kept.end == dt.date(2018, 12, 31) and kept.source.file == END_SOURCE
    village = next(c for c in result.coverage if c.poverty is None)
    assert village.after["covered"] <= village.before["covered"]
    assert result.diff is not None
    ((changed_id, fields),) = result.diff.sheets["pairings"].changed
    assert changed_id == paired.id and [(f.field, f.new) for f in fields] == [("end", "2018-12-31")]


def test_ending_refuses_an_unknown_pairing_or_an_end_before_the_start(sample):
    paired = next(p for p in sample.snapshot().pairings if p.start is not None)
    version = sample.version()
    with pytest.raises(NotFound):
        end_pairing(sample, "no-such-pairing", "2020", person=person(sample))
    with pytest.raises(InvalidInput) as caught:
        end_pairing(sample, paired.id, str(paired.start.year - 1), person=person(sample, Role.EDITOR, ("520627",)))
    assert caught.value.problems[0].column == "end"
    with pytest.raises(InvalidInput):
        end_pairing(sample, paired.id, "someday", person=person(sample, Role.EDITOR, ("320582",)))
    assert sample.version() == version


def test_a_viewer_or_an_editor_out_of_scope_writes_nothing(sample):
    version = sample.version()
    viewer = person(sample, Role.VIEWER)
    with pytest.raises(WriteRefused):
        accept_suggestion(sample, HUANGJIADONG, person=viewer, as_of=DAY)
    outsider = person(sample, Role.EDITOR, ("520627110",))  # 中界镇 only
    paired = next(
        p for p in sample.snapshot().pairings if not p.helped_id.startswith("520627110") and p.level.value == "village"
    )
    with pytest.raises(OutOfScope):
        end_pairing(sample, paired.id, "2019", person=outsider)
    assert sample.version() == version
    inside = accept_suggestion(sample, HUANGJIADONG, person=outsider, as_of=DAY, within=ZHONGJIE)
    assert sample.imports()[-1].author == outsider.name and inside.pairing.helped_id == HUANGJIADONG
