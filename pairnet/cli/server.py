"""``pairnet serve``: the HTTP API (and the map views) with uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
import uvicorn
from pydantic import SecretStr

from pairnet.api.settings import Settings

from . import app
from .common import StoreOption, err, out

__all__ = ["serve"]


@app.command(rich_help_panel="Serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; --demo allows only loopback.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    store: StoreOption = None,
    demo: Annotated[bool, typer.Option(help="Local demo: loopback only; a token is made up if none is set.")] = False,
    read_only: Annotated[bool, typer.Option("--read-only", help="Refuse every write (no token needed).")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (each keeps its own cache).", min=1)] = 1,
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
        err.print(f"[red]pairnet serve: refusing to start:[/red] {refusal}")
        raise typer.Exit(2)
    # Workers are separate processes that build their own settings from the environment.
    os.environ.update(
        PAIRNET_STORE=settings.store,
        PAIRNET_TOKEN=settings.token.get_secret_value(),
        PAIRNET_DEMO="true" if settings.demo else "false",
        PAIRNET_READ_ONLY="true" if settings.read_only else "false",
    )
    base = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    out.print(f"[bold]pairnet[/bold] serving [cyan]{settings.store}[/cyan]")
    out.print(f"  API docs:  {base}/docs")
    out.print(f"  maps:      {base}/maps/")
    out.print(f"  units:     {base}/units")
    if read_only:
        out.print("  writes:    disabled (--read-only)")
    elif demo:
        out.print(f"  writes:    Authorization: Bearer {settings.token.get_secret_value()}")
    uvicorn.run("pairnet.api.app:create_app", factory=True, host=host, port=port, workers=workers, log_level="info")
