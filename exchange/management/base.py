"""What the import commands share: the file argument, --dry-run/--strict/--encoding, a progress
bar, the report at the end, and file errors as CommandError (nothing written)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.importers.base import ImportReport
from exchange.sources import ImportFileError


class ProgressBar:
    """`[#####.....] 120/400 label`: redrawn in place on a terminal, every 5 % otherwise."""

    def __init__(self, command: BaseCommand, verbosity: int) -> None:
        self.command = command
        self.quiet = verbosity == 0
        self.interactive = not self.quiet and sys.stdout.isatty()
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, label: str) -> None:
        if self.quiet:
            return
        width = 30
        filled = int(width * done / total) if total else width
        line = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
        if self.interactive:
            self.command.stdout.write(f"\r{line[:100]:<100}", ending="")
            if done == total:
                self.command.stdout.write("")
        elif done == total or done % max(total // 20, 1) == 0:
            self.command.stdout.write(line[:120])


class ImportCommand(BaseCommand):
    """Subclasses add their options and implement `run(path, progress, **options)`."""

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to load")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check every row and print the report, write nothing",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="write nothing if any row breaks a rule (default: skip such rows, report them)",
        )
        parser.add_argument(
            "--encoding",
            help="text encoding of a CSV, or of a Shapefile without a .cpg (e.g. cp1251)",
        )

    def run(self, path: Path, progress: ProgressBar, **options) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args, file: str, verbosity: int = 1, **options):
        progress = ProgressBar(self, verbosity)
        try:
            report = self.run(Path(file), progress, **options)
        except ImportFileError as exc:
            raise CommandError(f"{exc} Nothing was written.") from None
        if verbosity == 0:
            return
        for line in report.lines(verbose=verbosity > 1):
            self.stdout.write(line)
        style = self.style.WARNING if (report.aborted or report.dry_run) else self.style.SUCCESS
        self.stdout.write(style(report.summary()))
        if report.aborted:
            raise CommandError("Rows broke the rules and --strict is set: nothing was written.")
