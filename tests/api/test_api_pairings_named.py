"""``/pairings`` names both sides beside their ids (issue 14.5: who is paired with whom)."""

from __future__ import annotations

from tests.support.api import client_for, load_sample
from tests.support.stores import STORE_FACTORIES


def test_listed_pairings_carry_both_sides_names_and_codes(tmp_path):
    store = STORE_FACTORIES["sqlite"](tmp_path)
    load_sample(store)
    try:
        listed = client_for(store).get("/pairings", params={"level": "village", "helped": "520627110217"}).json()
    finally:
        store.close()
    [pairing] = listed["items"]
    assert (pairing["helper_name"], pairing["helped_name"]) == ("善港村", "高峰村")
    assert (pairing["helper_code"], pairing["helped_code"]) == ("320582100212", "520627110217")
    assert pairing["helper_id"] == "320582100212"
