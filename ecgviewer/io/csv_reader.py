"""Read ECGs exported as delimited text (comma, semicolon or tab separated).

Layout: optional ``# key: value`` lines (``# fs_hz: 500``, ``# units: uV``), a header row of
lead names with optional units (``I (mV)``, ``V1 [uV]``, ``II_uV``), an optional time column,
then one row per sample. Nothing is guessed silently: assumed units and every column left out
are listed as :class:`Conversion` entries.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ecgviewer.io.common import (
    ecg_lead_name,
    finite_float32,
    mv_per_unit,
    rename_note,
    scale_to_mv,
)
from ecgviewer.io.errors import (
    CorruptHeaderError,
    EmptyRecordError,
    SamplingRateError,
    UnknownFormatError,
)
from ecgviewer.io.record import MIN_FS_HZ, Conversion, PatientInfo, Record, make_record

_FS_KEYS = ("fs_hz", "fs", "sampling_rate", "sampling_rate_hz", "sampling_frequency", "sample_rate")
_TIME_NAMES = frozenset({"time", "t", "timestamp", "seconds", "sec", "elapsed"})
_INDEX_NAMES = frozenset({"sample", "samples", "index", "idx", "n", "sample_number"})
_BRACKET_UNIT = re.compile(r"^(?P<name>.*?)\s*[(\[](?P<unit>[^)\]]*)[)\]]$")
_SUFFIX_UNIT = re.compile(r"^(?P<name>.+?)[_\s]+(?P<unit>[uµμnm]?V|m?s)$", re.IGNORECASE)
_SECONDS_PER = {"s": 1.0, "sec": 1.0, "ms": 1e-3}
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?(nan|inf)", re.IGNORECASE)


def read_csv(path: Path) -> Record:
    """Read an ECG from delimited text.

    Parameters
    ----------
    path
        The text file; it is only read.

    Returns
    -------
    Record
        One lead per named column in mV; empty cells become NaN and are reported.

    Raises
    ------
    RecordError
        ``SamplingRateError`` when neither a ``# fs_hz:`` line nor an evenly spaced time column
        gives the rate, ``CorruptHeaderError`` naming the line of a non-numeric cell or a
        missing header row, ``EmptyRecordError`` for a file without sample rows, and
        ``DuplicateLeadError`` (from :func:`make_record`) for two columns naming one lead.
    """
    name, where = path.name, str(path)
    settings, first, lines = _comments(path.read_bytes())
    if first == len(lines):
        raise EmptyRecordError(f"{name} has no header row and no samples.", where)
    header = lines[first]
    seps = [sep for sep in (",", ";", "\t") if sep in header]
    delimiter = max(seps, key=header.count) if seps else None  # None: split on whitespace
    cells = [c.strip().strip('"').strip() for c in header.split(delimiter)]
    if all(_NUMBER.fullmatch(c) for c in cells):
        raise CorruptHeaderError(
            f"{name} starts with numbers, not lead names. Add a header row that names each "
            "column, e.g. 'time_s,I,II,V1'.",
            where,
        )
    body = [
        (n + 1, ln)  # 1-based line numbers, for messages
        for n, ln in enumerate(lines[first + 1 :], first + 1)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if not body:
        raise EmptyRecordError(f"{name} has a header row but no rows of samples.", where)
    names_units = [_split_unit(c) for c in cells]
    _refuse_non_ecg_table(names_units, body[0][1], delimiter, name, where)
    time_col = next((i for i, (n, _) in enumerate(names_units) if n.lower() in _TIME_NAMES), None)
    fs_text = next((settings[k] for k in _FS_KEYS if k in settings), None)
    if fs_text is None and time_col is None:
        raise SamplingRateError(
            f"{name} does not say how many samples per second it holds. Add a first line such "
            "as '# fs_hz: 500', or a time column named 'time_s'.",
            where,
        )
    convs: list[Conversion] = []
    if delimiter in (";", "\t") and "," in body[0][1]:
        body = [(n, ln.replace(",", ".")) for n, ln in body]
        convs.append(Conversion("format", "Decimal commas read as decimal points."))
    data = _parse(body, delimiter, len(cells), name, where)
    time = None if time_col is None else (data[:, time_col], names_units[time_col][1])
    fs_hz = _sampling_rate(time, fs_text, name, where, convs)

    file_unit = settings.get("units", settings.get("unit", ""))  # "# units: uV"
    lead_cols, units = _lead_columns(names_units, time_col, file_unit, convs)
    samples = finite_float32(data[:, lead_cols].T)
    leads = [ecg_lead_name(names_units[c][0]) or names_units[c][0] for c in lead_cols]
    convs.extend(scale_to_mv(samples, units, leads, "The file"))
    renames = {names_units[c][0]: lead for c, lead in zip(lead_cols, leads, strict=True)}
    if note := rename_note(renames, "Columns"):
        convs.append(note)
    start, patient = _recording_info(settings)
    return make_record(
        samples,
        fs_hz,
        leads,
        path.stem,
        source_path=where,
        source_format="CSV",
        start_time=start,
        patient=patient,
        metadata=settings,
        conversions=convs,
    )


def _comments(raw: bytes) -> tuple[dict[str, str], int, list[str]]:
    """``# key: value`` settings before the header, the header's index, and all lines."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = text.splitlines()
    settings: dict[str, str] = {}
    first = 0
    while first < len(lines) and (not lines[first].strip() or lines[first].lstrip()[:1] == "#"):
        key, sep, value = lines[first].lstrip("# \t").partition(":")
        if not sep:
            key, sep, value = key.partition("=")
        if sep:
            settings[key.strip().lower().replace(" ", "_")] = value.strip()
        first += 1
    return settings, first, lines


