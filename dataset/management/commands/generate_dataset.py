"""manage.py generate_dataset --scale national|region [--seed N] [--flush]: a synthetic country."""

from __future__ import annotations

import datetime
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from dataset.scales import SCALES
from dataset.services import DatasetNotEmpty, dataset_generate


class Command(BaseCommand):
    help = (
        "Generate a synthetic dataset (regions, districts, precincts, settlements, stations, "
        "posts, inspectors with their history, meetings and suggestions) into an empty "
        "database. The same --seed (and --today) gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="national",
            help="national: the whole country (about 6,500 precincts, 150,000 meetings); "
            "region: two regions, a quick run; tiny: a few precincts, for tests",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="the date the history runs up to (YYYY-MM-DD; default: today)",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="first delete every region, district, precinct, settlement, facility, officer, "
            "meeting, suggestion and coverage snapshot (and rows that refer to them); users and "
            "reference data stay",
        )
        parser.add_argument(
            "--no-coverage",
            action="store_true",
            help="skip computing the coverage snapshots at the end",
        )

    def handle(self, *args, scale, seed, today, flush, no_coverage, verbosity=1, **options):
        started = time.monotonic()
        interactive = verbosity > 0 and sys.stdout.isatty()
        shown: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if verbosity == 0 or total <= 0:
                return
            width = 30
            filled = int(width * done / total)
            line = (
                f"[{'#' * filled}{'.' * (width - filled)}] {stage:<12} {done:>7}/{total:<7} "
                f"{time.monotonic() - started:6.1f} s"
            )
            if interactive:
                self.stdout.write(f"\r{line}", ending="" if done < total else "\n")
                self.stdout.flush()
                return
            step = done * 10 // total
            if done == total or step > shown.get(stage, -1):
                shown[stage] = step
                self.stdout.write(line)

        try:
            result = dataset_generate(
                scale=SCALES[scale],
                seed=seed,
                today=today,
                flush=flush,
                coverage=not no_coverage,
                progress=progress,
            )
        except DatasetNotEmpty as exc:
            raise CommandError(
                f"{exc} generate_dataset writes only into an empty database: use --flush to "
                "delete that data first, or point DATABASE_URL at another database."
            ) from None
        elapsed = time.monotonic() - started
        if verbosity:
            for label, count in result.counts.items():
                self.stdout.write(f"  {label:<28} {count:>9,}")
            steps = ", ".join(f"{name} {sec:.1f} s" for name, sec in result.seconds.items())
            self.stdout.write(f"  steps: {steps}")
        self.stdout.write(
            self.style.SUCCESS(f"Generated the {scale} dataset (seed {seed}) in {elapsed:.1f} s.")
        )
