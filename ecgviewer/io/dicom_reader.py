"""Read DICOM ECG waveform objects (12-lead, general, ambulatory) with pydicom.

The rhythm multiplex group is chosen over median-beat groups; channels are calibrated with
their own sensitivity, correction factor and baseline and converted to mV, every step listed
as a :class:`Conversion`.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pydicom
from pydicom.dataset import Dataset
from pydicom.waveforms.numpy_handler import multiplex_array

from ecgviewer.io.common import (
    ecg_lead_name,
    finite_float32,
    mv_per_unit,
    rename_note,
    scale_to_mv,
)
from ecgviewer.io.dicom_fields import dicom_metadata, dicom_patient, dicom_start_time
from ecgviewer.io.errors import CorruptHeaderError, TruncatedDataError, UnknownFormatError
from ecgviewer.io.record import Conversion, Record, check_sampling_rate, make_record

_ECG_SOP_CLASSES = {
    "1.2.840.10008.5.1.4.1.1.9.1.1": "DICOM 12-lead ECG",
    "1.2.840.10008.5.1.4.1.1.9.1.2": "DICOM general ECG",
    "1.2.840.10008.5.1.4.1.1.9.1.3": "DICOM ambulatory ECG",
}
# SCP-ECG ("5.6.3-9-N") and ISO/IEEE 11073 MDC ("2:N", or 2 << 16 | N) share the lead numbers.
_LEAD_BY_NUMBER = {
    1: "I", 2: "II", 3: "V1", 4: "V2", 5: "V3", 6: "V4", 7: "V5", 8: "V6", 9: "V7",
    61: "III", 62: "aVR", 63: "aVL", 64: "aVF", 66: "V8", 67: "V9",
}  # fmt: skip
_CODED_LEAD = re.compile(r"(?:5\.6\.3-9-|2:)(\d+)")
_DERIVED_GROUP = re.compile(r"median|average|beat|template", re.IGNORECASE)


def read_dicom(path: Path) -> Record:
    """Read the ECG in a DICOM waveform object.

    Parameters
    ----------
    path
        A DICOM Part 10 file; it is only read.

    Returns
    -------
    Record
        The ECG leads of the rhythm multiplex group in mV, with patient id, sex, age and the
        acquisition time.

    Raises
    ------
    RecordError
        ``UnknownFormatError`` for DICOM that holds no ECG waveform (an image, a report),
        ``CorruptHeaderError`` for unreadable or inconsistent waveform attributes and
        ``TruncatedDataError`` when the waveform data is shorter than announced.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom warns about odd-but-readable values
        return _read(path)


def _read(path: Path) -> Record:
    name, where = path.name, str(path)
    try:
        ds = pydicom.dcmread(path)
        groups: list[Dataset] = list(ds.get("WaveformSequence") or [])
        for item in groups:  # pydicom parses lazily: read every element now, inside the try
            item.walk(lambda _ds, _elem: None)
        sop = str(ds.get("SOPClassUID", ""))
        kind = getattr(ds.get("SOPClassUID"), "name", "") or str(ds.get("Modality", "unknown"))
    except Exception as exc:  # whatever pydicom trips on, the file is damaged
        raise CorruptHeaderError(f"{name} is a damaged DICOM file ({exc}).", where) from None
    if not groups:
        raise UnknownFormatError(
            f"{name} is a DICOM file without a waveform ({kind}); only DICOM ECG waveforms "
            "can be opened here.",
            where,
        )
    labels = [
        str(g.get("MultiplexGroupLabel", "")) or f"group {i + 1}" for i, g in enumerate(groups)
    ]
    n_ecg = [
        sum(_lead(c) is not None for c in g.get("ChannelDefinitionSequence", [])) for g in groups
    ]
    usable = [i for i in range(len(groups)) if n_ecg[i] or sop in _ECG_SOP_CLASSES]
    if not usable:
        raise UnknownFormatError(f"{name} holds DICOM waveforms, but none is an ECG.", where)
    # The rhythm group: not labelled median/average, most ECG channels, first of equals.
    index = min(usable, key=lambda i: (bool(_DERIVED_GROUP.search(labels[i])), -n_ecg[i], i))
    group = groups[index]
    convs: list[Conversion] = []
    if len(groups) > 1:
        others = ", ".join(label for i, label in enumerate(labels) if i != index)
        convs.append(Conversion("format", f"Other waveform groups not shown: {others}."))
    fs_hz = check_sampling_rate(group.get("SamplingFrequency"), where)
    samples, leads = _calibrated(ds, group, index, name, where, convs)
    start = dicom_start_time(ds, group)
    return make_record(
        samples,
        fs_hz,
        leads,
        path.stem,
        source_path=where,
        source_format=_ECG_SOP_CLASSES.get(sop, "DICOM waveform"),
        start_time=start,
        patient=dicom_patient(ds, start),
        metadata=dicom_metadata(ds, group),
        conversions=convs,
    )


