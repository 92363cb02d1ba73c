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


COMMANDS: tuple[Command, ...] = (
    Command(
        "demo", "build the synthetic demo record shipped with the app", _configure_demo, _run_demo
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
