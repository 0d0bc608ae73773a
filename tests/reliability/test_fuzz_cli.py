"""Every CLI command, driven from its own typer parameters with hypothesis: whatever the
options, the exit status is 0, 1 or 2 and no traceback is printed.

The strategies come from each parameter's annotation (enums, ints with their bounds,
dates, free text, paths), with hostile values mixed in (years past 9999, huge numbers,
control characters). A few examples per command in the suite; ``PAIRNET_FUZZ_PROFILE=long``
(``make fuzz``) runs many more. Commands that start a server or fill a disk (``serve``,
``demo``, ``synth``) are left out.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import os
import shutil
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pairnet.cli import COMMANDS as CLI_COMMANDS
from pairnet.cli import app, load_command
from tests.support.reliability import LEAK_MARKERS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "zhangjiagang-yanhe" / "zhangjiagang-yanhe.xlsx"
EXAMPLES = 400 if os.environ.get("PAIRNET_FUZZ_PROFILE") == "long" else 3
LEFT_OUT = {("serve",), ("demo",), ("synth",)}
runner = CliRunner(env={"COLUMNS": "200"})


def _commands(group=None, path: tuple[str, ...] = ()):
    # The top level imports its commands only when they run (pairnet.cli.COMMANDS): load each.
    found = group.commands if group is not None else {name: load_command(name) for name in CLI_COMMANDS}
    for name, command in sorted(found.items()):
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))
        elif (*path, name) not in LEFT_OUT:
            yield (*path, name), command


COMMANDS = dict(_commands())

TEXT = st.one_of(
    st.sampled_from(["520627", "中界镇", "沿河土家族自治县/中界镇", "320582", "", " ", "-", "--", "0" * 40]),
    st.text(max_size=30),
)
DATES = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.sampled_from(["2018-02-30", "10000-01-01", "0000-01-01", "2018", "昨天"]),
    TEXT,
)


def _scalar(annotation, low: int | None, high: int | None) -> st.SearchStrategy[str]:
    """Strings for one value of a parameter annotated ``annotation``."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return st.one_of(st.sampled_from([m.value for m in annotation]), TEXT)
    if annotation is int:
        near = [v for v in (low, high) if v is not None]
        hostile = st.sampled_from([*near, *(v + 1 for v in near), *(v - 1 for v in near), 0, -1, 10**30, 10_000])
        return st.one_of(hostile, st.integers()).map(str)
    if annotation is dt.datetime:
        return DATES
    if annotation is Path:
        return st.sampled_from([str(SAMPLE), "missing.xlsx", "units.csv", ".", "/dev/null", ""])
    return TEXT


def _option(param, annotation) -> st.SearchStrategy[list[str]]:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) is list:
        annotation = args[0]
    elif args:
        annotation = args[0]
    if annotation is bool:
        return st.sampled_from([[], [param.opts[0]]])
    value = _scalar(annotation, getattr(param.type, "min", None), getattr(param.type, "max", None))
    if type(param).__name__ == "TyperArgument":
        return value.map(lambda v: ["--", v] if v.startswith("-") else [v])
    count = st.integers(1 if param.required else 0, 3 if param.multiple else 1)
    return count.flatmap(lambda n: st.lists(value, min_size=n, max_size=n)).map(
        lambda values: [part for v in values for part in (param.opts[0], v)]
    )


def _arguments(command) -> st.SearchStrategy[list[str]]:
    # Each parameter's type, as the command's function declares it (typer keeps no public record).
    hints = typing.get_type_hints(inspect.unwrap(command.callback))
    params = [p for p in command.params if p.name not in {"store", "output", "help"}]
    options = [p for p in params if type(p).__name__ != "TyperArgument"]
    positional = [p for p in params if type(p).__name__ == "TyperArgument"]
    parts = st.tuples(*(_option(p, hints[p.name]) for p in options), *(_option(p, hints[p.name]) for p in positional))
    return parts.map(lambda chunks: [part for chunk in chunks for part in chunk])


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("fuzz-cli") / "sample.db"
    result = runner.invoke(app, ["load", str(SAMPLE), "--store", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("name", [" ".join(n) for n in COMMANDS])
def test_no_option_makes_a_command_crash(name, sample_store, tmp_path, monkeypatch):
    command = COMMANDS[tuple(name.split())]
    store = tmp_path / "store.db"
    shutil.copy(sample_store, store)
    monkeypatch.chdir(tmp_path)  # maps and exports written by default land here

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(args=_arguments(command))
    def run(args: list[str]) -> None:
        result = runner.invoke(app, [*name.split(), *args, "--store", str(store)])
        # The user's own paths may be named: the folder the test runs in and the checkout (CI
        # clones it under /tmp), also where the terminal wrapped them.
        flat = "".join(result.output.split())
        text = flat.replace("".join(str(tmp_path).split()), "HERE").replace("".join(str(ROOT).split()), "ROOT")
        assert result.exit_code in {0, 1, 2}, (args, result.exit_code, text, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        for marker in LEAK_MARKERS:
            assert marker not in text, (args, marker, text[-2000:])
        assert len(text.encode()) < 1024 * 1024, (args, len(text))

    run()


def test_timeline_years_out_of_range_are_bad_options(sample_store):
    """Regression: ``--year 10000`` was a ValueError traceback."""
    result = runner.invoke(app, ["timeline", "--year", "10000", "--store", str(sample_store)])
    assert result.exit_code == 2 and "--year" in result.output and "2100" in result.output
    result = runner.invoke(app, ["timeline", "--year", "2018", "--format", "json", "--store", str(sample_store)])
    assert result.exit_code == 0 and '"2018-12-31"' in result.output
