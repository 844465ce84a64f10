"""Write the synthetic dataset into an empty database: bulk inserts in one transaction.

Rows go in with `bulk_create` (no per-row `full_clean`, no signals): the plan is valid by
construction, and the smoke test runs `full_clean` on every row of a tiny run to keep it so.
Only the fields the generator needs are set; every other field keeps its default.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from meetings.models import Meeting, Suggestion
from officers.models import Assignment, Assistant, Inspector
from reach.models import CoverageSnapshot
from reach.services import coverage_recompute_many, coverage_recompute_suspended
from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station

from .facilities import facilities_plan
from .meetings import MeetingMaker, MeetingPlan, window_start
from .mesh import mix
from .officers import InspectorPlan, Stint, officers_plan
from .scales import Scale
from .territory import Territory, territory_build

# The tables the generator fills. Reference data that migrations seed (e.g. suggestion
# categories and routing rules) is not "data" for the emptiness check and is kept.
DATASET_MODELS: tuple[type[models.Model], ...] = (
    Region,
    District,
    Precinct,
    Settlement,
    Station,
    ModularPost,
    Inspector,
    Assistant,
    Assignment,
    Meeting,
    Suggestion,
    CoverageSnapshot,
)
BATCH = 2000

Progress = Callable[[str, int, int], None]


class DatasetNotEmpty(Exception):
    """The database already holds rows the generator would write."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        listed = ", ".join(f"{n} {name}" for name, n in counts.items())
        super().__init__(f"The database already holds data ({listed}).")


@dataclass
class DatasetResult:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def dataset_rows() -> dict[str, int]:
    """Rows per generated table that already exist (tables with none left out)."""
    counts = {model._meta.label: model.objects.count() for model in DATASET_MODELS}
    return {label: n for label, n in counts.items() if n}


def dataset_flush() -> None:
    """Empty the generated tables and every table that references them (users are kept)."""
    tables = [model._meta.db_table for model in DATASET_MODELS]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in this transaction
        # (rows written earlier in it, as in tests): run those checks now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    connection.ops.execute_sql_flush(statements)


def dataset_analyze() -> None:
    """Refresh the planner's statistics of the generated tables. Right after a bulk load the
    planner still believes them nearly empty and picks plans that are slower by an order of
    magnitude (e.g. sorting every operating station to show 50) until autovacuum comes by."""
    tables = [model._meta.db_table for model in DATASET_MODELS]
    names = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
        elif connection.in_atomic_block:  # VACUUM cannot run inside a transaction (tests)
            cursor.execute(f"ANALYZE {names}")
        else:
            # VACUUM also marks the pages all-visible, which index-only scans need.
            cursor.execute(f"VACUUM (ANALYZE) {names}")


