"""Signing in to the workbench: a person pastes the token ``pairnet users add`` gave them.

The session is a cookie (HttpOnly, SameSite=Strict) holding the person's name, the short
index of their token (:func:`pairnet.people.tokens.token_index`, never the token) and an
expiry, signed with HMAC-SHA256 under ``PAIRNET_SESSION_SECRET`` (a random key per process
when unset). Every request finds the person again in the store, so revoking their token
ends the session at once. Every form carries a CSRF token: the value of a random
SameSite=Strict cookie, which the POST must echo (double submit), checked in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pairnet.i18n import _
from pairnet.people import Person, find_holder, may_write
from pairnet.service.wording import column_label, sheet_label, value_label
from pairnet.store.people import Role

from .templating import ContextDep, PageContext, environment, render

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "SESSION_SECONDS",
    "csrf_field",
    "csrf_ok",
    "install",
    "refusal",
    "role_label",
    "router",
    "signed_in",
    "writer_or_refusal",
]

router = APIRouter()

SESSION_COOKIE = "pairnet_session"
CSRF_COOKIE = "pairnet_csrf"
SESSION_SECONDS = 8 * 3600  # a working day
_SECRET_STATE = "workbench_session_key"


def _key(request: Request) -> bytes:
    """The key sessions are signed with: the setting, else one random key for this app."""
    configured = request.app.state.settings.session_secret.get_secret_value()
    if configured:
        return hashlib.sha256(configured.encode("utf-8")).digest()
    key = getattr(request.app.state, _SECRET_STATE, None)
    if key is None:
        key = secrets.token_bytes(32)
        setattr(request.app.state, _SECRET_STATE, key)
    return key


def _sign(request: Request, payload: dict[str, Any]) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload, ensure_ascii=False).encode("utf-8")).decode("ascii")
    mac = hmac.new(_key(request), body.encode("ascii"), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def _unsign(request: Request, value: str) -> dict[str, Any] | None:
    body, _dot, mac = value.rpartition(".")
    expected = hmac.new(_key(request), body.encode("ascii", "replace"), hashlib.sha256).hexdigest()
    if not body or not hmac.compare_digest(mac, expected):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body.encode("ascii")))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def signed_in(request: Request) -> Person | None:
    """The person whose valid session cookie the request carries, or None."""
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return None
    payload = _unsign(request, value)
    if payload is None or not isinstance(payload.get("e"), int) or payload["e"] < time.time():
        return None
    for person in request.app.state.store_holder.reader().people():
        if person.active and person.name == payload.get("n") and person.token_index == payload.get("i"):
            return person
    return None


def csrf_field(request: Request) -> str:
    """The CSRF token a form of this page carries: the request's cookie, or a new one that
    the middleware of :func:`install` sets on the answer."""
    state = request.scope.setdefault("state", {})
    token = request.cookies.get(CSRF_COOKIE) or state.get("csrf_new")
    if not token:
        token = state["csrf_new"] = secrets.token_urlsafe(24)
    return token


class _CsrfCookie:
    """ASGI middleware: sets the CSRF cookie on a page's answer when :func:`csrf_field` made
    one. Plain ASGI (not ``BaseHTTPMiddleware``), so that errors raised while an upload is
    read still reach the app's handlers (a 413 stays a 413)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/app"):
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            token = scope.get("state", {}).get("csrf_new")
            if message["type"] == "http.response.start" and token:
                MutableHeaders(scope=message).append(
                    "set-cookie", f"{CSRF_COOKIE}={token}; HttpOnly; Path=/app; SameSite=strict"
                )
            await send(message)

        await self.app(scope, receive, sending)


def install(app: FastAPI) -> None:
    """Set the CSRF cookie on every answer whose page made one (:func:`csrf_field`), and
    give the templates what the navigation bar shows of the person signed in."""
    app.add_middleware(_CsrfCookie)
    environment().globals.update(
        signed_in=signed_in,
        csrf_field=csrf_field,
        role_label=role_label,
        sheet_label=sheet_label,
        column_label=column_label,
        value_label=value_label,
    )


def csrf_ok(request: Request, given: str | None) -> bool:
    """Whether a form's CSRF token is the request's cookie (a form from this site)."""
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and given) and hmac.compare_digest(str(cookie), str(given))


def writer_or_refusal(request: Request, context: PageContext, csrf: str | None) -> Person | Response:
    """The signed-in person who may write, or the page that says why not (401, 403)."""
    if not csrf_ok(request, csrf):
        return refusal(request, context, 403, _("This form has expired or did not come from this site; open it again."))
    if not request.app.state.settings.writes_enabled():
        return refusal(request, context, 403, _("This server is read-only: nothing can be written here."))
    person = signed_in(request)
    if person is None:
        return refusal(request, context, 401, _("Sign in to write: nothing was written."))
    if not may_write(person):
        return refusal(
            request,
            context,
            403,
            _("{name} is a {role}: a {role} may read, not write. Nothing was written.").format(
                name=person.name, role=role_label(person.role)
            ),
        )
    return person


def role_label(role: Role) -> str:
    """The role as a person reads it."""
    return {Role.VIEWER: _("viewer"), Role.EDITOR: _("editor"), Role.ADMIN: _("admin")}[role]


def refusal(request: Request, context: PageContext, status: int, message: str, **values: Any) -> Response:
    """The page of a refused write: what happened, and that nothing was written."""
    return render(request, "refused.html", context, status=status, title=_("Not written"), message=message, **values)


def _next_path(value: str | None) -> str:
    """Where to go after signing in: a workbench path only (never another site)."""
    if value and value.startswith("/app") and not value.startswith("//") and "\\" not in value:
        return value
    return "/app/"


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, context: ContextDep, next: str | None = None) -> Response:
    """The sign-in form (and who is signed in now)."""
    return render(request, "signin.html", context, title=_("Sign in"), next=_next_path(next), error=None)


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    context: ContextDep,
    token: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/app/",
) -> Response:
    """Check the pasted token; a valid one starts a session and goes on to ``next``."""
    if not csrf_ok(request, csrf):
        return refusal(request, context, 403, _("This form has expired or did not come from this site; open it again."))
    person = find_holder(request.app.state.store_holder.reader().people(), token.strip()) if token.strip() else None
    if person is None:
        return render(
            request,
            "signin.html",
            context,
            status=401,
            title=_("Sign in"),
            next=_next_path(next),
            error=_("This token is not valid (unknown or revoked). Ask an admin: pairnet users add NAME."),
        )
    response = RedirectResponse(_next_path(next), status_code=303)
    value = _sign(request, {"n": person.name, "i": person.token_index, "e": int(time.time()) + SESSION_SECONDS})
    response.set_cookie(SESSION_COOKIE, value, max_age=SESSION_SECONDS, httponly=True, samesite="strict", path="/app")
    return response


@router.post("/signout")
def signout(request: Request, context: ContextDep, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """End the session (the cookie is dropped) and go home."""
    if not csrf_ok(request, csrf):
        return refusal(request, context, 403, _("This form has expired or did not come from this site; open it again."))
    response = RedirectResponse(context.link("/app/"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/app", httponly=True, samesite="strict")
    return response
