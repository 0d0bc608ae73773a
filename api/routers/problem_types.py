"""``/problems/{type}``: the page each problem ``type`` URI opens, and their index.

A problem document's ``type`` is a path under the API (``/problems/invalid-input``); a person
who follows it reads what that kind of problem means and what to do about it.
"""

from __future__ import annotations

from html import escape
from http import HTTPStatus
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import HTMLResponse

from pairnet.i18n import N_, _, current_language

from ..problems import PROBLEM_TYPES, TITLES, TYPE_BASE, problem_responses

__all__ = ["router"]

router = APIRouter(prefix="/problems", tags=["problems"], default_response_class=HTMLResponse)

INDEX_TITLE = N_("Problem types")
UNKNOWN_TYPE = N_("no problem type is named {name}")


def _page(title: str, body: str) -> HTMLResponse:
    language = "zh-CN" if current_language() == "zh" else "en"
    return HTMLResponse(
        # An empty icon: else the browser asks for /favicon.ico, which the API has not.
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
        f"<title>{escape(title)}</title></head><body>{body}</body></html>"
    )


def _title(status: int) -> str:
    return _(TITLES.get(status, HTTPStatus(status).phrase))


@router.get("", summary=N_("Every problem type the API reports"))
def list_problem_types() -> HTMLResponse:
    items = "".join(
        f'<li><a href="{escape(TYPE_BASE + slug)}">{escape(slug)}</a> ({status} {escape(_title(status))}): '
        f"{escape(_(description))}</li>"
        for slug, (status, description) in PROBLEM_TYPES.items()
    )
    return _page(_(INDEX_TITLE), f"<h1>{escape(_(INDEX_TITLE))}</h1><ul>{items}</ul>")


@router.get("/{name}", summary=N_("What one problem type means"), responses=problem_responses(404))
def get_problem_type(
    name: Annotated[str, Path(max_length=64, description=N_("The type's name."), examples=["invalid-input"])],
) -> HTMLResponse:
    if name not in PROBLEM_TYPES:
        raise HTTPException(404, _(UNKNOWN_TYPE).format(name=name))
    status, description = PROBLEM_TYPES[name]
    return _page(
        name,
        f"<h1>{escape(name)}</h1><p>{status} {escape(_title(status))}</p><p>{escape(_(description))}</p>"
        f'<p><a href="{escape(TYPE_BASE.rstrip("/"))}">{escape(_(INDEX_TITLE))}</a></p>',
    )
