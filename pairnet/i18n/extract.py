"""A Babel extractor for the command line and the API's routes: the texts Python's
extractor finds, and the docstring of every command (which typer shows as its ``--help``)
and of every route (which FastAPI puts in the OpenAPI document as its description).

A docstring is the one place a command or a route is described (the developer reads it,
and typer or ``/docs`` shows it); :func:`pairnet.cli.language.localize` and
:func:`api.docs.translated` translate it at run time by looking the cleaned docstring up in
the catalog. Python's extractor does not collect docstrings, so ``babel.cfg`` sends the CLI
and router modules here.

Examples
--------
>>> import io
>>> source = b'''
... @app.command("hello")
... def hello() -> None:
...     'Greet the planner.'
...     print(_("Hello"))
... '''
>>> [message for _line, _function, message, _comments in extract_commands(io.BytesIO(source), {"_": None}, [], {})]
['Hello', 'Greet the planner.']
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

__all__ = ["command_docstrings", "extract_commands"]

# The decorators that make a function a command (or a group's own help): app.command(),
# app.callback(); or a route: router.get(), router.post()...
_COMMAND_DECORATORS = frozenset({"command", "callback", "get", "post", "put", "patch", "delete"})


def command_docstrings(source: str, *, classes: bool = False) -> Iterator[tuple[int, str]]:
    """The line and cleaned docstring (as typer and FastAPI show it) of every command and
    route in ``source``; with ``classes``, of every class too (a model's docstring is its
    schema's description in the OpenAPI document)."""
    for node in ast.walk(ast.parse(source)):
        if classes and isinstance(node, ast.ClassDef):
            docstring = ast.get_docstring(node, clean=True)
            if docstring:
                yield node.lineno, docstring
            continue
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        decorators = (d.func for d in node.decorator_list if isinstance(d, ast.Call))
        if any(isinstance(f, ast.Attribute) and f.attr in _COMMAND_DECORATORS for f in decorators):
            docstring = ast.get_docstring(node, clean=True)
            if docstring:
                yield node.lineno, docstring


def extract_commands(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Sequence[str], options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's extraction method for the CLI, router and schema modules: what ``python``
    extracts, then each command's and route's docstring, and each class's when the
    ``classes`` option is set (``babel.cfg``)."""
    from babel.messages.extract import extract_python

    data = fileobj.read()
    yield from extract_python(io.BytesIO(data), keywords, comment_tags, options)
    classes = str(options.get("classes", "")).lower() == "true"
    for line, docstring in command_docstrings(data.decode(options.get("encoding", "utf-8")), classes=classes):
        yield line, None, docstring, []
