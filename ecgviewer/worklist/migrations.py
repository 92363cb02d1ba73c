"""Schema versions and the ordered migrations between them (``PRAGMA user_version``).

Each migration runs in its own transaction together with the ``user_version`` it sets, so a
crash during a migration leaves the database at the previous version, never half-way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from ecgviewer.worklist import schema
from ecgviewer.worklist.results import save_findings


class WorklistError(Exception):
    """The worklist database cannot be used as asked; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class Migration:
    """The step from ``version - 1`` to ``version``: statements, then an optional data step."""

    version: int
    summary: str
    statements: tuple[str, ...]
    backfill: Callable[[sqlite3.Connection], None] | None = None


def _backfill_findings(conn: sqlite3.Connection) -> None:
    rows = conn.execute("SELECT content_hash, analysis_version, result_json FROM results")
    for content_hash, version, text in rows.fetchall():
        save_findings(conn, content_hash, version, json.loads(text))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "folder index, analysis results, append-only reviews", schema.V1),
    Migration(2, "one row per finding, for filtering by class", schema.V2, _backfill_findings),
)

#: The schema version this code reads and writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's ``PRAGMA user_version`` (0 for a new, empty database)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Bring the database up to ``target``, one transaction per migration.

    Parameters
    ----------
    conn
        A connection in autocommit mode (``isolation_level=None``).
    target
        The version to reach; tests pass 1 to build an old database.

    Returns
    -------
    list of int
        The versions applied, in order (empty when the database was already current).

    Raises
    ------
    WorklistError
        The database was made by a newer ecgviewer (its version is above this code's).
    """
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise WorklistError(
            f"This worklist database has schema version {current}, made by a newer ecgviewer "
            f"(this one reads up to {SCHEMA_VERSION}). Update ecgviewer to open it."
        )
    applied: list[int] = []
    for migration in MIGRATIONS:
        if not current < migration.version <= target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the lock.
            if schema_version(conn) >= migration.version:
                conn.execute("ROLLBACK")
                continue
            for statement in migration.statements:
                conn.execute(statement)
            if migration.backfill is not None:
                migration.backfill(conn)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
