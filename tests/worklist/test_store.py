"""The database: WAL, foreign keys, schema versions and migrations, where it lives."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from ecgviewer.worklist import (
    SCHEMA_VERSION,
    Store,
    WorklistError,
    beside_db_path,
    default_db_path,
    open_worklist,
)
from ecgviewer.worklist.migrations import MIGRATIONS, migrate, schema_version


def test_new_database_is_current_wal_with_foreign_keys(tmp_path: Path) -> None:
    with Store.open(tmp_path / "w.sqlite3", tmp_path, version="v") as store:
        conn = store.conn
        assert schema_version(conn) == SCHEMA_VERSION == MIGRATIONS[-1].version
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"meta", "records", "results", "reviews", "findings"} <= tables
        assert store.meta("root") == str(tmp_path.resolve())
        # a review must name a real record
        with pytest.raises(sqlite3.IntegrityError), store.transaction() as tx:
            tx.execute(
                "INSERT INTO reviews (record_id, content_hash, finding, decision, reviewer, "
                "created_utc, model_version) VALUES (99, 'h', 'AF', 'confirm', 'dr', 't', 'v')"
            )


def test_versions_are_consecutive_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_version_1_database_migrates_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == [1]
    result = {
        "classes": {"AF": {"probability": 0.9, "threshold": 0.5, "flagged": True},
                    "LBBB": {"probability": 0.1, "threshold": 0.5, "flagged": False}},
        "anomaly": {"score": 2.0, "threshold": 3.0, "flagged": False},
        "measurements": {}, "error": None,
    }  # fmt: skip
    conn.execute(
        "INSERT INTO records (rel_path, files, stat_key, size_bytes, mtime_ns, content_hash, "
        "indexed_utc) VALUES ('a/r.hea', 'r.hea', 'k', 1, 1, 'h1', 't')"
    )
    conn.execute(
        "INSERT INTO results (content_hash, analysis_version, analysed_utc, result_json, "
        "n_flagged, flagged) VALUES ('h1', 'v', 't', ?, 1, 'AF')",
        (json.dumps(result),),
    )
    conn.close()

    with Store.open(path, tmp_path, version="v") as store:
        assert schema_version(store.conn) == SCHEMA_VERSION
        rows = store.conn.execute(
            "SELECT name, kind, value, threshold, flagged FROM findings ORDER BY name"
        ).fetchall()
        assert rows == [
            ("AF", "class", 0.9, 0.5, 1),
            ("LBBB", "class", 0.1, 0.5, 0),
            ("anomaly", "anomaly", 2.0, 3.0, 0),
        ]
        assert store.conn.execute("SELECT rel_path FROM records").fetchall() == [("a/r.hea",)]
    # opening again applies nothing
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn) == []
    conn.close()


def test_newer_or_foreign_database_is_refused(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorklistError, match="newer ecgviewer"):
        Store.open(newer, tmp_path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(WorklistError, match="not a worklist database"):
        Store.open(junk, tmp_path)


def test_database_locations_never_inside_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    a, b = tmp_path / "x" / "ecgs", tmp_path / "y" / "ecgs"
    a.mkdir(parents=True)
    b.mkdir(parents=True)
    pa, pb = default_db_path(a), default_db_path(b)
    assert pa.parent == tmp_path / "data" / "ecgviewer" / "worklists"
    assert pa != pb and pa.name.startswith("ecgs-")  # same name, other folder: other database
    assert default_db_path(a / ".." / "ecgs") == pa
    assert beside_db_path(a) == tmp_path / "x" / "ecgs.ecgworklist.sqlite3"

    with open_worklist(a) as store:
        assert store.path == pa and pa.is_file()
    with open_worklist(a, beside=True) as store:
        assert store.path == beside_db_path(a)
    assert list(a.iterdir()) == []  # nothing was written into the recordings' folder
    with pytest.raises(WorklistError, match="not a folder"):
        open_worklist(tmp_path / "missing")


def test_database_of_another_folder_is_refused_unless_that_folder_moved(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    db = tmp_path / "w.sqlite3"
    Store.open(db, a).close()
    with pytest.raises(WorklistError, match="is the worklist of"):
        Store.open(db, b)
    a.rename(tmp_path / "a-moved")  # moved together with its database: follow it
    with Store.open(db, tmp_path / "a-moved") as store:
        assert store.meta("root") == str((tmp_path / "a-moved").resolve())


def test_read_only_store_reads_and_cannot_write(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    Store.open(db, tmp_path, version="v").close()
    with Store.open(db, tmp_path, version="v", read_only=True) as store:
        assert store.meta("root") == str(tmp_path.resolve())
        with pytest.raises(sqlite3.OperationalError, match="readonly"), store.transaction() as tx:
            tx.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
