"""Regression (issue 12, B.8): ``GET /analyses/timeline?year=2018`` was a 500 for every year
(a bound on the list instead of on each year); now each year is checked and out of range is 422."""

from __future__ import annotations

from pairnet.store.store import open_store
from tests.support.api import client_for, load_sample


def test_timeline_years_are_answered_and_bounded(tmp_path):
    with open_store(str(tmp_path / "sample.db")) as store:
        load_sample(store)
        client = client_for(store)
        answer = client.get("/analyses/timeline", params={"year": [2017, 2018], "kind": "village", "side": "helped"})
        assert answer.status_code == 200, answer.text
        assert [row["as_of"] for row in answer.json()] == ["2017-12-31", "2018-12-31"]
        assert answer.json()[1]["targets"] > 0
        for year in (1948, 2101, 10000):
            refused = client.get("/analyses/timeline", params={"year": year})
            assert refused.status_code == 422, refused.text
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert "year" in refused.json()["detail"]