def _split_unit(cell: str) -> tuple[str, str]:
    """Header cell -> (name, unit): ``"I (mV)"``, ``"V1 [uV]"``, ``"II_uV"``; ``""`` if none."""
    match = _BRACKET_UNIT.match(cell) or _SUFFIX_UNIT.match(cell)
    return (match["name"].strip(), match["unit"].strip()) if match else (cell, "")


def _parse(
    body: list[tuple[int, str]], delimiter: str | None, n_cols: int, name: str, where: str
) -> npt.NDArray[np.float64]:
    """Rows of numbers; NumPy's C parser first, a line-by-line pass to name what is wrong."""
    try:
        data = np.loadtxt([ln for _, ln in body], delimiter=delimiter, ndmin=2, quotechar='"')
        if data.shape[1] == n_cols:
            return data
    except ValueError:
        pass
    out = np.empty((len(body), n_cols))
    for row, (line_no, line) in enumerate(body):
        cells = [c.strip().strip('"') for c in line.split(delimiter)]
        if len(cells) != n_cols:
            raise CorruptHeaderError(
                f"{name}, line {line_no}: {len(cells)} values where the header names {n_cols}.",
                where,
            )
        for col, cell in enumerate(cells):
            try:
                out[row, col] = float(cell) if cell else np.nan  # empty cell: missing sample
            except ValueError:
                raise CorruptHeaderError(
                    f"{name}, line {line_no}: {cell!r} is not a number.", where
                ) from None
    return out


