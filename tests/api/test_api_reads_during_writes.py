"""Reads never wait on writes (issue 12, B.10): with another process holding the SQLite
write lock, an API import waits, and reads on the same server still answer at once."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

from tests.support.api import client_for, load_sample, tiny_units, upload
from tests.support.stores import sqlite_store

# Holds the write lock (BEGIN IMMEDIATE) until told to let go on stdin.
HOLD_THE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


def test_reads_answer_at_once_while_an_import_waits_for_another_process(tmp_path):
    store = sqlite_store(tmp_path)
    load_sample(store)
    client = client_for(store)
    assert client.get("/units?limit=1").status_code == 200  # the view of the sample is built
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, store.uri], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        imported: dict = {}
        writer = threading.Thread(target=lambda: imported.update(answer=upload(client, tiny_units(tmp_path))))
        writer.start()
        time.sleep(1.0)  # the import is now waiting for the lock
        assert writer.is_alive()
        # Questions never asked before (not in the answer cache), and the import history.
        # The other process lets go only after these reads: a read that waited for the lock would
        # never answer, so each runs in a thread given a generous while to come back.
        for path in ("/units?kind=village&within=520627&limit=3", "/analyses/gaps?within=520627&limit=2", "/imports"):
            read: dict = {}
            reader = threading.Thread(target=lambda path=path, read=read: read.update(answer=client.get(path)))
            reader.start()
            reader.join(timeout=60)
            assert not reader.is_alive(), f"{path} waited for the lock another process holds"
            assert read["answer"].status_code == 200, read["answer"].text
        assert writer.is_alive(), "the import should still be waiting for the other process"
    finally:
        holder.stdin.write("release\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    writer.join(timeout=60)
    assert imported["answer"].status_code == 200, imported["answer"].text
    assert client.get("/units/t-village-0").status_code == 200
    store.close()
