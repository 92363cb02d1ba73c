"""The ``ecgviewer`` command: the GUI by default, ``ecgviewer analyze`` and ``worklist`` headless.

Qt is imported only when the GUI starts, so ``ecgviewer analyze`` runs on machines without a
display and starts fast.
"""

from __future__ import annotations

import argparse
import json
import logging
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
    parser.add_argument(
        "--layout",
        choices=("3x4+1", "3x4+3", "6x2", "12x1", "1x1"),
        help="page format for this run (default: the one last used)",
    )
    return parser


def _analyze_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecgviewer analyze",
        description="Analyse recordings and write one JSON per record (schema in the README). "
        "A record that cannot be opened gets a JSON with its error; the run goes on.",
    )
    parser.add_argument("paths", nargs="+", help="files, folders (searched recursively) or globs")
    parser.add_argument("--out", required=True, type=Path, help="folder for the JSON files")
    parser.add_argument(
        "--pdf", action="store_true", help="also write a PDF report next to each JSON (A4)"
    )
    parser.add_argument(
        "--combined",
        action="store_true",
        help="one PDF for all records, OUT/report.pdf, instead (implies --pdf); a record that "
        "cannot be opened gets a page saying why",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    return parser


def _worklist_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecgviewer worklist",
        description="Index a folder of recordings (recursively) and analyse every record that "
        "has no result for this version, filling the worklist database without the GUI. "
        "Safe to interrupt: the next run goes on where this one stopped.",
    )
    parser.add_argument("folder", type=Path, help="the folder of recordings (never written to)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", type=Path, help="database file (default: user data directory)")
    where.add_argument("--beside", action="store_true", help="keep the database next to the folder")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--export-csv",
        type=Path,
        metavar="OUT.csv",
        help="then write the results to OUT.csv and the review history to OUT.reviews.csv",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    return parser


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
    from ecgviewer.analysis import AnalysisRequest, error_json_dict, json_safe, run_analysis
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
    combined = _combined_writer(args.out) if args.combined else None
    for path, root in records:
        record = result = None
        try:
            record = open_record(path)
            result = run_analysis(AnalysisRequest(record, display_path=str(path)))
            data = result.to_json_dict()
        except RecordError as exc:
            failed += 1
            data = error_json_dict(str(path), exc.kind, exc.message)
        except Exception as exc:  # a bug must not stop a batch of thousands
            failed += 1
            log.exception("unexpected failure on %s", path)
            data = error_json_dict(str(path), "internal_error", f"{type(exc).__name__}: {exc}")
        target = _json_path(args.out, path, root, used)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(json_safe(data), indent=2, allow_nan=False) + "\n")
        if args.pdf or combined is not None:
            pdf = target.with_suffix(".pdf")
            failed += not _write_pdf(pdf, path, record, result, data, combined)
        if not args.quiet:
            status = "error: " + data["error"]["message"] if data["error"] else "ok"
            print(f"{path} -> {target} ({status})")
    if combined is not None:
        summary = combined.close()
        print(f"Combined PDF {summary.path}: {summary.pages} pages", file=sys.stderr)
    elapsed = time.perf_counter() - t0
    print(
        f"{len(records) - failed} of {len(records)} records analysed, {failed} with errors, "
        f"in {elapsed:.1f} s; JSON in {args.out}",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _combined_writer(out: Path) -> Any:
    from ecgviewer.report import ReportWriter

    return ReportWriter(out / "report.pdf")


def _write_pdf(
    target: Path, path: Path, record: Any, result: Any, data: dict[str, Any], combined: Any
) -> bool:
    """The PDF of one record (or its page in the combined PDF); ``False`` when it failed.

    A record that could not be opened gets no PDF of its own (its JSON says why), but a page in
    the combined one.
    """
    from ecgviewer.report import UnreadableRecord, report_item, write_report

    try:
        if result is None:
            if combined is not None:
                error = data["error"]
                combined.add(UnreadableRecord(str(path), error["type"], error["message"]))
            return True
        item = report_item(record, result)
        if combined is not None:
            combined.add(item)
        else:
            write_report(target, [item])
        return True
    except Exception:  # a report that fails must not stop a batch
        log.exception("PDF report failed for %s", path)
        return False


def worklist(argv: Sequence[str]) -> int:
    """``ecgviewer worklist``: 0 when done, 1 when nothing can be done, 130 when interrupted."""
    from ecgviewer import worklist as wl

    args = _worklist_parser().parse_args(argv)
    try:
        store = wl.open_worklist(args.folder, db_path=args.db, beside=args.beside)
    except wl.WorklistError as exc:
        print(exc, file=sys.stderr)
        return 1
    with store:
        idx = wl.index_folder(store)
        print(
            f"{idx.total} records indexed in {idx.elapsed_s:.1f} s ({idx.new} new, "
            f"{idx.modified} modified, {idx.removed} removed); database {store.path}",
            file=sys.stderr,
        )
        if idx.total == 0:
            print(f"No recordings found in {args.folder}", file=sys.stderr)
            return 1
        shown = [0.0]

        def show(progress: wl.BatchProgress) -> None:
            if args.quiet or (progress.state == "running" and time.monotonic() - shown[0] < 1):
                return
            shown[0] = time.monotonic()
            print(progress.describe(), file=sys.stderr, flush=True)

        try:
            report = wl.run_batch(store, workers=args.workers, on_progress=show)
        except KeyboardInterrupt:
            print("Interrupted: results so far are kept; run again to go on.", file=sys.stderr)
            return 130
        s = wl.summarize(store)
        print(
            f"{report.analysed} analysed in {report.elapsed_s:.1f} s "
            f"({report.records_per_s:.0f} records/s). Worklist: {s.records} records, "
            f"{s.analysed} analysed, {s.errors} unreadable, {s.flagged} flagged, "
            f"{s.to_review} to review.",
            file=sys.stderr,
        )
        if args.export_csv:
            reviews = args.export_csv.with_suffix(".reviews.csv")
            n = wl.export_results_csv(store, args.export_csv)
            m = wl.export_reviews_csv(store, reviews)
            print(f"{n} records to {args.export_csv}, {m} reviews to {reviews}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ecgviewer`` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args and args[0] == "analyze":
        return analyze(args[1:])
    if args and args[0] == "worklist":
        return worklist(args[1:])
    parsed = _gui_parser().parse_args(args)
    from ecgviewer.ui.app import run

    return run(parsed.path, parsed.layout)


if __name__ == "__main__":
    sys.exit(main())
