"""The worklist database schema, as the statements each schema version adds.

Version 1 holds the folder index, the analysis results and the review history; version 2 adds
one row per finding so the worklist can filter and sort by any class's probability. Statements
are never edited once released: a change is a new version in :mod:`ecgviewer.worklist.migrations`.

Tables
------
``meta``
    Key/value facts about the database (the folder it indexes, when it was made).
``records``
    One row per recording found under the folder: its path relative to the folder, a stat
    signature of its files (to skip hashing unchanged records), the sha256 of their content, and
    the record fields shown in the list (from the header at indexing, from the analysis after).
    Rows are never deleted: a record that disappears gets ``present = 0`` and keeps its reviews.
``results``
    One analysis JSON per ``(content_hash, analysis_version)``, with denormalised columns for
    sorting and filtering. Records with identical content share one result.
``reviews``
    The review history, append-only (triggers refuse UPDATE and DELETE). The current decision on
    a finding is the latest row for that record, content and finding.
``findings`` (version 2)
    Every class probability and the anomaly score of every result, flagged or not.
"""

from __future__ import annotations

V1: tuple[str, ...] = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        rel_path TEXT NOT NULL UNIQUE,
        files TEXT NOT NULL,
        stat_key TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        content_hash TEXT,
        present INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
        indexed_utc TEXT NOT NULL,
        record_name TEXT,
        source_format TEXT,
        fs_hz REAL,
        duration_s REAL,
        n_leads INTEGER,
        leads TEXT,
        patient_id TEXT,
        age_years REAL,
        sex TEXT CHECK (sex IN ('F', 'M')),
        start_time TEXT,
        fields_from TEXT NOT NULL DEFAULT 'index' CHECK (fields_from IN ('index', 'analysis'))
    )""",
    "CREATE INDEX records_by_hash ON records (content_hash)",
    """CREATE TABLE results (
        content_hash TEXT NOT NULL,
        analysis_version TEXT NOT NULL,
        analysed_utc TEXT NOT NULL,
        result_json TEXT NOT NULL,
        error_kind TEXT,
        error_message TEXT,
        n_flagged INTEGER NOT NULL DEFAULT 0,
        flagged TEXT NOT NULL DEFAULT '',
        max_probability REAL,
        anomaly_score REAL,
        hr_bpm REAL,
        pr_ms REAL,
        qrs_ms REAL,
        qt_ms REAL,
        qtc_bazett_ms REAL,
        qtc_fridericia_ms REAL,
        PRIMARY KEY (content_hash, analysis_version)
    )""",
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records (id),
        content_hash TEXT NOT NULL,
        finding TEXT NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),
        comment TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL CHECK (length(trim(reviewer)) > 0),
        created_utc TEXT NOT NULL,
        model_version TEXT NOT NULL
    )""",
    "CREATE INDEX reviews_by_finding ON reviews (record_id, content_hash, finding, id)",
    """CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review history is append-only'); END""",
    """CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
    BEGIN SELECT RAISE(ABORT, 'the review history is append-only'); END""",
    """CREATE VIEW current_reviews AS
    SELECT r.* FROM reviews r
    WHERE r.id = (SELECT max(r2.id) FROM reviews r2
                  WHERE r2.record_id = r.record_id AND r2.content_hash = r.content_hash
                    AND r2.finding = r.finding)""",
)

V2: tuple[str, ...] = (
    """CREATE TABLE findings (
        content_hash TEXT NOT NULL,
        analysis_version TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('class', 'anomaly')),
        value REAL NOT NULL,
        threshold REAL NOT NULL,
        flagged INTEGER NOT NULL CHECK (flagged IN (0, 1)),
        PRIMARY KEY (content_hash, analysis_version, name),
        FOREIGN KEY (content_hash, analysis_version)
            REFERENCES results (content_hash, analysis_version) ON DELETE CASCADE
    ) WITHOUT ROWID""",
    "CREATE INDEX findings_by_name ON findings (name, analysis_version, value)",
    "CREATE INDEX results_by_version ON results (analysis_version, n_flagged)",
)
