"""The worklist database: where it lives, how it is opened, and the one way to write to it.

SQLite in WAL mode, so the screen reads while the batch writes; foreign keys on; every write in
an explicit ``BEGIN IMMEDIATE … COMMIT`` (:meth:`Store.transaction`), with ``synchronous=FULL``
so a committed review survives a crash or a power cut. A :class:`Store` is one connection: use
one per thread (the batch thread and the screen each open their own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from ecgviewer.worklist.migrations import SCHEMA_VERSION, WorklistError, migrate, schema_version
from ecgviewer.worklist.version import current_analysis_version

#: Suffix of a database kept beside the folder it indexes (never inside it).
BESIDE_SUFFIX = ".ecgworklist.sqlite3"
_BUSY_TIMEOUT_MS = 10_000  # the screen and the batch take turns writing; neither should fail


def utc_now() -> str:
    """The current time in UTC, ISO 8601 with milliseconds and a ``Z``."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
    return now.replace("+00:00", "Z")


def default_db_path(folder: str | Path) -> Path:
    """The database of ``folder`` in the user's data directory.

    The file is named from the folder's name and a hash of its absolute path, so two folders
    with the same name never share a database and the recordings are never written to.
    """
    import platformdirs

    absolute = Path(folder).expanduser().resolve()
    digest = hashlib.sha256(str(absolute).encode("utf-8")).hexdigest()[:16]
    name = re.sub(r"[^\w.-]+", "_", absolute.name)[:40] or "root"
    return Path(platformdirs.user_data_dir("ecgviewer")) / "worklists" / f"{name}-{digest}.sqlite3"


def beside_db_path(folder: str | Path) -> Path:
    """The database kept next to ``folder`` (``DATA/`` -> ``DATA.ecgworklist.sqlite3``)."""
    absolute = Path(folder).expanduser().resolve()
    return absolute.parent / f"{absolute.name}{BESIDE_SUFFIX}"


class Store:
    """One connection to a worklist database, migrated to the current schema.

    Attributes
    ----------
    path
        The database file.
    root
        The folder whose recordings are indexed; record paths are stored relative to it.
    version
        The analysis version results are read and written under (see
        :func:`~ecgviewer.worklist.version.current_analysis_version`).
    conn
        The ``sqlite3`` connection, in autocommit mode; write only through :meth:`transaction`.
    """

    def __init__(self, path: Path, root: Path, version: str, conn: sqlite3.Connection) -> None:
        self.path = path
        self.root = root
        self.version = version
        self.conn = conn

    @classmethod
    def open(
        cls,
        db_path: str | Path,
        root: str | Path,
        *,
        version: str | None = None,
        read_only: bool = False,
    ) -> Store:
        """Open (creating and migrating when needed) the database of the folder ``root``.

        Raises
        ------
        WorklistError
            The file is not a worklist database, or one made by a newer ecgviewer.
        """
        path = Path(db_path).expanduser().resolve()
        root_path = Path(root).expanduser().resolve()
        if read_only:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                migrate(conn)
            elif schema_version(conn) != SCHEMA_VERSION:
                raise WorklistError(f"{path.name} is not at schema version {SCHEMA_VERSION}.")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise WorklistError(f"{path} is not a worklist database ({exc}).") from exc
        except BaseException:
            conn.close()
            raise
        store = cls(path, root_path, version or current_analysis_version(), conn)
        known_root = store.meta("root")
        if known_root not in (None, str(root_path)) and Path(known_root).is_dir():
            conn.close()
            raise WorklistError(
                f"{path} is the worklist of {known_root}, not of {root_path}; "
                "choose another database for this folder."
            )
        if not read_only:
            with store.transaction() as tx:
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('created_utc', ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (utc_now(),),
                )
                # The folder may have moved (gone from its old place) with a database beside it.
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('root', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(root_path),),
                )
        return store

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``with store.transaction() as tx:`` — commit on success, roll back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def meta(self, key: str) -> str | None:
        """A value of the ``meta`` table (``root``, ``created_utc``), or None."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        """Close the connection (committed work is already on disk)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_worklist(
    folder: str | Path,
    *,
    db_path: str | Path | None = None,
    beside: bool = False,
    version: str | None = None,
) -> Store:
    """Open the worklist of ``folder``: ``db_path`` if given, else beside it, else the default.

    Raises
    ------
    WorklistError
        The folder does not exist, or the database cannot be used.
    """
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise WorklistError(f"{root} is not a folder.")
    if db_path is not None:
        target = Path(db_path)
    else:
        target = beside_db_path(root) if beside else default_db_path(root)
    return Store.open(target, root, version=version)
