"""Annotations from the file as page markers: beat labels and delineated wave marks.

Beat labels (``.atr`` and friends: ``N``, ``V``, ``A`` …) go as small text above the rows that
carry them (the rhythm strip, or the top row); rhythm changes (``+`` with ``(AFIB`` …) go there
too. Wave marks (LUDB's per-lead P, QRS and T onsets and offsets) become thin brackets on the
baseline of their own lead. Each record's marks are indexed once into sorted arrays, so a page
only does two binary searches per panel, however long the record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from ecgviewer.controllers.layout import PageLayout
from ecgviewer.io.record import Record

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
BeatClass = Literal["N", "S", "V", "F", "Q", "rhythm"]
Wave = Literal["P", "QRS", "T"]
WAVES: tuple[Wave, ...] = ("P", "QRS", "T")

#: WFDB beat codes by AAMI class (the other codes are rhythm, noise or comments).
BEAT_CLASSES: dict[str, BeatClass] = {
    **dict.fromkeys("NLRej", "N"),
    **dict.fromkeys("AaJS", "S"),
    **dict.fromkeys("VE", "V"),
    "F": "F",
    **dict.fromkeys("/fQ?", "Q"),
}
#: Beat labels sit this far below the top of their row, rhythm changes on a line above them;
#: wave brackets reach this far below the baseline.
LABEL_DROP_MM = 3.5
RHYTHM_DROP_MM = 0.3
WAVE_TICK_MM = 2.0
WAVE_DROP_MM = 3.0


@dataclass(frozen=True, slots=True)
class BeatIndex:
    """The beat and rhythm labels of one track, sorted by sample."""

    samples: I64
    texts: tuple[str, ...]
    classes: tuple[BeatClass, ...]


@dataclass(frozen=True, slots=True)
class TextMarker:
    x_mm: float
    y_mm: float
    text: str
    beat_class: BeatClass


@dataclass(frozen=True, slots=True)
class WaveMarks:
    """Onset/offset sample pairs of one wave type in one lead (sorted by onset)."""

    onsets: I64
    offsets: I64


@dataclass(frozen=True, slots=True)
class WaveTicks:
    """Brackets of one wave type as line-segment pairs (``connect="pairs"``) in paper mm."""

    wave: Wave
    x_mm: F64 = field(default_factory=lambda: np.zeros(0))
    y_mm: F64 = field(default_factory=lambda: np.zeros(0))


def beat_index(record: Record) -> BeatIndex | None:
    """Beat labels of the record's first all-lead track holding beats (``atr`` preferred)."""
    tracks = sorted(
        (t for t in record.annotations if t.lead is None), key=lambda t: t.name != "atr"
    )
    for track in tracks:
        keep: list[int] = []
        texts: list[str] = []
        classes: list[BeatClass] = []
        for i, symbol in enumerate(track.symbols):
            aux = track.aux[i].strip("\x00 ") if i < len(track.aux) else ""
            if symbol in BEAT_CLASSES:
                keep.append(i)
                texts.append(symbol)
                classes.append(BEAT_CLASSES[symbol])
            elif symbol == "+" and aux.startswith("("):
                keep.append(i)
                texts.append(aux)
                classes.append("rhythm")
        if any(c != "rhythm" for c in classes):
            samples = np.asarray(track.samples, dtype=np.int64)[keep]
            order = np.argsort(samples, kind="stable")
            return BeatIndex(
                samples[order],
                tuple(texts[i] for i in order),
                tuple(classes[i] for i in order),
            )
    return None


#: The analysis JSON's beat labels (AAMI class names) as marker classes.
PREDICTED_CLASSES: dict[str, BeatClass] = {"N": "N", "SVEB": "S", "VEB": "V", "F": "F", "Q": "Q"}


@dataclass(frozen=True, slots=True, eq=False)
class PredictedBeats:
    """Beat labels from the beat classifier (compared by identity, like measured fiducials)."""

    index: BeatIndex


def predicted_beats(beats: Sequence[Mapping[str, object]], fs_hz: float) -> PredictedBeats | None:
    """The analysis result's labelled beats as a marker index (None when none is labelled)."""
    samples: list[int] = []
    classes: list[BeatClass] = []
    for beat in beats:
        label, time_s = beat.get("label"), beat.get("time_s")
        if isinstance(label, str) and label in PREDICTED_CLASSES and isinstance(time_s, float):
            samples.append(round(time_s * fs_hz))
            classes.append(PREDICTED_CLASSES[label])
    if not samples:
        return None
    order = np.argsort(np.asarray(samples, dtype=np.int64), kind="stable")
    return PredictedBeats(
        BeatIndex(
            np.asarray(samples, dtype=np.int64)[order],
            tuple(classes[i] for i in order),
            tuple(classes[i] for i in order),
        )
    )


