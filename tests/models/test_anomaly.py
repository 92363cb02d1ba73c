"""The anomaly model: masks, bundle loading and checks, and localisation on synthetic ECGs.

The localisation tests use the bundled model and ground truth we control: a synthetic record
with one premature ventricular beat must put its error peak on that beat, and an ST shift
confined to one lead must make that lead the one with the largest error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("safetensors")

from scipy import ndimage

from ecgviewer.io import STANDARD_LEADS
from ecgviewer.models.anomaly import (
    ANOMALY_BUNDLE_DIR,
    ANOMALY_NETWORK_DEFAULTS,
    WINDOW,
    AnomalyBundle,
    global_masks,
    load_anomaly_bundle,
    local_masks,
    score_record,
)
from ecgviewer.models.bundle import MANIFEST_FILE, WEIGHTS_FILE, ModelBundleError
from ecgviewer.synth import SynthSpec, synthesize

shipped = pytest.mark.skipif(
    not (ANOMALY_BUNDLE_DIR / MANIFEST_FILE).is_file(), reason="no anomaly bundle in resources/"
)


@pytest.fixture(scope="module")
def bundle() -> AnomalyBundle:
    return load_anomaly_bundle()


def test_each_mask_family_hides_every_sample_exactly_once() -> None:
    cfg = ANOMALY_NETWORK_DEFAULTS
    masks = global_masks(cfg)
    n_time = int(cfg["time_passes"])
    np.testing.assert_array_equal(masks[:n_time].sum(0), 1.0)
    np.testing.assert_array_equal(masks[n_time:].sum(0), 1.0)
    local = local_masks(cfg)
    assert local.shape == (int(cfg["local_passes"]), 12, WINDOW)
    np.testing.assert_array_equal(local.sum(0), 1.0)


@shipped
def test_output_describes_the_analysed_window(bundle: AnomalyBundle) -> None:
    record = synthesize(SynthSpec(duration_s=14.0, noise_mv=0.01)).record
    out = score_record(record, bundle)
    assert out.fs_hz == 100.0
    assert out.offset_s == pytest.approx(2.0)  # the middle 10 s of 14 s
    assert out.restored.shape == out.error.shape == (12, 1000)
    assert out.restored.dtype == out.error.dtype == np.float32
    assert (out.error >= 0).all()
    assert out.threshold == bundle.threshold
    assert out.flagged == (out.score >= out.threshold)
    assert any("Resampled" in n for n in out.notices)
    assert any("middle" in n for n in out.notices)


@shipped
def test_padding_of_a_short_record_carries_no_error(bundle: AnomalyBundle) -> None:
    out = score_record(synthesize(SynthSpec(duration_s=6.0)).record, bundle)
    assert out.offset_s == 0.0
    assert (out.error[:, 600:] == 0).all() and (out.restored[:, 600:] == 0).all()
    assert out.error[:, :600].max() > 0


@shipped
def test_tampered_weights_and_another_contract_are_refused(tmp_path: Path) -> None:
    tampered = tmp_path / "tampered"
    shutil.copytree(ANOMALY_BUNDLE_DIR, tampered)
    data = bytearray((tampered / WEIGHTS_FILE).read_bytes())
    data[-1] ^= 0xFF
    (tampered / WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelBundleError, match="do not match"):
        load_anomaly_bundle(tampered)
    other = tmp_path / "other"
    shutil.copytree(ANOMALY_BUNDLE_DIR, other)
    manifest = json.loads((other / MANIFEST_FILE).read_text())
    manifest["input"]["anomaly"]["highpass_hz"] = 0.05
    (other / MANIFEST_FILE).write_text(json.dumps(manifest))
    with pytest.raises(ModelBundleError, match="preprocessing"):
        load_anomaly_bundle(other)


def _error_peak_s(error: np.ndarray, fs_hz: float) -> float:
    """Time of the peak of the lead-summed error, smoothed over 0.15 s."""
    smooth = ndimage.uniform_filter1d(error.sum(axis=0), size=int(0.15 * fs_hz))
    return float(np.argmax(smooth)) / fs_hz


@shipped
@pytest.mark.parametrize(("hr_bpm", "pvc", "seed"), [(60, 4, 0), (75, 6, 1), (90, 9, 2)])
def test_a_pvc_is_where_the_error_peaks(
    bundle: AnomalyBundle, hr_bpm: float, pvc: int, seed: int
) -> None:
    ecg = synthesize(SynthSpec(hr_bpm=hr_bpm, pvc_beats=(pvc,), noise_mv=0.01, seed=seed))
    assert ecg.truth.labels[pvc] == "V"
    out = score_record(ecg.record, bundle)
    peak_s = out.offset_s + _error_peak_s(out.error, out.fs_hz)
    assert abs(peak_s - ecg.truth.r_peak_s[pvc]) <= 0.3
    clean = score_record(
        synthesize(SynthSpec(hr_bpm=hr_bpm, noise_mv=0.01, seed=seed)).record, bundle
    )
    # One PVC raises the restoration error and the encoder-feature distance; the record-level
    # score may not rise (the PVC's RR change moves the measurement part toward normal HRV).
    assert out.restoration_score > clean.restoration_score
    assert out.parts["features"] > clean.parts["features"]


@shipped
@pytest.mark.parametrize("shift_mv", [0.3, -0.3])
@pytest.mark.parametrize("lead", STANDARD_LEADS)
def test_an_st_shift_in_one_lead_makes_that_lead_the_most_erroneous(
    bundle: AnomalyBundle, lead: str, shift_mv: float
) -> None:
    spec = SynthSpec(hr_bpm=70, noise_mv=0.01, st_shift_mv=shift_mv, st_shift_lead=lead)
    out = score_record(synthesize(spec).record, bundle)
    per_lead = out.error.mean(axis=1)
    assert STANDARD_LEADS[int(np.argmax(per_lead))] == lead
