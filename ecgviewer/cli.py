"""The ``ecgviewer`` command: the GUI by default, ``ecgviewer analyze`` headless.

Qt is imported only when the GUI starts, so ``ecgviewer analyze`` runs on machines without a
display and starts fast.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("ecgviewer")


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecgviewer",
        description="Open an ECG recording (the bundled demo when no path is given). "
        "Use 'ecgviewer analyze --help' for headless analysis.",
    )
    parser.add_argument("path", nargs="?", help="a recording: .hea/.dat, EDF, DICOM, aECG, CSV")
    return parser


def _analyze_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecgviewer analyze",
        description="Analyse recordings and write one JSON per record (schema in the README). "
        "A record that cannot be opened gets a JSON with its error; the run goes on.",
    )
    parser.add_argument("paths", nargs="+", help="files, folders (searched recursively) or globs")
    parser.add_argument("--out", required=True, type=Path, help="folder for the JSON files")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    return parser


def _clean(value: Any) -> Any:
    """JSON has no NaN: anything not finite becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _json_path(out: Path, path: Path, root: Path | None, used: set[Path]) -> Path:
    rel = path.relative_to(root).with_suffix(".json") if root else Path(path.stem + ".json")
    target = out / rel
    n = 2
    while target in used:  # two inputs with the same name: keep both
        target = out / rel.with_name(f"{rel.stem}__{n}.json")
        n += 1
    used.add(target)
    return target


def analyze(argv: Sequence[str]) -> int:
    """``ecgviewer analyze``: returns 0 when every record was analysed, 1 when some failed."""
    from ecgviewer.analysis import AnalysisRequest, error_json_dict, run_analysis
    from ecgviewer.io import RecordError, open_record
    from ecgviewer.io.discover import find_records

    args = _analyze_parser().parse_args(argv)
    records = find_records(args.paths)
    if not records:
        print("No recordings found in " + ", ".join(args.paths), file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    used: set[Path] = set()
    failed = 0
    t0 = time.perf_counter()
    for path, root in records:
        try:
            record = open_record(path)
            data = run_analysis(AnalysisRequest(record, display_path=str(path))).to_json_dict()
        except RecordError as exc:
            failed += 1
            data = error_json_dict(str(path), exc.kind, exc.message)
        except Exception as exc:  # a bug must not stop a batch of thousands
            failed += 1
            log.exception("unexpected failure on %s", path)
            data = error_json_dict(str(path), "internal_error", f"{type(exc).__name__}: {exc}")
        target = _json_path(args.out, path, root, used)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(_clean(data), indent=2, allow_nan=False) + "\n")
        if not args.quiet:
            status = "error: " + data["error"]["message"] if data["error"] else "ok"
            print(f"{path} -> {target} ({status})")
    elapsed = time.perf_counter() - t0
    print(
        f"{len(records) - failed} of {len(records)} records analysed, {failed} with errors, "
        f"in {elapsed:.1f} s; JSON in {args.out}",
        file=sys.stderr,
    )
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ecgviewer`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args and args[0] == "analyze":
        return analyze(args[1:])
    parsed = _gui_parser().parse_args(args)
    from ecgviewer.ui.app import run

    return run(parsed.path)


if __name__ == "__main__":
    sys.exit(main())