def _sampling_rate(
    time_and_unit: tuple[npt.NDArray[np.float64], str] | None,
    fs_text: str | None,
    name: str,
    where: str,
    convs: list[Conversion],
) -> float:
    """The rate from an evenly spaced time column, checked against a ``# fs_hz:`` line."""
    fs_stated: float | None = None
    if fs_text is not None:
        try:
            fs_stated = float(fs_text.lower().removesuffix("hz").strip())
        except ValueError:
            raise SamplingRateError(
                f"{name}: the sampling rate {fs_text!r} is not a number.", where
            ) from None
    if time_and_unit is None or len(time_and_unit[0]) < 2:
        return fs_stated if fs_stated is not None else 0.0
    time, stated_unit = time_and_unit
    steps = np.diff(time)
    step = float(np.median(steps))
    bad = np.flatnonzero(~(np.abs(steps - step) <= 0.5 * step))
    if step <= 0 or bad.size:
        at = int(bad[0]) + 1 if bad.size else 1
        raise SamplingRateError(
            f"{name}: the time column is not evenly spaced (between samples {at} and {at + 1} "
            f"it steps {steps[at - 1]:g} instead of {step:g}), so samples may be missing; the "
            "viewer needs a constant sampling rate.",
            where,
        )
    unit = stated_unit.lower() or "s"
    if not stated_unit and 1.0 / step < MIN_FS_HZ <= 1000.0 / step:
        unit = "ms"  # steps of 2 (ms) at 500 Hz, say, not 2 s
        convs.append(
            Conversion("units", f"The time column has no unit; steps of {step:g} read as ms.")
        )
    fs = (len(time) - 1) / (float(time[-1] - time[0]) * _SECONDS_PER.get(unit, 1.0))
    fs = float(round(fs)) if abs(fs - round(fs)) < 1e-3 * fs else fs
    if fs_stated is not None and abs(fs_stated - fs) > 0.01 * fs:
        raise SamplingRateError(
            f"{name} states {fs_stated:g} Hz but its time column gives {fs:g} Hz; "
            "correct one of them.",
            where,
        )
    return fs


def _refuse_non_ecg_table(
    names_units: list[tuple[str, str]], first_row: str, delimiter: str | None, name: str, where: str
) -> None:
    """A table that names no ECG lead and whose rows are not numbers is not a recording
    (a spreadsheet of patients, a label list): say so instead of asking for a sampling rate."""
    if any(ecg_lead_name(col) for col, _ in names_units):
        return
    cells = [c.strip().strip('"').strip() for c in first_row.split(delimiter)]
    if all(not c or _NUMBER.fullmatch(c) for c in cells):
        return
    shown = ", ".join(col for col, _ in names_units[:5] if col)
    raise UnknownFormatError(
        f"{name} is a table but not an ECG recording: its columns ({shown}, …) name no ECG "
        "lead and its rows are not signal values.",
        where,
    )


def _lead_columns(
    names_units: list[tuple[str, str]], time_col: int | None, unit_0: str, convs: list[Conversion]
) -> tuple[list[int], list[str]]:
    """Columns of ECG voltages and their units (``unit_0`` if the header gives none)."""
    lead_cols: list[int] = []
    units: list[str] = []
    skipped: list[str] = []
    for col, (col_name, unit) in enumerate(names_units):
        unit = unit or unit_0
        if col == time_col or col_name.lower() in _INDEX_NAMES:
            continue
        if not col_name or (unit and mv_per_unit(unit) is None):
            why = "no name in the header row" if not col_name else f"{unit!r} is not a voltage"
            skipped.append(f"{col_name or f'column {col + 1}'} ({why})")
        else:
            lead_cols.append(col)
            units.append(unit)
    if skipped:
        convs.append(Conversion("format", "Columns not shown: " + ", ".join(skipped) + "."))
    return lead_cols, units


def _recording_info(settings: dict[str, str]) -> tuple[dt.datetime | None, PatientInfo]:
    """Start and patient from ``# start_time:`` (ISO 8601), ``# patient_id:``, ``# sex:``..."""
    try:
        start: dt.datetime | None = dt.datetime.fromisoformat(settings.get("start_time", ""))
    except ValueError:
        start = None
    age, sex = settings.get("age_years") or settings.get("age") or "", settings.get("sex", "")
    return (
        start,
        PatientInfo(
            patient_id=settings.get("patient_id") or None,
            age_years=float(age) if age.isdigit() and int(age) <= 130 else None,  # whole years
            sex="F" if sex.upper()[:1] == "F" else "M" if sex.upper()[:1] == "M" else None,
        ),
    )
