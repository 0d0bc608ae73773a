"""The people commands: ``pairnet users add``, ``users list`` and ``users revoke``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from pairnet.i18n import N_, _
from pairnet.store.people import Role

from . import app
from .common import FormatOption, OutputOption, StoreOption, connect, emit, err, out

__all__ = ["users"]

users = typer.Typer(
    name="users",
    no_args_is_help=True,
    help=N_(
        "Named people and their tokens, for writes over the API (Authorization: Bearer TOKEN).\n\n"
        "Roles: **viewer** reads; **editor** writes within their scopes (units under the places given "
        "with --scope); **admin** does everything. A token is shown once and kept only as a hash."
    ),
)
app.add_typer(users, rich_help_panel="Data")

# Person-facing text, in one place.
TOKEN_ONCE = N_("Token for {name} ({role}); it is shown only this once, keep it safe:")
REVOKED = N_("Revoked {name}'s token; the history keeps their name.")


@users.command("add")
def add(
    name: Annotated[str, typer.Argument(help=N_("The person's name, as the import history will show it."))],
    role: Annotated[Role, typer.Option("--role", "-r", help=N_("viewer, editor or admin."))],
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope",
            help=N_("An editor's place: a code, id or name path (沿河土家族自治县/中界镇); repeat for several."),
        ),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Add a person with a new random token (printed once, on stdout)."""
    from pairnet.people import add_person  # on use: argon2 is not needed by other commands

    with connect(store, create=True) as opened:
        person, token = add_person(opened, name, role, scope or ())
    err.print(_(TOKEN_ONCE).format(name=escape(person.name), role=person.role.value))
    typer.echo(token)


@users.command("list")
def list_people(fmt: FormatOption = None, output: OutputOption = None, store: StoreOption = None) -> None:
    """List the people, revoked ones included (tokens are never shown again)."""
    from pairnet.people import scope_names

    with connect(store) as opened:
        people = opened.people()
        names = scope_names(opened, people)
    rows = [
        {
            "name": p.name,
            "role": p.role.value,
            "scopes": "; ".join(f"{names.get(s, s)} ({s})" for s in p.scopes),
            "created_at": p.created_at.isoformat(timespec="seconds"),
            "revoked_at": "" if p.revoked_at is None else p.revoked_at.isoformat(timespec="seconds"),
        }
        for p in people
    ]
    emit(
        rows,
        columns=["name", "role", "scopes", "created_at", "revoked_at"],
        fmt=fmt,
        output=output,
        title="People",
        sheet="people",
    )


@users.command("revoke")
def revoke(
    name: Annotated[str, typer.Argument(help=N_("The person whose token stops working now."))],
    store: StoreOption = None,
) -> None:
    """Revoke a person's token; they stay listed, and their imports keep their name."""
    from pairnet.people import revoke_person

    with connect(store) as opened:
        person = revoke_person(opened, name)
    out.print(_(REVOKED).format(name=escape(person.name)))
