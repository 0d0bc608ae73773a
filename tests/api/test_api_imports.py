"""POST /imports: dry runs, real imports, all or nothing, the token, size and type checks,
and what an import does to cached answers (ETags), also in a second app on the same store."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from tests.support.api import AUTH, TOKEN, UNIT_HEADER, client_for, tiny_units, upload, write_csv


def test_dry_run_reports_and_writes_nothing(store, tmp_path):
    client = client_for(store)
    before = store.version()
    response = upload(client, tiny_units(tmp_path), params={"dry_run": "true"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True
    assert body["counts"] == {"units": 4, "pairings": 0, "flows": 0}
    assert body["import_id"] is None
    assert store.version() == before
    assert client.get("/units").json()["total"] == 0


def test_real_import_returns_id_and_counts_and_is_listed(store, tmp_path):
    client = client_for(store)
    response = upload(client, tiny_units(tmp_path))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is False and body["import_id"]
    assert body["counts"]["units"] == 4 and body["written"]["units"] == 4
    assert body["source"] == "units.csv"
    units = client.get("/units", params={"kind": "village"}).json()
    assert [u["name"] for u in units["items"]] == ["甲村", "乙村"]
    history = client.get("/imports").json()
    assert history["total"] == 1
    assert [h["import_id"] for h in history["items"]] == [body["import_id"]]


def test_invalid_file_is_422_with_every_problem_and_nothing_written(store, tmp_path):
    client = client_for(store)
    path = write_csv(
        tmp_path / "units.csv",
        UNIT_HEADER,
        [
            ["a", "", "county", "好县", "helped", "", ""],
            ["b", "", "hamlet", "坏村", "helped", "a", ""],
            ["c", "", "village", "孤村", "helped", "nowhere", ""],
        ],
    )
    before = store.version()
    response = upload(client, path)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["type"]
    located = {(p["row"], p["column"]) for p in problem["problems"]}
    assert (3, "kind") in located and (4, "parent") in located
    assert all(p["file"] == "units.csv" for p in problem["problems"])
    assert store.version() == before
    assert client.get("/units").json()["total"] == 0


def test_writes_need_the_token(store, tmp_path):
    client = client_for(store)
    path = tiny_units(tmp_path)
    before = store.version()
    for headers in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ):
        response = upload(client, path, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.headers["content-type"].startswith("application/problem+json")
    assert store.version() == before
    assert store.imports() == []


def test_read_only_server_refuses_writes(store, tmp_path):
    client = client_for(store, read_only=True)
    response = upload(client, tiny_units(tmp_path))
    assert response.status_code == 403
    assert store.imports() == []


def test_upload_over_the_limit_is_413(store, tmp_path):
    client = client_for(store, max_upload_bytes=2000)
    path = tiny_units(tmp_path, names=tuple(f"村{i:04d}" for i in range(200)))
    assert path.stat().st_size > 2000
    response = upload(client, path)
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert store.imports() == []


def test_streamed_upload_over_the_limit_is_413_without_content_length(store, tmp_path):
    client = client_for(store, max_upload_bytes=4000)
    boundary = "pairnetboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="units.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    chunks = [head, *(b"x" * 1000 for _ in range(10)), f"\r\n--{boundary}--\r\n".encode()]
    response = client.post(
        "/imports",
        headers={**AUTH, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=iter(chunks),  # a generator: sent chunked, with no Content-Length
    )
    assert response.status_code == 413
    assert store.imports() == []


def test_files_that_are_not_what_they_claim_are_415(store, tmp_path):
    client = client_for(store)
    text = tiny_units(tmp_path)
    fake_xlsx = tmp_path / "units.xlsx"
    fake_xlsx.write_bytes(text.read_bytes())
    png_csv = tmp_path / "pairings.csv"
    png_csv.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    plain_zip = tmp_path / "flows.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    plain_zip.write_bytes(buffer.getvalue())
    other = tmp_path / "units.txt"
    other.write_text("id,name\n")
    for path in (fake_xlsx, png_csv, plain_zip, other):
        response = upload(client, path)
        assert response.status_code == 415, path.name
        problem = response.json()
        assert problem["problems"][0]["file"] == path.name
        assert problem["problems"][0]["expected"]
    assert store.imports() == []


def _form_problem(response) -> tuple[str, str]:
    """The form field a 422 names, and what it says about it."""
    assert response.status_code == 422, response.text
    (item,) = response.json()["parameters"]
    assert item["location"] == "body"
    return item["parameter"], item["message"]


def test_the_upload_form_takes_the_fields_its_schema_names_and_no_other(store, tmp_path):
    client = client_for(store)
    body = client.get("/openapi.json").json()["paths"]["/api/v1/imports"]["post"]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]
    assert schema["additionalProperties"] is False and set(schema["properties"]) == {"file", "source"}
    units = tiny_units(tmp_path)
    dry = {"dry_run": "true", "lang": "en"}

    def send(fields, with_file=True):
        files = {"file": (units.name, units.read_bytes(), "text/csv")} if with_file else None
        return client.post("/imports", headers=AUTH, params=dry, data=fields, files=files)

    field, message = _form_problem(send({"comment": "x"}))
    assert field == "comment" and message == "unknown form field comment; this form takes: file, source"
    field, message = _form_problem(send({"something": "else"}, with_file=False))
    assert field == "something"
    assert _form_problem(send({}, with_file=False))[0] == "file"
    field, message = _form_problem(send({"file": "not a file part"}, with_file=False))
    assert field == "file" and "holds text, not a file" in message
    assert _form_problem(send({"source": "名" * 301})) == (
        "source",
        "the source must be a name of at most 300 characters",
    )
    # A blank source is no source: the file's name is used, as when it is absent.
    assert send({"source": " \t "}).json()["source"] == units.name
    assert send({"source": " 县里的名单 "}).json()["source"] == "县里的名单"
    too_many = send({f"f{i}": "x" for i in range(5)})
    assert too_many.status_code == 400 and too_many.json()["detail"].startswith("the form could not be read: ")
    chinese = client.post("/imports", headers=AUTH, params={"dry_run": "true", "lang": "zh"}, data={"备注": "x"})
    assert _form_problem(chinese) == ("备注", "未知的表单字段 备注；此表单接受：file, source")
    assert client.post("/imports", headers=AUTH, content=b"id,name\n").status_code == 422
    assert store.imports() == []


def test_an_import_invalidates_cached_answers(store, tmp_path):
    client = client_for(store)
    first = client.get("/units")
    etag = first.headers["etag"]
    assert client.get("/units", headers={"If-None-Match": etag}).status_code == 304
    assert upload(client, tiny_units(tmp_path)).status_code == 200
    after = client.get("/units", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.headers["etag"] != etag
    assert after.json()["total"] == 4


def test_another_worker_sees_an_import_on_its_next_request(store, tmp_path):
    writer = client_for(store)
    # A second app that opens the store by itself, as a second worker process would.
    reader = TestClient(create_app(Settings(store=store.uri, token=TOKEN)), raise_server_exceptions=False)
    with reader:
        assert reader.get("/units").json()["total"] == 0
        stale = reader.get("/api/v1/").json()["data_version"]
        assert upload(writer, tiny_units(tmp_path)).status_code == 200
        assert reader.get("/units").json()["total"] == 4
        assert reader.get("/api/v1/").json()["data_version"] != stale
