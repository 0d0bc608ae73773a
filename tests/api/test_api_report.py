"""``GET /analyses/report``: the county's workbook, in the language asked for; the
analysis routes take the Chinese words and date forms files take."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.support.api import client_for, load_sample
from tests.support.stores import STORE_FACTORIES


@pytest.fixture(scope="module", params=list(STORE_FACTORIES))
def client(request, tmp_path_factory):
    store = STORE_FACTORIES[request.param](tmp_path_factory.mktemp(f"report-{request.param}"))
    load_sample(store)
    yield client_for(store)
    store.close()


def test_the_report_in_the_language_asked_for(client):
    response = client.get(
        "/analyses/report", params={"county": "沿河县", "as_of": "2018/12/31"}, headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="report-520627-2018-12-31.xlsx"' in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    poor = book["深度贫困村"]
    assert "沿河土家族自治县" in poor["A1"].value and "50/50" in poor["A1"].value
    assert poor["F2"].value == "覆盖率" and poor.auto_filter.ref.startswith("A2:")
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert about["生成方式"] == "/analyses/report?county=%E6%B2%BF%E6%B2%B3%E5%8E%BF&as_of=2018%2F12%2F31"


@pytest.mark.parametrize("county", ["不存在县", ""])
def test_an_unknown_or_empty_county_is_a_problem_not_a_file(client, county):
    response = client.get("/analyses/report", params={"county": county, "as_of": "2018-12-31"})
    assert response.status_code == 422  # as for every analysis: a parameter that names nothing
    assert response.headers["content-type"].startswith("application/problem+json") and "county" in response.text


def test_analysis_routes_take_chinese_words_and_dates(client):
    english = client.get(
        "/analyses/coverage",
        params={"county": "520627", "kind": "village", "poverty": "deeply_poor", "as_of": "2018-12-31"},
    ).json()
    chinese = client.get(
        "/analyses/coverage",
        params={"county": "沿河县", "kind": "村", "poverty": "深度贫困村", "as_of": "2018年12月31日"},
    ).json()
    assert chinese == english and (english["covered"], english["targets"]) == (50, 50)
    wrong = client.get("/analyses/coverage", params={"as_of": "2018-02-30", "lang": "en"})
    assert wrong.status_code == 422 and "no such day" in wrong.text
