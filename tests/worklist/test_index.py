"""Indexing: new, removed and modified records, cheap header fields, hashing shortcuts."""

from __future__ import annotations

import os
from pathlib import Path

from ecgviewer.worklist import Store, index_folder
from ecgviewer.worklist.fingerprint import content_hash, parse_wfdb_header
from tests.io.wfdb_helpers import write_record
from tests.worklist.helpers import rewrite


def _hashes(store: Store) -> dict[str, str]:
    return dict(store.conn.execute("SELECT rel_path, content_hash FROM records WHERE present"))


def test_first_index_lists_every_record_with_header_fields(store: Store, folder: Path) -> None:
    report = index_folder(store)
    assert (report.total, report.new, report.modified, report.removed) == (12, 12, 0, 0)
    row = store.conn.execute(
        "SELECT files, record_name, source_format, fs_hz, duration_s, n_leads, leads, "
        "fields_from FROM records WHERE rel_path = '000/r0000.hea'"
    ).fetchone()
    assert row == (
        "r0000.dat\nr0000.hea", "r0000", "WFDB (format 16)", 100.0, 10.0, 12,
        "I,II,III,aVR,aVL,aVF,V1,V2,V3,V4,V5,V6", "index",
    )  # fmt: skip
    assert len(set(_hashes(store).values())) == 12
    assert report.hashed_bytes == sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_reindex_finds_new_removed_and_modified(store: Store, folder: Path) -> None:
    index_folder(store)
    before = _hashes(store)
    write_record(folder / "001", "late", fs_hz=100.0, n_samples=1000)  # new
    for path in (folder / "002").glob("r0008.*"):  # removed
        path.unlink()
    rewrite(folder / "000" / "r0001.hea", seed=99)  # modified, same size
    report = index_folder(store)
    assert (report.new, report.removed, report.modified, report.unchanged) == (1, 1, 1, 10)
    after = _hashes(store)
    assert "001/late.hea" in after and "002/r0008.hea" not in after
    assert after["000/r0001.hea"] != before["000/r0001.hea"]
    assert {k: v for k, v in after.items() if k not in ("000/r0001.hea", "001/late.hea")} == {
        k: v for k, v in before.items() if k not in ("000/r0001.hea", "002/r0008.hea")
    }
    gone = store.conn.execute("SELECT present FROM records WHERE rel_path = '002/r0008.hea'")
    assert gone.fetchone() == (0,)  # kept, marked absent (its reviews stay)
    again = index_folder(store)
    assert (again.new, again.modified, again.removed, again.hashed_bytes) == (0, 0, 0, 0)


def test_touched_file_is_rehashed_to_the_same_hash(store: Store, folder: Path) -> None:
    index_folder(store)
    before = _hashes(store)
    dat = folder / "000" / "r0002.dat"
    st = dat.stat()
    os.utime(dat, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = index_folder(store)
    assert report.modified == 1 and report.hashed_bytes > 0
    assert _hashes(store) == before


def test_a_returning_record_is_present_again(store: Store, folder: Path) -> None:
    index_folder(store)
    hidden = folder.parent / "hidden"
    (folder / "001").rename(hidden)
    assert index_folder(store).removed == 4
    hidden.rename(folder / "001")
    report = index_folder(store)
    assert report.new == 0 and report.unchanged == 12
    assert store.conn.execute("SELECT count(*) FROM records WHERE present").fetchone() == (12,)


def test_signal_file_appearing_changes_the_hash(tmp_path: Path) -> None:
    write_record(tmp_path, "x", n_samples=500)
    dat = tmp_path / "x.dat"
    data = dat.read_bytes()
    with_dat = content_hash(tmp_path, ["x.hea", "x.dat"])
    dat.unlink()
    without = content_hash(tmp_path, ["x.hea", "x.dat"])
    dat.write_bytes(data)
    assert without != with_dat == content_hash(tmp_path, ["x.dat", "x.hea"])


def test_header_parse_without_wfdb() -> None:
    text = "A0001/2 3 500/1 5000 10:00:00 01/02/2020\n# Age: 74\n#Sex: Female\n"
    multi = parse_wfdb_header(text)
    assert multi is not None and multi.source_format == "WFDB multi-segment"
    assert (multi.age_years, multi.sex, multi.fs_hz, multi.duration_s) == (74.0, "F", 500.0, 10.0)
    one = parse_wfdb_header(
        "rec 2 360\nrec.mat 16+24 200/mV 16 0 0 0 0 MLII\nrec.mat 16+24 200/mV 16 0 0 0 0 v1\n"
    )
    assert one is not None
    assert one.leads == ("MLII", "V1") and one.signal_files == ("rec.mat",)
    assert one.duration_s is None and one.source_format.startswith("WFDB / PhysioNet Challenge")
    assert parse_wfdb_header("not a header at all") is None
