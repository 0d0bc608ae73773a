"""Uploads waiting for a confirmation on disk (pairnet.workbench.pending): shared by the
workers of one store, taken once, by the person who uploaded them, within the hour."""

from __future__ import annotations

import json
import os
import time

from pairnet.workbench.pending import PENDING_SECONDS, PendingUploads, uploads_folder


def waiting(root, person: str = "王规划") -> tuple[PendingUploads, str]:
    uploads = PendingUploads(root)
    key, folder = uploads.receive()
    (folder / "结对.xlsx").write_bytes(b"workbook")
    uploads.keep(key, "结对.xlsx", replace=True, person=person)
    return uploads, key


def test_another_instance_over_the_same_folder_takes_the_upload_once(tmp_path):
    _uploads, key = waiting(tmp_path / "uploads")
    other = PendingUploads(tmp_path / "uploads")  # another worker
    assert other.take(key, "李编辑") is None  # not theirs: it stays waiting
    taken = other.take(key, "王规划")
    assert taken is not None and taken.replace and taken.path.read_bytes() == b"workbook"
    assert other.take(key, "王规划") is None
    other.discard(taken.folder)
    assert list((tmp_path / "uploads").iterdir()) == []


def test_an_upload_older_than_the_hour_is_dropped(tmp_path):
    uploads, key = waiting(tmp_path / "uploads")
    folder = tmp_path / "uploads" / key
    about = json.loads((folder / "pending.json").read_text(encoding="utf-8"))
    old = time.time() - PENDING_SECONDS - 60
    (folder / "pending.json").write_text(json.dumps({**about, "made": old}), encoding="utf-8")
    os.utime(folder, (old, old))
    assert uploads.take(key, "王规划") is None
    assert not folder.exists()


def test_a_key_that_is_not_one_of_ours_is_never_a_path(tmp_path):
    uploads, _key = waiting(tmp_path / "uploads")
    assert uploads.take("../../etc", "王规划") is None
    assert uploads.take("", "王规划") is None


def test_the_folder_is_beside_a_sqlite_store_and_shared_per_neo4j_uri(tmp_path):
    assert uploads_folder(str(tmp_path / "pairnet.db")) == tmp_path / "pairnet.db.uploads"
    assert uploads_folder(f"sqlite://{tmp_path}/pairnet.db") == tmp_path / "pairnet.db.uploads"
    bolt = uploads_folder("bolt://127.0.0.1:7721")
    assert bolt == uploads_folder("bolt://127.0.0.1:7721") != uploads_folder("bolt://127.0.0.1:7722")
