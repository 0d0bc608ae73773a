"""The message catalog is complete, current, and the converted modules send no English
sentence to a person outside it."""

from __future__ import annotations

import ast
import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from pairnet.i18n import _, ngettext, use_language
from pairnet.i18n.catalog import LOCALE_DIR, compile_catalog

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("zh_CN", "en")
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
# The modules whose person-facing texts all go through the catalog; a module joins this
# list once it is converted (the others are being rewritten by their owners).
CONVERTED = [
    "pairnet/cli/__init__.py",
    "pairnet/cli/common.py",
    "pairnet/cli/language.py",
    "pairnet/cli/guide.py",
    *sorted(str(path.relative_to(ROOT)) for path in (ROOT / "pairnet" / "maps").glob("*.py")),
    "pairnet/i18n/choices.py",
    "pairnet/i18n/labels.py",
    "api/docs.py",
    "graph/errors.py",
    "api/language.py",
    "pairnet/cli/report.py",
    "pairnet/service/report.py",
    "pairnet/service/wording.py",
    "pairnet/workbook.py",
    "pairnet/cli/analyses.py",
    "pairnet/cli/asking.py",
    "pairnet/cli/planning.py",
    "pairnet/cli/data.py",
    "pairnet/cli/history.py",
    "pairnet/cli/maps.py",
    "pairnet/cli/register.py",
    "pairnet/cli/server.py",
    "pairnet/cli/synth.py",
    "pairnet/cli/users.py",
    "pairnet/i18n/extract.py",
    "pairnet/cli/listing.py",
    "pairnet/service/analyses.py",
    "pairnet/service/listings.py",
    "pairnet/service/titles.py",
    "graph/recommend.py",
    "loaders/__init__.py",
    "loaders/dates.py",
    "loaders/files.py",
    "loaders/formulas.py",
    "loaders/headers.py",
    "loaders/limits.py",
    "loaders/names.py",
    "loaders/office.py",
    "loaders/records.py",
    "loaders/rows.py",
    "loaders/references.py",
    "loaders/register.py",
    "loaders/values.py",
    "graph/model.py",
    "graph/validate.py",
    "graph/duplicates.py",
    "loaders/assumed.py",
    "pairnet/people/directory.py",
    "pairnet/diff.py",
    "pairnet/revert.py",
    "pairnet/imports.py",
    "api/routers/imports.py",
    "pairnet/people/scopes.py",
    "api/deps.py",
    "api/routers/people.py",
    "api/routers/flows.py",
    "api/routers/pairings.py",
    "api/routers/writes.py",
    "api/routers/problem_types.py",
    "api/request_keys.py",
    "api/uploads.py",
    "graph/gaps.py",
    "graph/coverage.py",
    "graph/rollups.py",
    "graph/whatif.py",
    "pairnet/tables.py",
    "pairnet/workbench/__init__.py",
    "pairnet/workbench/home.py",
    "pairnet/service/question.py",
]


def _catalog(locale: str):
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "pairnet.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _marked_in_code() -> set[str]:
    found: set[str] = set()
    for folder in ("pairnet", "api", "graph", "loaders", "queries"):
        for _filename, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_marked_text_has_a_translation(locale):
    catalog = _catalog(locale)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated[key] = all(strings) and not message.fuzzy
    missing = sorted(text for text in _marked_in_code() if not translated.get(text))
    assert not missing, f"{locale}: run `make messages` and translate: {missing}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale):
    for message in _catalog(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{[^}]*\}", ids[0]))
        for string in strings:
            assert set(re.findall(r"\{[^}]*\}", string)) == wanted, (locale, ids[0], string)


def test_the_catalogs_compile_and_speak_chinese():
    mo = compile_catalog((LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "pairnet.po").read_bytes())
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    assert translations.gettext("Nothing was written.") == "未写入任何内容。"
    assert translations.ngettext("{n} problem", "{n} problems", 3) == "{n} 个问题"
    with use_language("zh"):
        assert _("Nothing was written.") == "未写入任何内容。"
    with use_language("en"):
        assert ngettext("{n} problem", "{n} problems", 3) == "{n} problems"


# Calls whose strings never reach a person (logs, internal errors, identifiers).
_SILENT_CALLS = {
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "AttributeError",
    "getLogger",
    "ContextVar",
    "compile",
}
# Dictionary keys whose values are settings, not texts (a vis-network font face list).
_SETTING_KEYS = {"face"}
_MARKERS = {"_", "N_", "gettext", "ngettext"}
_MARKUP = re.compile(r"\[/?[a-z ]+\]")
# HTML put together around translated texts: tags, and the ends of tags cut by a placeholder.
_HTML = re.compile(r"<[^<>]*>|^[^<>]*>|<[^<>]*$")
# Header values and media types ("text/css; charset=utf-8", "public, max-age=86400").
_TECHNICAL = re.compile(r"[\w.+/-]+(?:[;,] ?[\w.+/-]+(?:=[\w.+/-]+)?)*")


def _english_sentence(text: str) -> bool:
    text = _HTML.sub("", _MARKUP.sub("", text)).strip()
    # A command to type (`pairnet gaps --county 520627`, `--yes`) is not translated; a
    # sentence naming an option is.
    command_line = re.match(r"(pairnet|make|curl)\b|--|[\w-]+ --", text) is not None
    return (
        bool(re.search(r"[A-Za-z]{2,}", text)) and " " in text and not _TECHNICAL.fullmatch(text) and not command_line
    )


def _unmarked_sentences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                exempt.add(id(body[0].value))  # a docstring is for developers
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _MARKERS or name in _SILENT_CALLS:
                exempt.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Compare):  # compared with, not shown
            exempt.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in _SETTING_KEYS:
                    exempt.add(id(value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # pybabel does not extract a _("text") inside an f-string
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", "") in _MARKERS
                    and any(isinstance(arg, ast.Constant) for arg in inner.args)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}: a marked text inside an f-string")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exempt:
            if _english_sentence(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("module", CONVERTED)
def test_no_english_sentence_bypasses_the_catalog(module):
    assert _unmarked_sentences(ROOT / module) == []


def test_the_scan_catches_an_unmarked_sentence(tmp_path):
    sample = ROOT / "tests" / "cli" / "_unmarked_sample.py"
    sample.write_text('err.print("Nothing was written.")\nerr.print(_("Nothing was written."))\n', encoding="utf-8")
    try:
        assert _unmarked_sentences(sample) == ["tests/cli/_unmarked_sample.py:1: 'Nothing was written.'"]
    finally:
        sample.unlink()
