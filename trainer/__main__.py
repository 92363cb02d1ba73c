"""``python -m trainer <command>``: offline jobs that build what the app ships.

Each command is one :class:`Command` in :data:`COMMANDS` (its arguments and the function that
runs it); adding a command (``classifier``, ...) is adding one entry, nothing else changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, one-line help, how to add its arguments, and how to run it."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("resources/demo"),
        help="folder to write demo.hea/.dat/.atr and demo_truth.json into (default: %(default)s)",
    )


def _run_demo(args: argparse.Namespace) -> int:
    from trainer.demo import build_demo

    for path in build_demo(args.out):
        print(path)
    return 0


def _add_slicing(parser: argparse.ArgumentParser, what: str) -> None:
    """Options every epoch-based trainer shares: subsets for smoke runs, resume, slices."""
    parser.add_argument("--limit", type=int, default=None, help=f"use N {what} (smoke runs)")
    parser.add_argument("--val-limit", type=int, default=None, help="use N validation records")
    parser.add_argument("--resume", action="store_true", help="continue from out/checkpoint.pt")
    parser.add_argument(
        "--stop-after",
        type=int,
        default=None,
        metavar="N",
        help="stop after N epochs of this invocation (the schedule still spans --epochs); "
        "continue later with --resume",
    )


def _configure_classifier(parser: argparse.ArgumentParser) -> None:
    # Declared here, not in trainer.classifier, so `--help` and other commands never load torch.
    parser.add_argument(
        "--data", type=Path, required=True, help="PTB-XL folder (ptbxl_database.csv)"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="output folder (cache, checkpoints, bundle)"
    )
    parser.add_argument("--arch", choices=("code", "xresnet"), default="code")
    parser.add_argument("--net", default="{}", help="JSON overrides of the network config")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument(
        "--batch-size", type=int, default=64, help="global batch (split across processes)"
    )
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=1e-2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=0, help="DataLoader workers per process")
    parser.add_argument("--min-likelihood", type=float, default=0.0, help="see trainer/labels.py")
    _add_slicing(parser, "training records")


def _run_classifier(args: argparse.Namespace) -> int:
    from trainer.classifier import run

    return run(args)


def _configure_beats(parser: argparse.ArgumentParser) -> None:
    # Declared here, not in trainer.beats, so `--help` and other commands never load torch.
    parser.add_argument(
        "--data", type=Path, required=True, help="MIT-BIH folder (WFDB .hea/.dat/.atr)"
    )
    parser.add_argument("--out", type=Path, required=True, help="output folder (report, bundle)")
    parser.add_argument("--folds", type=int, default=5, help="record-wise CV folds (1: none)")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--net", default="{}", help="JSON overrides of the network config")
    parser.add_argument(
        "--records", default=None, help="comma-separated subset of DS1 (smoke runs)"
    )
    parser.add_argument(
        "--no-detector",
        dest="detector",
        action="store_false",
        help="skip the end-to-end CV with the app's QRS detector",
    )


def _run_beats(args: argparse.Namespace) -> int:
    from trainer.beats import run

    return run(args)


def _configure_anomaly(parser: argparse.ArgumentParser) -> None:
    # Declared here, not in trainer.anomaly, so `--help` and other commands never load torch.
    parser.add_argument(
        "--data", type=Path, required=True, help="PTB-XL folder (ptbxl_database.csv)"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="output folder (checkpoints, report, bundle)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="folder of preprocessed PTB-XL arrays (default: OUT/cache; one the classifier "
        "wrote is reused)",
    )
    parser.add_argument("--net", default="{}", help="JSON overrides of the network config")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument(
        "--beats-per-record", type=int, default=4, help="beat windows per record and step"
    )
    parser.add_argument(
        "--loss", choices=("l1", "mse"), default="mse", help="restoration loss on hidden samples"
    )
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument(
        "--eval-every", type=int, default=5, metavar="N", help="fold-9 AUC every N epochs (0: end)"
    )
    _add_slicing(parser, "normal training records")


def _run_anomaly(args: argparse.Namespace) -> int:
    from trainer.anomaly import run

    return run(args)


COMMANDS: tuple[Command, ...] = (
    Command(
        "demo", "build the synthetic demo record shipped with the app", _configure_demo, _run_demo
    ),
    Command(
        "classifier",
        "train the 12-lead ECG classifier on PTB-XL and export a model bundle",
        _configure_classifier,
        _run_classifier,
    ),
    Command(
        "beats",
        "train the AAMI beat classifier on MIT-BIH DS1 (record-wise CV) and export a bundle",
        _configure_beats,
        _run_beats,
    ),
    Command(
        "anomaly",
        "train the ECG anomaly (masked restoration) model on normal PTB-XL records",
        _configure_anomaly,
        _run_anomaly,
    ),
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per entry of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(prog="python -m trainer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        child = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure(child)
        child.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: the command line), run the chosen command, return its status."""
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
