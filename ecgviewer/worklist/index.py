"""Index a folder: find its recordings, and notice which are new, modified or gone.

Indexing never opens a recording. It lists each folder once, compares a stat signature (names,
sizes, mtimes of the record's files) with the one stored, and reads and hashes only the records
that are new or whose files changed; a WFDB header is parsed as text on the way for the fields
the list shows before analysis. Removed records are marked absent, never deleted, so their
reviews stay.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ecgviewer.io.discover import find_records
from ecgviewer.worklist.fingerprint import (
    HeaderFields,
    Listing,
    content_hash,
    list_folder,
    parse_wfdb_header,
    record_files,
    stat_signature,
)
from ecgviewer.worklist.results import refill_fields
from ecgviewer.worklist.store import Store, utc_now

_SCAN_CHUNK = 256  # records per thread task: per-task overhead dwarfs hashing a small record
_WRITE_BATCH = 2000  # rows per transaction: short enough not to block the screen for long


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one indexing pass found."""

    total: int
    new: int
    modified: int
    removed: int
    unchanged: int
    hashed_bytes: int
    elapsed_s: float


class _Known(NamedTuple):
    """What the database holds about a record from the last indexing."""

    record_id: int
    stat_key: str
    present: int
    content_hash: str | None
    files: str


@dataclass(frozen=True, slots=True)
class _Scanned:
    rel_path: str
    files: tuple[str, ...]
    stat_key: str
    size_bytes: int
    mtime_ns: int
    content_hash: str
    fields: HeaderFields | None


def _scan(path: Path, rel_path: str, listing: Listing) -> _Scanned:
    """Read the header (if any), name the record's files, and hash them."""
    fields = None
    if path.suffix.lower() == ".hea":
        try:
            fields = parse_wfdb_header(path.read_text(encoding="latin-1"))
        except OSError:
            fields = None
    names = record_files(path, listing, fields.signal_files if fields else ())
    key, size, mtime = stat_signature(names, path.parent, listing)
    return _Scanned(rel_path, names, key, size, mtime, content_hash(path.parent, names), fields)


def _field_values(fields: HeaderFields | None) -> dict[str, Any]:
    if fields is None:
        return dict.fromkeys(
            ("record_name", "source_format", "fs_hz", "duration_s", "n_leads", "leads",
             "age_years", "sex")
        )  # fmt: skip
    return {
        "record_name": fields.record_name,
        "source_format": fields.source_format,
        "fs_hz": fields.fs_hz,
        "duration_s": fields.duration_s,
        "n_leads": len(fields.leads) or None,
        "leads": ",".join(fields.leads) or None,
        "age_years": fields.age_years,
        "sex": fields.sex,
    }


def _write(store: Store, scanned: Sequence[_Scanned], known: dict[str, _Known]) -> None:
    now = utc_now()
    with store.transaction() as tx:
        for s in scanned:
            files = "\n".join(s.files)
            stat = (files, s.stat_key, s.size_bytes, s.mtime_ns)
            row = known.get(s.rel_path)
            fields = _field_values(s.fields)
            if row is None:
                cols = ["rel_path", "files", "stat_key", "size_bytes", "mtime_ns",
                        "content_hash", "indexed_utc", *fields]  # fmt: skip
                marks = ", ".join("?" * len(cols))
                tx.execute(
                    f"INSERT INTO records ({', '.join(cols)}) VALUES ({marks})",
                    [s.rel_path, *stat, s.content_hash, now, *fields.values()],
                )
            elif row.content_hash == s.content_hash:  # touched only: keep the analysed fields
                tx.execute(
                    "UPDATE records SET files = ?, stat_key = ?, size_bytes = ?, mtime_ns = ?, "
                    "present = 1, indexed_utc = ? WHERE id = ?",
                    [*stat, now, row.record_id],
                )
            else:
                sets = ", ".join(f"{k} = ?" for k in fields)
                tx.execute(
                    "UPDATE records SET files = ?, stat_key = ?, size_bytes = ?, mtime_ns = ?, "
                    f"content_hash = ?, present = 1, indexed_utc = ?, {sets}, "
                    "patient_id = NULL, start_time = NULL, fields_from = 'index' WHERE id = ?",
                    [*stat, s.content_hash, now, *fields.values(), row.record_id],
                )
            if row is None or row.content_hash != s.content_hash:
                refill_fields(tx, s.content_hash)


def index_folder(
    store: Store,
    *,
    threads: int = 2,
    on_progress: Callable[[int, int], None] | None = None,
) -> IndexReport:
    """Bring the index of ``store.root`` up to date with the files on disk.

    Parameters
    ----------
    store
        The worklist database of the folder.
    threads
        Threads that read and hash new or changed records (hashing releases the GIL).
    on_progress
        Called with ``(hashed, to_hash)`` as records are hashed.

    Returns
    -------
    IndexReport
        Counts of new, modified, removed and unchanged records.
    """
    t0 = time.perf_counter()
    root = store.root
    known = {
        r[0]: _Known(*r[1:])
        for r in store.conn.execute(
            "SELECT rel_path, id, stat_key, present, content_hash, files FROM records"
        )
    }
    by_folder: dict[Path, list[Path]] = {}
    for path, _ in find_records([root]):
        by_folder.setdefault(path.parent, []).append(path)

    todo: list[tuple[Path, str, Listing]] = []
    seen: set[str] = set()
    restored: list[int] = []
    unchanged = 0
    for folder, paths in by_folder.items():
        listing = list_folder(folder)
        for path in paths:
            rel = path.relative_to(root).as_posix()
            seen.add(rel)
            row = known.get(rel)
            if row is not None:
                names = record_files(path, listing, row.files.split("\n"))
                if stat_signature(names, folder, listing)[0] == row.stat_key:
                    unchanged += 1
                    if not row.present:
                        restored.append(row.record_id)
                    continue
            todo.append((path, rel, listing))

    scanned: list[_Scanned] = []
    chunks = [todo[i : i + _SCAN_CHUNK] for i in range(0, len(todo), _SCAN_CHUNK)]
    with ThreadPoolExecutor(max(1, threads)) as pool:
        for part in pool.map(lambda chunk: [_scan(*item) for item in chunk], chunks):
            scanned.extend(part)
            if on_progress is not None:
                on_progress(len(scanned), len(todo))
    for start in range(0, len(scanned), _WRITE_BATCH):
        _write(store, scanned[start : start + _WRITE_BATCH], known)

    removed = [row.record_id for rel, row in known.items() if row.present and rel not in seen]
    with store.transaction() as tx:
        tx.executemany("UPDATE records SET present = 0 WHERE id = ?", [(i,) for i in removed])
        tx.executemany("UPDATE records SET present = 1 WHERE id = ?", [(i,) for i in restored])
    new = sum(1 for s in scanned if s.rel_path not in known)
    return IndexReport(
        total=len(seen),
        new=new,
        modified=len(scanned) - new,
        removed=len(removed),
        unchanged=unchanged,
        hashed_bytes=sum(s.size_bytes for s in scanned),
        elapsed_s=time.perf_counter() - t0,
    )
