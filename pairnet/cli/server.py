"""``pairnet serve``: the HTTP API (and the map views) with uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
import uvicorn
from pydantic import SecretStr

from pairnet.api.settings import Settings
from pairnet.i18n import N_, _

from . import app
from .common import StoreOption, err, out

__all__ = ["serve"]


@app.command(rich_help_panel="Serve")
def serve(
    host: Annotated[str, typer.Option(help=N_("Address to bind; --demo allows only loopback."))] = "127.0.0.1",
    port: Annotated[int, typer.Option(help=N_("Port to listen on."), min=0, max=65535)] = 8000,
    store: StoreOption = None,
    demo: Annotated[
        bool, typer.Option(help=N_("Local demo: loopback only; a token is made up if none is set."))
    ] = False,
    read_only: Annotated[bool, typer.Option("--read-only", help=N_("Refuse every write (no token needed)."))] = False,
    workers: Annotated[int, typer.Option(help=N_("Worker processes (each keeps its own cache)."), min=1)] = 1,
) -> None:
    """Serve the HTTP API and the maps. Writes need PAIRNET_TOKEN (a strong one unless --demo)."""
    overrides: dict = {"demo": demo, "read_only": read_only}
    if store:
        overrides["store"] = store
    settings = Settings(**overrides)
    if demo and not read_only and not settings.token.get_secret_value():
        settings = settings.model_copy(update={"token": SecretStr(secrets.token_urlsafe(24))})
    refusal = settings.refusal(host)
    if refusal:
        err.print("[red]" + _("pairnet serve: refusing to start:") + f"[/red] {refusal}")
        raise typer.Exit(2)
    # Workers are separate processes that build their own settings from the environment.
    os.environ.update(
        PAIRNET_STORE=settings.store,
        PAIRNET_TOKEN=settings.token.get_secret_value(),
        PAIRNET_DEMO="true" if settings.demo else "false",
        PAIRNET_READ_ONLY="true" if settings.read_only else "false",
    )
    base = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    out.print(
        _("{pairnet} serving {store}").format(pairnet="[bold]pairnet[/bold]", store=f"[cyan]{settings.store}[/cyan]")
    )
    out.print("  " + _("API docs: {url}").format(url=f"{base}/docs"))
    out.print("  " + _("maps: {url}").format(url=f"{base}/maps/"))
    out.print("  " + _("units: {url}").format(url=f"{base}/units"))
    if read_only:
        out.print("  " + _("writes: disabled (--read-only)"))
    elif demo:
        out.print("  " + _("writes: Authorization: Bearer {token}").format(token=settings.token.get_secret_value()))
    uvicorn.run("pairnet.api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")
