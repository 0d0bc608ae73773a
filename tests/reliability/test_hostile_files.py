"""Hostile files: each is rejected with a clear, located message, or read, within bounded
memory. (Macro workbooks, PDFs and text renamed .xlsx, truncated archives, and the store left
byte-for-byte unchanged by every rejected file are in tests/loaders/test_bad_input.py.)

The suite proves each bound with a small limit (``PAIRNET_MAX_INPUT_BYTES``) and small
files; ``make fuzz`` (``PAIRNET_LONG=1``) adds the full-size versions: a workbook that expands
to 4 GiB, a CSV of 300 MB and a CSV of a million rows under the default limit, each in a
subprocess whose time and peak memory it prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pairnet.graph import InvalidInput
from pairnet.loaders import read_dataset
from tests.support.loader_files import ENGLISH, write_csv, write_xlsx
from tests.support.reliability import LEAK_MARKERS

LONG = os.environ.get("PAIRNET_LONG") == "1"
MiB = 1024 * 1024


def _rejected(path: Path, *words: str) -> InvalidInput:
    """Read ``path`` expecting rejection; every problem names the file and what was expected."""
    with pytest.raises(InvalidInput) as caught:
        read_dataset(path)
    text = " | ".join(str(p) for p in caught.value.problems)
    for word in words:
        assert word in text, text
    for problem in caught.value.problems:
        assert problem.file == path.name and problem.expected, problem
        assert not any(marker in str(problem) for marker in LEAK_MARKERS), problem
    return caught.value


def _peak_python_bytes(action) -> int:
    """The most memory Python allocated while ``action()`` ran (zlib output included)."""
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def _add_entry(path: Path, name: str, size: int) -> None:
    """Append to the workbook at ``path`` an entry of ``size`` zero bytes, deflated (a zip
    bomb: 1 GiB of zeros compresses to about 1 MiB)."""
    chunk = b"\0" * (4 * MiB)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w", force_zip64=True) as entry:
            for start in range(0, size, len(chunk)):
                entry.write(chunk[: min(len(chunk), size - start)])


def _bomb(folder: Path, size: int) -> Path:
    path = write_xlsx(folder / "bomb.xlsx", ENGLISH)
    _add_entry(path, "xl/media/image1.bin", size)
    return path


def test_a_zip_bomb_is_refused_from_its_declared_size(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_INPUT_BYTES", str(4 * MiB))  # a workbook may expand to 16 MiB
    path = _bomb(tmp_path, 64 * MiB)
    assert path.stat().st_size < MiB
    peak = _peak_python_bytes(lambda: _rejected(path, "uncompressed", "over the limit of 16,777,216 bytes"))
    assert peak < 8 * MiB  # nothing was inflated


def test_a_workbook_under_the_limit_still_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_INPUT_BYTES", str(4 * MiB))
    path = _bomb(tmp_path, 2 * MiB)
    assert read_dataset(path).counts() == {"units": 6, "pairings": 2, "flows": 1}


def _lie_about_size(path: Path, name: str, declared: int) -> None:
    """Rewrite the central directory so that entry ``name`` claims ``declared`` bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name).file_size > declared
    position = data.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + length] == name.encode():
            data[position + 24 : position + 28] = declared.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        position = data.find(b"PK\x01\x02", position + 4)
    raise AssertionError(f"no central directory entry {name}")


def test_a_sheet_that_lies_about_its_size_is_refused(tmp_path):
    villages = [["", f"村{i}", "village", "helped", "520627", ""] for i in range(20_000)]
    path = write_xlsx(tmp_path / "liar.xlsx", {"units": [*ENGLISH["units"], *villages]})
    _lie_about_size(path, "xl/worksheets/sheet1.xml", 2000)
    peak = _peak_python_bytes(lambda: _rejected(path, "Bad CRC-32", "sheet1.xml"))
    assert peak < 16 * MiB


def test_billion_laughs_in_a_sheet_is_rejected(tmp_path):
    path = write_xlsx(tmp_path / "laughs.xlsx", ENGLISH)
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    )
    _replace_entry(path, "xl/worksheets/sheet1.xml", sheet.encode())
    peak = _peak_python_bytes(lambda: _rejected(path))
    assert peak < 64 * MiB


def _replace_entry(path: Path, name: str, content: bytes) -> None:
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries[name] = content
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for entry, data in entries.items():
            target.writestr(entry, data)


def test_a_csv_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIRNET_MAX_INPUT_BYTES", str(MiB))
    header = ENGLISH["units"][0]
    rows = [header, ["520627", "沿河土家族自治县", "county", "helped", "", ""]]
    rows += [["", f"村{i:06d}", "village", "helped", "520627", "poor"] for i in range(60_000)]
    path = write_csv(tmp_path / "units.csv", rows)
    assert path.stat().st_size > MiB
    peak = _peak_python_bytes(lambda: _rejected(path, "over the limit of 1,048,576 bytes", "PAIRNET_MAX_INPUT_BYTES"))
    assert peak < path.stat().st_size // 4  # refused from its size, not read
    (tmp_path / "small").mkdir()
    small = write_csv(tmp_path / "small" / "units.csv", rows[:20_000])
    assert small.stat().st_size < MiB
    assert read_dataset(small).counts()["units"] == 19_999


