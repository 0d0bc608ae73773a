"""Helpers of the workbench write tests: a changed copy of the sample workbook, the CSRF
token of a page, and a client signed in as a new person."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
from fastapi.testclient import TestClient

from pairnet.people import Role, add_person
from pairnet.store.store import Store

from .api import SAMPLE

__all__ = ["CHANGED_CELLS", "changed_workbook", "csrf_of", "sign_in"]

# (sheet, id, column, new value) of the cells changed_workbook changes.
CHANGED_CELLS = [
    ("pairings", "p-45002ef37f85199e", "end", dt.datetime(2020, 12, 31)),
    ("units", "320582001001", "name", "中港社区（改）"),
]


def changed_workbook(folder: Path) -> Path:
    """The sample workbook with the cells of :data:`CHANGED_CELLS` changed, same file name."""
    book = openpyxl.load_workbook(SAMPLE)
    for sheet, record_id, column, value in CHANGED_CELLS:
        rows = book[sheet]
        header = [cell.value for cell in rows[1]]
        for row in rows.iter_rows(min_row=2):
            if row[0].value == record_id:
                row[header.index(column)].value = value
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SAMPLE.name
    book.save(path)
    return path


def csrf_of(html: str) -> str:
    """The CSRF token in a page's first form."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, store: Store, name: str, role: Role, scopes: tuple[str, ...] = ()) -> str:
    """Add ``name`` with ``role`` and sign ``client`` in as them; returns their token."""
    _, token = add_person(store, name, role, list(scopes))
    page = client.get("/app/signin")
    answer = client.post("/app/signin", data={"token": token, "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return token