@contextmanager
def _timestamps_as_given(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk inserts set created_at/updated_at (history that happened years ago) instead of
    auto_now stamping them all with the moment of the load."""
    fields = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def dataset_generate(
    *,
    scale: Scale,
    seed: int,
    today: datetime.date | None = None,
    flush: bool = False,
    coverage: bool = True,
    progress: Progress | None = None,
) -> DatasetResult:
    """Generate a scale's dataset for a seed into the database; the same seed and `today`
    (default: today in settings.TIME_ZONE) give the same rows. Refuses a database that
    already holds data (DatasetNotEmpty) unless `flush` empties it first."""
    progress = progress or (lambda stage, done, total: None)
    today = today or timezone.localdate()
    if not flush:
        existing = dataset_rows()
        if existing:
            raise DatasetNotEmpty(existing)
    result = DatasetResult()
    writer = _Writer(scale=scale, seed=seed, today=today, progress=progress, result=result)
    with transaction.atomic(), coverage_recompute_suspended():
        if flush:
            dataset_flush()
        writer.run()
    dataset_analyze()
    if coverage:
        started = time.monotonic()
        districts = list(District.objects.order_by("pk"))
        coverage_recompute_many(
            districts=districts,
            progress=lambda done, total, district: progress("coverage", done, total),
        )
        result.seconds["coverage"] = time.monotonic() - started
    result.counts = {model._meta.label: model.objects.count() for model in DATASET_MODELS}
    return result


class _Writer:
    def __init__(self, *, scale, seed, today, progress, result) -> None:
        self.scale: Scale = scale
        self.seed = seed
        self.today: datetime.date = today
        self.progress: Progress = progress
        self.result: DatasetResult = result
        self.first_day = window_start(today, scale.years)

    def rng(self, stage: int) -> random.Random:
        return random.Random(mix(self.seed, 1000 + stage))

    def timed(self, name: str, step: Callable[[], object]) -> object:
        started = time.monotonic()
        value = step()
        self.result.seconds[name] = time.monotonic() - started
        return value

    def run(self) -> None:
        territory = self.timed(
            "territory",
            lambda: territory_build(scale=self.scale, seed=self.seed, progress=self.progress),
        )
        self.timed("territory_rows", lambda: self.write_territory(territory))
        facilities = self.timed("facilities", lambda: self.write_facilities(territory))
        officers = self.timed("officers", lambda: self.write_officers(territory, facilities))
        with _timestamps_as_given(Meeting, Suggestion):
            self.timed("meetings", lambda: self.write_meetings(territory, officers))

    def write_territory(self, territory: Territory) -> None:
        regions = [
            Region(
                name=r.spec.name, name_kk=r.spec.name_kk, kato=f"{r.spec.kato}0000000", geom=r.geom
            )
            for r in territory.regions
        ]
        for shape, row in zip(territory.regions, Region.objects.bulk_create(regions), strict=True):
            shape.pk = row.pk
        districts = [
            (d, District(
                region_id=r.pk, name=d.name, kato=d.kato, kind=d.kind,
                population=d.population, geom=d.geom,
            ))
            for r in territory.regions for d in r.districts
        ]  # fmt: skip
        District.objects.bulk_create([row for _, row in districts], batch_size=200)
        for shape, row in districts:
            shape.pk = row.pk
        precincts = [
            (p, Precinct(
                district_id=d.pk, number=p.number, population=p.population, geom=p.geom
            ))
            for d in territory.districts for p in d.precincts
        ]  # fmt: skip
        self._bulk("precincts", Precinct, [row for _, row in precincts], batch=500)
        for shape, row in precincts:
            shape.pk = row.pk
        settlements = [
            Settlement(
                district_id=d.pk,
                name=s.name,
                kato=s.kato,
                population=s.population,
                geom=Point(s.lon, s.lat, srid=geo.WGS84),
            )
            for d in territory.districts
            for s in d.settlements
        ]
        self._bulk("settlements", Settlement, settlements)

    def write_facilities(self, territory: Territory):
        plans = facilities_plan(
            territory=territory,
            stations=self.scale.stations,
            posts=self.scale.posts,
            rng=self.rng(1),
            today=self.today,
        )
        common = ("name", "address", "status", "opened_on", "closed_on", "round_the_clock", "phone")
        stations = [p for p in plans if p.kind == "station"]
        posts = [p for p in plans if p.kind == "post"]
        rows = [
            Station(
                district_id=p.district.pk,
                precinct_id=p.precinct.pk,
                number=p.number,
                geom=Point(p.lon, p.lat, srid=geo.WGS84),
                combined_with_housing=p.combined_with_housing,
                on_police_balance_since=p.on_police_balance_since,
                reception_hours=p.reception_hours,
                **{name: getattr(p, name) for name in common},
            )
            for p in stations
        ]
        for plan, row in zip(stations, self._bulk("stations", Station, rows), strict=True):
            plan.pk = row.pk
        rows = [
            ModularPost(
                district_id=p.district.pk,
                geom=Point(p.lon, p.lat, srid=geo.WGS84),
                placement=p.placement,
                **{name: getattr(p, name) for name in common},
            )
            for p in posts
        ]
        for plan, row in zip(posts, self._bulk("posts", ModularPost, rows), strict=True):
            plan.pk = row.pk
        return plans

    def write_officers(self, territory: Territory, facilities) -> list[InspectorPlan]:
        rng = self.rng(2)
        plans = officers_plan(
            territory=territory,
            facilities=facilities,
            inspectors=self.scale.inspectors,
            rng=rng,
            window_start=self.first_day,
            today=self.today,
        )
        hours = ("вт, чт 18:00–20:00; сб 10:00–13:00", "пн, ср 17:00–19:00; сб 09:00–12:00")
        rows = []
        for plan in plans:
            current = plan.current
            last, first, middle = plan.name
            rows.append(
                Inspector(
                    personnel_number=f"{plan.district.kato[:2]}{plan.serial:06d}",
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    rank=plan.rank(self.today),
                    position=(
                        "senior_inspector" if current and current.post.senior else "inspector"
                    ),
                    precinct_id=current.post.precinct.pk if current else None,
                    station_id=plan.station.pk if plan.station else None,
                    service_phone=plan.phone,
                    personal_phone=plan.personal_phone,
                    reception_hours=rng.choice(hours) if current else "",
                    appointed_on=plan.appointed_on,
                    status=plan.status,
                )
            )
        for plan, row in zip(plans, self._bulk("inspectors", Inspector, rows), strict=True):
            plan.pk = row.pk
        assignments = [
            Assignment(
                inspector_id=plan.pk,
                precinct_id=stint.post.precinct.pk,
                started_on=stint.start,
                ended_on=stint.end,
            )
            for plan in plans
            for stint in plan.stints
        ]
        self._bulk("assignments", Assignment, assignments)
        assistants = [
            Assistant(inspector_id=plan.pk, last_name=n[0], first_name=n[1], middle_name=n[2],
                      phone=phone)
            for plan in plans for n, phone in plan.assistants
        ]  # fmt: skip
        self._bulk("assistants", Assistant, assistants)
        return plans

    def write_meetings(self, territory: Territory, officers: list[InspectorPlan]) -> None:
        stints: dict[int, list[Stint]] = {id(p): [] for p in territory.precincts}
        for plan in officers:
            for stint in plan.stints:
                stints[id(stint.post.precinct)].append(stint)
        maker = MeetingMaker(
            territory=territory,
            stints=stints,
            rng=self.rng(3),
            today=self.today,
            now=timezone.now(),
            first_day=self.first_day,
            suggestions_per_meeting=self.scale.suggestions_per_meeting,
            time_zone=settings.TIME_ZONE,
            statuses=set(Suggestion.Status.values),
        )
        districts = territory.districts
        batch: list[MeetingPlan] = []
        for n, district in enumerate(districts, start=1):
            batch.extend(maker.for_district(district))
            if len(batch) >= 5 * BATCH or n == len(districts):
                self._write_meeting_batch(batch)
                batch = []
            self.progress("meetings", n, len(districts))

    def _write_meeting_batch(self, plans: list[MeetingPlan]) -> None:
        two_weeks = datetime.timedelta(days=14)
        rows = []
        for m in plans:
            created = m.scheduled_at - two_weeks
            rows.append(
                Meeting(
                    precinct_id=m.precinct.pk,
                    inspector_id=m.inspector_pk,
                    kind=m.kind,
                    scheduled_at=m.scheduled_at,
                    held_at=m.held_at,
                    place=m.place,
                    geom=Point(*m.lonlat, srid=geo.WGS84) if m.lonlat else None,
                    status=m.status,
                    cancel_reason=m.cancel_reason,
                    attendees=m.attendees,
                    minutes=m.minutes,
                    created_at=created,
                    updated_at=m.held_at or created,
                )
            )
        Meeting.objects.bulk_create(rows, batch_size=BATCH)
        # Suggestions merged into another go in after it: they refer to its key.
        first, merged = [], []
        for plan, row in zip(plans, rows, strict=True):
            written: list[Suggestion] = []
            for s in plan.suggestions:
                updated = row.held_at
                if s.resolved_on:
                    updated = datetime.datetime.combine(
                        s.resolved_on, datetime.time(12), tzinfo=row.held_at.tzinfo
                    )
                suggestion = Suggestion(
                    meeting_id=row.pk,
                    text=s.text,
                    status=s.status,
                    resolution=s.resolution,
                    resolved_on=s.resolved_on,
                    created_at=row.held_at,
                    updated_at=max(updated, row.held_at),
                )
                written.append(suggestion)
                if s.merged_into is None:
                    first.append(suggestion)
                else:
                    merged.append((suggestion, written[s.merged_into]))
        Suggestion.objects.bulk_create(first, batch_size=BATCH)
        for suggestion, target in merged:
            suggestion.merged_into_id = target.pk
        Suggestion.objects.bulk_create([s for s, _ in merged], batch_size=BATCH)

    def _bulk(self, stage: str, model, rows: list, batch: int = BATCH) -> list:
        for start in range(0, len(rows), batch):
            model.objects.bulk_create(rows[start : start + batch])
            self.progress(stage, min(start + batch, len(rows)), len(rows))
        return rows