def ectopic_times(index: BeatIndex | None, fs_hz: float) -> F64:
    """Times (s) of the non-normal beats of ``index`` (S, V, F, Q), sorted."""
    if index is None:
        return np.zeros(0)
    keep = np.array([c not in ("N", "rhythm") for c in index.classes], dtype=bool)
    return index.samples[keep].astype(np.float64) / fs_hz if keep.size else np.zeros(0)


def next_ectopic(times: F64, now_s: float, forward: bool) -> float | None:
    """The first ectopic beat after (or before) ``now_s``, with a 1 ms dead band."""
    if forward:
        i = int(np.searchsorted(times, now_s + 1e-3, side="left"))
        return float(times[i]) if i < len(times) else None
    i = int(np.searchsorted(times, now_s - 1e-3, side="left")) - 1
    return float(times[i]) if i >= 0 else None


def wave_index(record: Record) -> dict[str, dict[Wave, WaveMarks]]:
    """Wave marks per lead and wave type, from the record's per-lead tracks (LUDB)."""
    result: dict[str, dict[Wave, WaveMarks]] = {}
    for track in record.annotations:
        if track.lead is None:
            continue
        pairs: dict[Wave, list[tuple[int, int]]] = {w: [] for w in WAVES}
        for mark in track.waves():
            onset = mark.onset if mark.onset is not None else mark.peak
            offset = mark.offset if mark.offset is not None else mark.peak
            pairs[mark.wave].append((onset, offset))
        if any(pairs.values()):
            result[track.lead] = {
                w: WaveMarks(
                    np.array([p[0] for p in sorted(v)], dtype=np.int64),
                    np.array([p[1] for p in sorted(v)], dtype=np.int64),
                )
                for w, v in pairs.items()
            }
    return result


def beat_markers(
    index: BeatIndex | None, layout: PageLayout, page_start_s: float, fs_hz: float
) -> tuple[TextMarker, ...]:
    """Text markers of the beats inside the panels of the layout's beat rows."""
    if index is None:
        return ()
    markers: list[TextMarker] = []
    for panel in layout.panels:
        if panel.row not in layout.beat_rows:
            continue
        t0, t1 = panel.window_s(page_start_s)
        i0, i1 = np.searchsorted(index.samples, (t0 * fs_hz, t1 * fs_hz), side="left")
        for i in range(int(i0), int(i1)):
            x = panel.x_mm + (index.samples[i] / fs_hz - t0) * panel.mm_per_s
            rhythm = index.classes[i] == "rhythm"
            y = panel.top_mm + (RHYTHM_DROP_MM if rhythm else LABEL_DROP_MM)
            markers.append(TextMarker(float(x), y, index.texts[i], index.classes[i]))
    return tuple(markers)


def wave_ticks(
    index: dict[str, dict[Wave, WaveMarks]],
    layout: PageLayout,
    page_start_s: float,
    fs_hz: float,
) -> tuple[WaveTicks, ...]:
    """A bracket under the baseline from onset to offset of each wave, on its own lead."""
    xs: dict[Wave, list[F64]] = {w: [] for w in WAVES}
    ys: dict[Wave, list[F64]] = {w: [] for w in WAVES}
    for panel in layout.panels:
        marks = index.get(panel.lead)
        if not marks:
            continue
        t0, t1 = panel.window_s(page_start_s)
        lo, hi = t0 * fs_hz, t1 * fs_hz
        for wave, m in marks.items():
            inside = (m.onsets >= lo) & (m.offsets <= hi)
            if not inside.any():
                continue
            x_on = panel.x_mm + (m.onsets[inside] / fs_hz - t0) * panel.mm_per_s
            x_off = panel.x_mm + (m.offsets[inside] / fs_hz - t0) * panel.mm_per_s
            bottom = panel.baseline_y_mm + WAVE_DROP_MM
            top = bottom - WAVE_TICK_MM
            # Three segments per wave: onset tick, the span, offset tick.
            seg_x = np.stack([x_on, x_on, x_on, x_off, x_off, x_off], axis=1).ravel()
            seg_y = np.tile([top, bottom, bottom, bottom, bottom, top], len(x_on))
            xs[wave].append(seg_x)
            ys[wave].append(seg_y.astype(np.float64))
    return tuple(
        WaveTicks(w, np.concatenate(xs[w]), np.concatenate(ys[w])) if xs[w] else WaveTicks(w)
        for w in WAVES
    )