def _lead(channel: Dataset) -> str | None:
    """Canonical lead of a channel from its coded source, code meaning or label."""
    sources = channel.get("ChannelSourceSequence") or []
    texts = [str(channel.get("ChannelLabel", ""))]
    if sources:
        code = str(sources[0].get("CodeValue", ""))
        match = _CODED_LEAD.fullmatch(code)
        if match and int(match.group(1)) in _LEAD_BY_NUMBER:
            return _LEAD_BY_NUMBER[int(match.group(1))]
        if code.isdigit() and int(code) >> 16 == 2 and int(code) & 0xFFFF in _LEAD_BY_NUMBER:
            return _LEAD_BY_NUMBER[int(code) & 0xFFFF]
        texts.insert(0, str(sources[0].get("CodeMeaning", "")))
    return next((lead for text in texts if (lead := ecg_lead_name(text))), None)


def _raw_name(channel: Dataset, number: int) -> str:
    sources = channel.get("ChannelSourceSequence") or []
    meaning = str(sources[0].get("CodeMeaning", "")) if sources else ""
    return meaning or str(channel.get("ChannelLabel", "")) or f"Channel {number}"


def _ecg_channels(
    channels: list[Dataset], any_voltage: bool, convs: list[Conversion]
) -> list[tuple[int, str, str]]:
    """(column, lead, unit) of the ECG channels; ``any_voltage`` keeps unnamed ones too."""
    kept: list[tuple[int, str, str]] = []
    skipped: list[str] = []
    renames: dict[str, str] = {}
    for col, ch in enumerate(channels):
        units = ch.get("ChannelSensitivityUnitsSequence") or []
        unit = str(units[0].get("CodeValue", "")) if units else ""
        lead, raw_name = _lead(ch), _raw_name(ch, col + 1)
        if (unit and mv_per_unit(unit) is None) or (lead is None and not any_voltage):
            skipped.append(f"{raw_name} ({unit or 'no unit'})")
        else:
            kept.append((col, lead or raw_name, unit))
            renames[raw_name] = lead or raw_name
    if skipped:
        convs.append(Conversion("format", "Not ECG leads, not shown: " + ", ".join(skipped)))
    if note := rename_note(renames, "DICOM channel sources"):
        convs.append(note)
    return kept


def _calibrated(
    ds: Dataset, group: Dataset, index: int, name: str, where: str, convs: list[Conversion]
) -> tuple[npt.NDArray[np.float32], list[str]]:
    """Raw integers -> mV, written into one float32 ``[lead, sample]`` array."""
    try:
        channels = list(group.ChannelDefinitionSequence)
        n_ch, n_s = int(group.NumberOfWaveformChannels), int(group.NumberOfWaveformSamples)
        expected = n_ch * n_s * int(group.WaveformBitsAllocated) // 8
        have = len(group.WaveformData)
    except (AttributeError, TypeError, ValueError) as exc:
        raise CorruptHeaderError(
            f"{name}: the ECG waveform description is incomplete ({exc}).", where
        ) from None
    if len(channels) != n_ch:
        raise CorruptHeaderError(
            f"{name} announces {n_ch} channels but describes {len(channels)}.", where
        )
    if have < expected:
        raise TruncatedDataError(
            f"{name} is cut short: its waveform holds {have} of the {expected} bytes it "
            f"announces ({100 * have / max(expected, 1):.0f} %).",
            where,
        )
    kept = _ecg_channels(channels, str(ds.get("SOPClassUID", "")) in _ECG_SOP_CLASSES, convs)
    if not kept:
        raise UnknownFormatError(f"{name} holds DICOM waveforms, but none is an ECG.", where)
    try:
        raw = multiplex_array(ds, index, as_raw=True)  # [sample, channel], the file's integers
    except (KeyError, ValueError, AttributeError) as exc:  # pydicom's missing-element error
        raise CorruptHeaderError(
            f"{name}: the waveform sample format is missing or not supported ({exc}).", where
        ) from None
    pad = group.get("WaveformPaddingValue")
    pad_value = np.frombuffer(pad, raw.dtype)[0] if pad and len(pad) >= raw.itemsize else None
    samples = np.empty((len(kept), n_s), dtype=np.float32)
    for row, (col, lead, _) in enumerate(kept):
        ch = channels[col]
        try:
            scale = float(ch.get("ChannelSensitivity", 1.0) or 1.0)
            scale *= float(ch.get("ChannelSensitivityCorrectionFactor", 1.0) or 1.0)
            baseline = float(ch.get("ChannelBaseline", 0.0) or 0.0)
        except (TypeError, ValueError):
            msg = f"{name}: lead {lead} has an unreadable calibration."
            raise CorruptHeaderError(msg, where) from None
        # PS3.3 C.10.9.1.4: value = raw * sensitivity * correction + baseline (as pydicom).
        samples[row] = finite_float32(raw[:, col] * scale + baseline)
        if pad_value is not None:
            samples[row, raw[:, col] == pad_value] = np.nan  # padding marks missing samples
    # Without a sensitivity the integers are uncalibrated: their unit is not really stated.
    units = [unit if "ChannelSensitivity" in channels[col] else "" for col, _, unit in kept]
    leads = [lead for _, lead, _ in kept]
    convs.extend(scale_to_mv(samples, units, leads, "The DICOM calibration"))
    return samples, leads
