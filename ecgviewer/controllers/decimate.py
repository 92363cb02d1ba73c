"""Peak-preserving decimation: at most two points (the minimum and the maximum) per pixel column.

A screen column can show one vertical stroke; drawing every sample of a 24-hour Holter would
only draw that stroke many times. Keeping each column's extreme samples, in the order they
occur, draws exactly the same stroke, so no QRS complex, pacing spike or artefact disappears
however far the page is zoomed out, while averaging or plain subsampling would lose them.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]


def minmax_decimate(values: npt.ArrayLike, n_columns: int) -> tuple[I64, F64]:
    """Indices and values of the min/max pairs of ``values`` split into ``n_columns`` columns.

    Parameters
    ----------
    values
        One lead, any float dtype; NaN marks missing samples.
    n_columns
        Pixel columns the samples span on screen.

    Returns
    -------
    indices, samples
        Sample indices (increasing) and their values as float64. When there are no more than
        two samples per column everything is returned unchanged. A column holding a missing
        sample yields NaN, so a gap is never bridged.
    """
    y = np.asarray(values)
    n = int(y.shape[0])
    n_columns = max(1, int(n_columns))
    if n <= 2 * n_columns:
        return np.arange(n, dtype=np.int64), y.astype(np.float64)
    per_column = math.ceil(n / n_columns)
    full = n // per_column
    body = y[: full * per_column].reshape(full, per_column)
    # argmin/argmax return the first NaN of a column that has one, so gaps stay NaN below.
    lo = np.argmin(body, axis=1)
    hi = np.argmax(body, axis=1)
    pairs = np.stack([np.minimum(lo, hi), np.maximum(lo, hi)], axis=1)
    pairs += (np.arange(full, dtype=np.int64) * per_column)[:, np.newaxis]
    index = pairs.ravel()
    if full * per_column < n:
        tail = y[full * per_column :]
        t_lo, t_hi = int(np.argmin(tail)), int(np.argmax(tail))
        extra = np.array(sorted({t_lo, t_hi}), dtype=np.int64) + full * per_column
        index = np.concatenate([index, extra])
    return index, y[index].astype(np.float64)
