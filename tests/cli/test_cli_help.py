"""Every command's ``--help`` in the reader's language: its description (the command's
docstring, through the catalog) and the help of each of its options."""

from __future__ import annotations

import inspect
import re

import pytest
import typer
from typer.testing import CliRunner

from pairnet.cli import COMMANDS, app, load_command
from pairnet.i18n import _, set_language, use_language

runner = CliRunner(env={"COLUMNS": "400"})  # wide enough that no sentence wraps
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_afterwards():
    """The CLI sets the language of the process; leave the tests' default behind."""
    yield
    set_language("en")


def _commands() -> list[tuple[tuple[str, ...], typer.core.TyperCommand]]:
    """Every command as typed (``("viz", "gaps")``) with its click command."""
    found = []
    for name in COMMANDS:
        command = load_command(name)
        subcommands = getattr(command, "commands", {})
        found += [((name, sub), subcommand) for sub, subcommand in subcommands.items()]
        found.append(((name,), command))
    return found


COMMAND_LIST = _commands()


def _english_help(command) -> str:
    """The command's description as its module writes it: its docstring (cleaned, as typer
    shows it) or the group's help, kept in English when the help was localized."""
    original = getattr(command, "_pairnet_english", {}).get("help")
    if original:
        return original
    return inspect.cleandoc(command.callback.__doc__ or "") if command.callback else command.help or ""


def _first_words(text: str) -> str:
    """The start of the first line, before any markup a help renderer may change."""
    return re.split(r"[`*(（:：]", text.splitlines()[0])[0].strip()[:12]


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=[" ".join(p) for p, _c in COMMAND_LIST])
def test_every_command_describes_itself_in_chinese_and_in_english(path, command):
    english = _english_help(command)
    with use_language("zh"):
        chinese = _(english)
    assert _CJK.search(chinese) and chinese != english, f"{' '.join(path)}: its --help lacks a translation"
    shown = runner.invoke(app, ["--lang", "zh", *path, "--help"])
    assert shown.exit_code == 0, shown.output
    assert _first_words(chinese) in shown.output
    assert _first_words(english) not in shown.output
    shown = runner.invoke(app, ["--lang", "en", *path, "--help"])
    assert shown.exit_code == 0, shown.output
    assert _first_words(english) in shown.output
    description = shown.output.split("Usage:")[1].split("╭")[0].splitlines()[2]
    assert description.strip() and not _CJK.search(description), description


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=[" ".join(p) for p, _c in COMMAND_LIST])
def test_every_option_help_is_translated(path, command):
    for param in command.params:
        english = getattr(param, "_pairnet_english", {}).get("help") or getattr(param, "help", None)
        if not english or param.name == "help":
            continue
        with use_language("zh"):
            assert _CJK.search(_(english)), f"{' '.join(path)} {param.name}: {english!r} lacks a translation"