def test_a_binary_renamed_xlsx_is_refused(tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(Path(sys.executable).resolve().read_bytes()[:200_000])
    _rejected(path, "not an xlsx workbook")
    renamed = tmp_path / "units.csv"
    renamed.write_bytes(path.read_bytes())
    _rejected(renamed, "not a text file")


EXTERNAL_LINK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<externalBook r:id="rId1"><sheetNames><sheetName val="units"/></sheetNames></externalBook></externalLink>'
)
EXTERNAL_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
    'Target="{target}" TargetMode="External"/></Relationships>'
)


def test_external_links_are_never_followed(tmp_path):
    """A workbook linked to another file (here one that must not be read) loads from its own
    cells only: openpyxl is asked to drop links, and nothing is fetched."""
    secret = tmp_path / "secret.xlsx"
    write_xlsx(secret, {"units": [["name"], ["不应读取"]]})
    path = write_xlsx(tmp_path / "linked.xlsx", ENGLISH)
    with zipfile.ZipFile(path) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    entries["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdExt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
    ).encode()
    workbook = entries["xl/workbook.xml"].decode()
    entries["xl/workbook.xml"] = workbook.replace(
        "</sheets>",
        # The prefix is declared here: a writer need not declare it on the root when unused.
        '</sheets><externalReferences xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<externalReference r:id="rIdExt1"/></externalReferences>',
    ).encode()
    types = entries["[Content_Types].xml"].decode()
    entries["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    ).encode()
    entries["xl/externalLinks/externalLink1.xml"] = EXTERNAL_LINK.encode()
    entries["xl/externalLinks/_rels/externalLink1.xml.rels"] = EXTERNAL_RELS.format(target=secret.as_uri()).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    before = secret.stat().st_atime_ns
    dataset = read_dataset(path)
    assert dataset.counts() == {"units": 6, "pairings": 2, "flows": 1}
    assert "不应读取" not in {u.name for u in dataset.units}
    assert secret.stat().st_atime_ns == before


# --- measured in a subprocess: small here, full size under `make fuzz` -------------------------

_MEASURE = """
import json, sys, time
from pairnet.graph import InvalidInput
from pairnet.loaders import read_dataset
started = time.perf_counter()
try:
    outcome = {"loaded": read_dataset(sys.argv[1]).counts()}
except InvalidInput as error:
    outcome = {"rejected": str(error)[:300]}
outcome["seconds"] = round(time.perf_counter() - started, 2)
# VmHWM, not ru_maxrss: ru_maxrss keeps the peak of the forked pytest process from before exec.
with open("/proc/self/status") as status:
    outcome["peak_mib"] = next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) // 1024
print(json.dumps(outcome, ensure_ascii=False))
"""


def _measure(path: Path, limit: int | None) -> dict:
    """Read ``path`` in a fresh process under ``limit`` (None: the default); its outcome,
    seconds and peak resident memory, printed for the record."""
    env = {k: v for k, v in os.environ.items() if k != "PAIRNET_MAX_INPUT_BYTES"}
    if limit is not None:
        env["PAIRNET_MAX_INPUT_BYTES"] = str(limit)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, env=env, timeout=3600, check=True
    )
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{path.name} ({path.stat().st_size / MiB:,.1f} MiB on disk, limit {limit or 'default'}): {outcome}")
    return outcome


def _village_rows(path: Path, count: int) -> Path:
    """A valid units.csv: one county, a township per thousand villages, ``count`` villages."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("id,kind,name,side,parent,poverty\nc0,county,测试县,helped,,\n")
        for t in range(max(1, count // 1000)):
            handle.write(f"t{t},township,镇{t},helped,c0,\n")
            handle.writelines(f"v{t}-{v},village,村{v},helped,t{t},poor\n" for v in range(min(1000, count)))
    return path


# Full size: a 4 GiB bomb, a 300 MB CSV and a million rows under the default limit.
SIZES = (
    {"bomb": 4096 * MiB, "csv": 300 * MiB, "rows": 1_000_000}
    if LONG
    else {"bomb": 64 * MiB, "csv": 8 * MiB, "rows": 20_000}
)
LIMIT = None if LONG else 4 * MiB


def test_hostile_files_in_a_fresh_process(tmp_path):
    bomb = _measure(_bomb(tmp_path, SIZES["bomb"]), LIMIT)
    assert "uncompressed" in bomb["rejected"] and bomb["peak_mib"] < 300
    big = tmp_path / "big" / "units.csv"
    big.parent.mkdir()
    line = "v,village,村,helped,c0,poor\n".encode()
    with big.open("wb") as handle:
        handle.write(b"id,kind,name,side,parent,poverty\n")
        lines = SIZES["csv"] // len(line)
        for start in range(0, lines, 100_000):  # in pieces, to keep this process small
            handle.write(line * min(100_000, lines - start))
    huge = _measure(big, LIMIT)
    assert "over the limit" in huge["rejected"] and huge["peak_mib"] < 300
    rows = _measure(_village_rows(tmp_path / "units.csv", SIZES["rows"]), None)
    assert rows["loaded"]["units"] == 1 + SIZES["rows"] // 1000 + SIZES["rows"]
    assert rows["peak_mib"] < 6 * 1024
