"""Quarterly compliance: did every inspector hold the report meetings they owe their precinct?

The rule (README, "Quarterly compliance"):
- Quarters are calendar quarters in local time (Asia/Almaty); a meeting counts for the quarter
  of its local date.
- An inspector owes settings.MEETINGS_PER_QUARTER held quarterly report meetings in a precinct
  for a quarter when the assignment history has them serving that precinct on more than half of
  the quarter's days. An open assignment counts to the quarter's end. So whoever joins in the
  second half of a quarter owes nothing for it (their meetings still count as held), and
  whoever leaves in the first half owes nothing either; at most one inspector owes a precinct
  for a quarter through one handover.
- While a quarter is not over, an inspector now on leave owes nothing for it (the leave is only
  known as of today); closed quarters follow the assignment history alone.
- Held: held quarterly report meetings in the quarter by that inspector in that precinct.
  Planned: planned ones scheduled in the quarter; they count only until the quarter is over.
- At risk: neither held nor planned with fewer than settings.MEETINGS_WARNING_DAYS days left.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.models import Assignment, Inspector
from stations.models import District, Precinct, Region

from ..models import Meeting
from ..quarters import Quarter

GEOMS = ("precinct__geom", "precinct__district__geom", "precinct__district__region__geom")


class State:
    HELD = "held"
    PLANNED = "planned"
    MISSING = "missing"
    NOT_OWED = "not_owed"

    LABELS = {
        HELD: _("проведена"),
        PLANNED: _("запланирована"),
        MISSING: _("не проведена и не запланирована"),
        NOT_OWED: _("не требуется"),
    }
    CHOICES = list(LABELS.items())


class Level:
    INSPECTOR = "inspector"
    PRECINCT = "precinct"
    DISTRICT = "district"
    REGION = "region"

    CHOICES = [
        (INSPECTOR, _("по инспекторам")),
        (PRECINCT, _("по участкам")),
        (DISTRICT, _("по районам")),
        (REGION, _("по областям")),
    ]


@dataclass
class ComplianceRow:
    """One inspector in one precinct for one quarter."""

    inspector: Inspector
    precinct: Precinct
    days_served: int
    owed: int
    held: int
    planned: int
    on_leave: bool
    state: str
    missing: int
    at_risk: bool

    @property
    def district(self) -> District:
        return self.precinct.district

    @property
    def region(self) -> Region:
        return self.precinct.district.region

    @property
    def state_label(self) -> str:
        return str(State.LABELS[self.state])


@dataclass
class ComplianceGroup:
    """The sum over the rows of one precinct, district or region (or of everything)."""

    id: int | None = None
    name: str = ""
    owed: int = 0
    held: int = 0
    planned: int = 0
    missing: int = 0
    inspectors: int = 0  # who owe at least one meeting
    inspectors_missing: int = 0
    obj: object = None

    def add(self, row: ComplianceRow) -> None:
        self.owed += row.owed
        self.held += row.held
        self.planned += row.planned
        self.missing += row.missing
        self.inspectors += row.owed > 0
        self.inspectors_missing += row.state == State.MISSING


@dataclass
class ComplianceReport:
    quarter: Quarter
    today: datetime.date
    per_quarter: int
    warning_days: int
    rows: list[ComplianceRow] = field(default_factory=list)

    @property
    def is_over(self) -> bool:
        return self.today > self.quarter.last_day

    @property
    def days_left(self) -> int:
        return self.quarter.days_left(self.today)

    @property
    def at_risk(self) -> list[ComplianceRow]:
        return [row for row in self.rows if row.at_risk]

    @property
    def totals(self) -> ComplianceGroup:
        total = ComplianceGroup(name=str(_("Итого")))
        for row in self.rows:
            total.add(row)
        return total

    def groups(self, level: str) -> list[ComplianceGroup]:
        """Sums per precinct, district or region, in the order of the rows."""
        key: Callable[[ComplianceRow], object] = {
            Level.PRECINCT: lambda row: row.precinct,
            Level.DISTRICT: lambda row: row.district,
            Level.REGION: lambda row: row.region,
        }[level]
        groups: dict[int, ComplianceGroup] = {}
        for row in self.rows:
            obj = key(row)
            group = groups.get(obj.pk)
            if group is None:
                group = groups[obj.pk] = ComplianceGroup(id=obj.pk, name=str(obj), obj=obj)
            group.add(row)
        return list(groups.values())


def _days_served(
    assignment: Assignment, quarter: Quarter
) -> int:  # both ends included, like the history
    start = max(assignment.started_on, quarter.first_day)
    end = min(assignment.ended_on or quarter.last_day, quarter.last_day)
    return max((end - start).days + 1, 0)


def compliance_report(
    *,
    quarter: Quarter,
    district_id: int | None = None,
    region_id: int | None = None,
    today: datetime.date | None = None,
) -> ComplianceReport:
    """Compliance of every inspector who served a precinct in the quarter (two queries, three
    more only if a meeting's inspector has no assignment in the quarter)."""
    today = today or timezone.localdate()
    report = ComplianceReport(
        quarter=quarter,
        today=today,
        per_quarter=settings.MEETINGS_PER_QUARTER,
        warning_days=settings.MEETINGS_WARNING_DAYS,
    )
    territory = Q()
    if district_id is not None:
        territory &= Q(precinct__district_id=district_id)
    if region_id is not None:
        territory &= Q(precinct__district__region_id=region_id)

    served: dict[tuple[int, int], int] = defaultdict(int)
    inspectors: dict[int, Inspector] = {}
    precincts: dict[int, Precinct] = {}
    assignments = (
        Assignment.objects.filter(territory, started_on__lte=quarter.last_day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=quarter.first_day))
        .select_related("inspector", "precinct__district__region")
        .defer(*GEOMS)
    )
    for assignment in assignments:
        pair = (assignment.inspector_id, assignment.precinct_id)
        served[pair] += _days_served(assignment, quarter)
        inspectors[assignment.inspector_id] = assignment.inspector
        precincts[assignment.precinct_id] = assignment.precinct

    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    meetings = (
        Meeting.objects.filter(territory, kind=Meeting.Kind.QUARTERLY_REPORT)
        .filter(
            Q(status=Meeting.Status.HELD, held_at__gte=quarter.start, held_at__lt=quarter.end)
            | Q(
                status=Meeting.Status.PLANNED,
                scheduled_at__gte=quarter.start,
                scheduled_at__lt=quarter.end,
            )
        )
        .order_by()
        .values_list("inspector_id", "precinct_id", "status")
        .annotate(n=Count("pk"))
    )
    for inspector_id, precinct_id, status, n in meetings:
        counts[inspector_id, precinct_id][status] = n
    _load_missing(counts.keys() - served.keys(), inspectors, precincts)

    is_over = today > quarter.last_day
    at_risk_now = not is_over and today >= quarter.first_day
    at_risk_now = at_risk_now and report.days_left < report.warning_days
    for pair in served.keys() | counts.keys():
        inspector, precinct = inspectors[pair[0]], precincts[pair[1]]
        days = served.get(pair, 0)
        held = counts[pair].get(Meeting.Status.HELD, 0) if pair in counts else 0
        planned = counts[pair].get(Meeting.Status.PLANNED, 0) if pair in counts else 0
        on_leave = not is_over and inspector.status == Inspector.Status.ON_LEAVE
        owed = report.per_quarter if days * 2 > quarter.days and not on_leave else 0
        waiting = 0 if is_over else planned
        if owed == 0:
            state = State.NOT_OWED
        elif held >= owed:
            state = State.HELD
        elif held + waiting >= owed:
            state = State.PLANNED
        else:
            state = State.MISSING
        missing = max(owed - held - waiting, 0)
        report.rows.append(
            ComplianceRow(
                inspector=inspector,
                precinct=precinct,
                days_served=days,
                owed=owed,
                held=held,
                planned=planned,
                on_leave=on_leave,
                state=state,
                missing=missing,
                at_risk=at_risk_now and state == State.MISSING,
            )
        )
    report.rows.sort(
        key=lambda row: (
            row.region.name,
            row.district.name,
            row.precinct.number,
            row.inspector.last_name,
            row.inspector.first_name,
            row.inspector.pk,
        )
    )
    return report


def _load_missing(
    pairs: Iterable[tuple[int, int]],
    inspectors: dict[int, Inspector],
    precincts: dict[int, Precinct],
) -> None:
    """Inspectors and precincts of meetings held without an assignment in the quarter (the
    history was edited after the fact): their meetings still count."""
    pairs = list(pairs)
    if not pairs:
        return
    inspectors.update(Inspector.objects.in_bulk({i for i, _ in pairs} - inspectors.keys()))
    wanted = {p for _, p in pairs} - precincts.keys()
    if wanted:
        precincts.update(
            Precinct.objects.select_related("district__region")
            .defer("geom", "district__geom", "district__region__geom")
            .in_bulk(wanted)
        )
