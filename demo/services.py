"""Load the demo data set through the domain services, and keep the demo superuser.

Every row is found by its natural key and written only through the owning app's service, so
the same validation runs as for the admin and the API; unchanged rows are left alone, which
makes a second run a no-op. The plan itself (what to write) comes from `demo.plan`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    Category,
    Meeting,
    ResponsibleBody,
    RoutingRule,
    Suggestion,
    SuggestionEvent,
)
from meetings.services import (
    meeting_save,
    responsible_body_save,
    routing_defaults_ensure,
    routing_rule_save,
    suggestion_merge,
    suggestion_save,
    suggestion_transition,
)
from officers.models import Assignment, Assistant, Inspector
from officers.services import assistant_save, inspector_save
from planning.models import CandidateSite, OffenceCount
from reach.models import CoverageSnapshot
from reach.services import coverage_recompute_many, coverage_recompute_suspended
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station
from stations.services import (
    district_save,
    modular_post_save,
    precinct_save,
    region_save,
    settlement_save,
    station_save,
)

from .data import routing as routing_data
from .plan import TZ, DemoPlan, InspectorPlan, MeetingPlan, SuggestionPlan, build_plan
from .planning import demo_planning_load

MODELS: tuple[type[models.Model], ...] = (
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
    Category,
    ResponsibleBody,
    RoutingRule,
    SuggestionEvent,
    OffenceCount,
    CandidateSite,
)
# Rows the services write as a side effect: counted as the difference before and after a load.
SIDE_EFFECTS = (Assignment, SuggestionEvent, Category, ResponsibleBody, RoutingRule)

DEMO_EMAIL_DOMAIN = "registry.example"  # reserved TLD: never a real mailbox


class DemoUserConflict(Exception):
    """The demo username belongs to a user the demo did not create."""


MSG_NOT_DEMO_USER = _(
    "Пользователь «%(username)s» уже есть и не является демо-пользователем "
    "(адрес почты не %(email)s); он не изменён."
)


@dataclass
class DemoLoadResult:
    """What a load did: rows created and updated per model, and rows in the database after."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    totals: dict[type[models.Model], int] = field(default_factory=dict)
    skipped_meetings: int = 0


Report = Callable[[str], None]


@transaction.atomic
def demo_load(
    *, today: datetime.date | None = None, report: Report | None = None
) -> DemoLoadResult:
    """Create or update the demo data set in one transaction; `today` is in Asia/Almaty."""
    today = today or timezone.localdate(timezone=TZ)
    report = report or (lambda message: None)
    plan = build_plan(today=today)
    before = {model: model.objects.count() for model in SIDE_EFFECTS}
    loader = _Loader(plan=plan, today=today)
    # No coverage recompute per saved row: once, for the demo districts, at the end.
    with coverage_recompute_suspended():
        for stage, step in (
            (_("области и районы"), loader.load_territory),
            (_("участки и населённые пункты"), loader.load_precincts),
            (_("УПП и модульные посты"), loader.load_facilities),
            (_("участковые инспекторы и помощники"), loader.load_officers),
            (_("исполнители и маршруты предложений"), loader.load_routing),
            (_("встречи и предложения жителей"), loader.load_meetings),
        ):
            step()
            report(_("  %(stage)s: готово") % {"stage": stage})
    districts = list(loader.districts.values())
    for model, count in demo_planning_load(districts=districts, today=today).items():
        loader.result.created[model] += count
    report(_("  статистика правонарушений и площадки-кандидаты: готово"))
    changed = sum(loader.result.created.values()) + sum(loader.result.updated.values())
    if changed or CoverageSnapshot.objects.filter(district__in=districts).count() < len(districts):
        coverage_recompute_many(districts=districts)
        report(_("  шаговая доступность: пересчитана"))
    loader.result.totals = {model: model.objects.count() for model in MODELS}
    # The services write the histories (and the routing defaults) themselves: count the rows
    # they added.
    for model in SIDE_EFFECTS:
        loader.result.created[model] = loader.result.totals[model] - before[model]
    return loader.result


class _Loader:
    def __init__(self, *, plan: DemoPlan, today: datetime.date) -> None:
        self.plan = plan
        self.today = today
        self.result = DemoLoadResult()
        self.districts: dict[str, District] = {}
        self.precincts: dict[tuple[str, int], Precinct] = {}
        self.stations: dict[tuple[str, str], Station] = {}
        self.indexes: dict[type[models.Model], dict[tuple, Any]] = {}
        self.categories: dict[str, Category] = {}
        self.suggestions: dict[int, Suggestion] = {}  # by id() of the SuggestionPlan
        self.new_suggestions: set[int] = set()  # recorded in this run: not also "updated"

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        save: Callable[[Any], Any],
    ) -> Any:
        """Find by natural key; create, or update what differs, through `save` (a service)."""
        index = self._index(model, tuple(lookup))
        key = tuple(_key(value) for value in lookup.values())
        obj = index.get(key)
        if obj is None:
            obj = model(**lookup, **values)
            save(obj)
            index[key] = obj
            self.result.created[model] += 1
        elif _assign(obj, values):
            save(obj)
            self.result.updated[model] += 1
        return obj

    def _index(self, model: type[models.Model], names: tuple[str, ...]) -> dict[tuple, Any]:
        """Existing rows by natural key, read once per model (one query instead of one a row)."""
        if model not in self.indexes:
            attnames = [model._meta.get_field(name).attname for name in names]
            self.indexes[model] = {
                tuple(getattr(obj, attname) for attname in attnames): obj
                for obj in model.objects.all()
            }
        return self.indexes[model]

    def load_territory(self) -> None:
        regions = {}
        for spec, geom in self.plan.regions:
            regions[spec.kato] = self.upsert(
                Region,
                {"kato": spec.kato},
                {"name": spec.name, "name_kk": spec.name_kk, "geom": geom},
                lambda obj: region_save(region=obj),
            )
        for district in self.plan.districts:
            spec = district.spec
            self.districts[spec.key] = self.upsert(
                District,
                {"kato": spec.kato},
                {
                    "region": regions[spec.region],
                    "name": spec.name,
                    "name_kk": spec.name_kk,
                    "kind": spec.kind,
                    "population": district.population,
                    "geom": district.geom,
                },
                lambda obj: district_save(district=obj),
            )

    def load_precincts(self) -> None:
        for district in self.plan.districts:
            key = district.spec.key
            for precinct in district.precincts:
                self.precincts[key, precinct.number] = self.upsert(
                    Precinct,
                    {"district": self.districts[key], "number": precinct.number},
                    {
                        "name": precinct.name,
                        "population": precinct.population,
                        "geom": precinct.geom,
                    },
                    lambda obj: precinct_save(precinct=obj),
                )
        for spec, point in self.plan.settlements:
            self.upsert(
                Settlement,
                {"district": self.districts[spec.district], "name": spec.name},
                {"name_kk": spec.name_kk, "population": spec.population, "geom": point},
                lambda obj: settlement_save(settlement=obj),
            )

    def load_facilities(self) -> None:
        for station in self.plan.stations:
            spec = station.spec
            self.stations[station.district, spec.number] = self.upsert(
                Station,
                {"district": self.districts[station.district], "number": spec.number},
                {
                    "precinct": self.precincts[station.district, spec.precinct],
                    "name": spec.name,
                    "address": spec.address,
                    "geom": station.geom,
                    "status": spec.status,
                    "opened_on": spec.opened_on,
                    "closed_on": spec.closed_on,
                    "phone": station.phone,
                    "combined_with_housing": spec.combined_with_housing,
                    "on_police_balance_since": spec.on_balance_since,
                    "reception_hours": spec.reception_hours,
                },
                lambda obj: station_save(station=obj),
            )
        for post in self.plan.posts:
            spec = post.spec
            self.upsert(
                ModularPost,
                {"district": self.districts[post.district], "name": spec.name},
                {
                    "address": spec.address,
                    "geom": post.geom,
                    "status": spec.status,
                    "opened_on": spec.opened_on,
                    "closed_on": spec.closed_on,
                    "phone": post.phone,
                    "round_the_clock": spec.round_the_clock,
                    "placement": spec.placement,
                },
                lambda obj: modular_post_save(post=obj),
            )

    def load_officers(self) -> None:
        for plan in self.plan.inspectors:
            inspector = self.inspector(plan)
            for assistant in plan.assistants:
                self.upsert(
                    Assistant,
                    {
                        "inspector": inspector,
                        "last_name": assistant.last_name,
                        "first_name": assistant.first_name,
                        "middle_name": assistant.middle_name,
                    },
                    {"phone": assistant.phone},
                    lambda obj: assistant_save(assistant=obj),
                )

    def inspector(self, plan: InspectorPlan) -> Inspector:
        """A new inspector replays the planned career so the assignment history has it.

        An existing one only gets its current state; if its precinct differs, the service
        records the change as of today. `appointed_on` belongs to the history: kept as stored.
        """
        station = self.stations.get((plan.district, plan.station))
        current = {
            "last_name": plan.last_name,
            "first_name": plan.first_name,
            "middle_name": plan.middle_name,
            "rank": plan.rank,
            "position": plan.position,
            "service_phone": plan.service_phone,
            "personal_phone": plan.personal_phone,
            "messenger_url": plan.messenger_url,
            "reception_hours": plan.reception_hours,
            "station": station,
            "status": plan.status,
            "precinct": self._precinct(plan.district, plan.final_precinct),
        }
        known = self._index(Inspector, ("personnel_number",))
        inspector = known.get((plan.personnel_number,))
        if inspector is not None:
            if _assign(inspector, current):
                inspector_save(inspector=inspector, on=self.today)
                self.result.updated[Inspector] += 1
            return inspector
        inspector = Inspector(
            personnel_number=plan.personnel_number,
            appointed_on=plan.appointed_on,
            **{**current, "precinct": self._precinct(plan.district, plan.precinct)},
        )
        if plan.moves:
            inspector.status = Inspector.Status.ACTIVE
        inspector_save(inspector=inspector, on=plan.appointed_on)
        for step, (day, number) in enumerate(plan.moves, start=1):
            inspector.precinct = self._precinct(plan.district, number)
            if step == len(plan.moves):
                inspector.status = plan.status
            inspector_save(inspector=inspector, on=day)
        known[plan.personnel_number,] = inspector
        self.result.created[Inspector] += 1
        return inspector

    def _precinct(self, district: str, number: int | None) -> Precinct | None:
        return self.precincts[district, number] if number else None

    def load_meetings(self) -> None:
        """Each meeting goes to whoever served its precinct that day, as the history says."""
        history: dict[int, list[tuple[datetime.date, datetime.date | None, int]]] = {}
        for precinct_id, started, ended, inspector_id in Assignment.objects.order_by(
            "started_on", "pk"
        ).values_list("precinct_id", "started_on", "ended_on", "inspector_id"):
            history.setdefault(precinct_id, []).append((started, ended, inspector_id))
        inspectors = Inspector.objects.in_bulk()
        for plan in self.plan.meetings:
            precinct = self.precincts[plan.district, plan.precinct]
            day = timezone.localdate(plan.scheduled_at, timezone=TZ)
            serving = [
                inspector_id
                for started, ended, inspector_id in history.get(precinct.pk, [])
                if started <= day and (ended is None or ended >= day)
            ]
            if not serving:
                self.result.skipped_meetings += 1
                continue
            self.meeting(plan, precinct, inspectors[serving[0]])
        self.load_merges()

    def meeting(self, plan: MeetingPlan, precinct: Precinct, inspector: Inspector) -> None:
        held = plan.status == Meeting.Status.HELD
        meeting = self.upsert(
            Meeting,
            {
                "precinct": precinct,
                "inspector": inspector,
                "kind": plan.kind,
                "scheduled_at": plan.scheduled_at,
            },
            {
                "status": plan.status,
                "held_at": plan.scheduled_at if held else None,
                "place": plan.place,
                "geom": plan.geom,
                "cancel_reason": plan.cancel_reason,
                "attendees": plan.attendees,
                "minutes": _minutes(plan.minutes, inspector),
            },
            lambda obj: meeting_save(meeting=obj),
        )
        for suggestion in plan.suggestions:
            self.suggestion(suggestion, meeting)

    def load_routing(self) -> None:
        """The default categories, bodies and routes, then each district's own."""
        routing_defaults_ensure()
        self.categories = {c.code: c for c in Category.objects.all()}
        bodies = {}
        for spec in routing_data.BODIES:
            bodies[spec.name] = self.upsert(
                ResponsibleBody,
                {"district": self.districts[spec.district], "name": spec.name},
                {
                    "name_kk": spec.name_kk,
                    "kind": spec.kind,
                    "phone": spec.phone,
                    "email": spec.email,
                    "is_active": True,
                },
                lambda obj: responsible_body_save(body=obj),
            )
        for route in routing_data.ROUTES:
            self.upsert(
                RoutingRule,
                {
                    "category": self.categories[route.category],
                    "district": self.districts[route.district],
                },
                {"body": bodies[route.body], "deadline_days": route.days},
                lambda obj: routing_rule_save(rule=obj),
            )

    def suggestion(self, plan: SuggestionPlan, meeting: Meeting) -> None:
        """Record a suggestion through the service (routed by the table), then take it through
        the transitions its planned status needs, each dated after the meeting; one recorded
        earlier moves on only if its status lies on the way to the planned one."""
        index = self._index(Suggestion, ("meeting", "text"))
        category = self.categories[routing_data.CATEGORY_OF_TOPIC[plan.category]]
        suggestion = index.get((meeting.pk, plan.text))
        day = timezone.localdate(meeting.held_at, timezone=TZ)
        if suggestion is None:
            suggestion = Suggestion(
                meeting=meeting, text=plan.text, category=category, external_ref=plan.external_ref
            )
            suggestion_save(suggestion=suggestion, at=meeting.held_at)
            index[meeting.pk, plan.text] = suggestion
            self.new_suggestions.add(suggestion.pk)
            self.result.created[Suggestion] += 1
        elif _assign(suggestion, {"category": category, "external_ref": plan.external_ref}):
            suggestion_save(suggestion=suggestion)
            self.result.updated[Suggestion] += 1
        path = TRANSITIONS[plan.status]
        done = TRANSITIONS[suggestion.status]
        if suggestion.status != plan.status and not suggestion.is_closed:
            if path[: len(done)] == done:
                for step, status in enumerate(path[len(done) :], start=len(done) + 1):
                    final = status in ("resolved", "rejected")
                    suggestion = suggestion_transition(
                        suggestion=suggestion,
                        to_status=status,
                        comment=plan.resolution if final else NOTES[status],
                        at=_step_time(day, step, plan.resolved_on, final=final),
                    )
                index[meeting.pk, plan.text] = suggestion
                self.result.updated[Suggestion] += suggestion.pk not in self.new_suggestions
        self.suggestions[id(plan)] = suggestion

    def load_merges(self) -> None:
        """Repeated suggestions join the earlier one, the day after they were made."""
        for meeting_plan in self.plan.meetings:
            for plan in meeting_plan.suggestions:
                source = self.suggestions.get(id(plan))
                target = self.suggestions.get(id(plan.merge_into))
                if source is None or target is None or source.status == Suggestion.Status.MERGED:
                    continue
                if source.is_closed or Suggestion.objects.get(pk=target.pk).is_closed:
                    continue
                day = timezone.localdate(source.meeting.held_at, timezone=TZ)
                suggestion_merge(
                    target=target,
                    suggestions=[source],
                    comment=routing_data.MERGED_NOTE,
                    at=_step_time(day, 1, None, final=False),
                )
                source.status = Suggestion.Status.MERGED
                self.result.updated[Suggestion] += source.pk not in self.new_suggestions


# The transitions that lead from "new" to each planned status ("merged" is done by a merge).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": (),
    "merged": (),
    "forwarded": ("forwarded",),
    "in_progress": ("forwarded", "in_progress"),
    "resolved": ("forwarded", "in_progress", "resolved"),
    "rejected": ("forwarded", "rejected"),
    "not_competent": ("forwarded", "not_competent"),
}
NOTES = {
    "forwarded": routing_data.FORWARDED_NOTE,
    "in_progress": routing_data.IN_PROGRESS_NOTE,
    "not_competent": routing_data.NOT_COMPETENT_NOTE,
}


def _step_time(
    day: datetime.date, step: int, decided: datetime.date | None, *, final: bool
) -> datetime.datetime:
    """When a demo transition happened: step n on the n-th day after the meeting at 9+n
    o'clock, but no later than that hour of the decision day; the decision at 16:00 on its
    day; never in the future."""
    if final and decided is not None:
        moment = datetime.datetime.combine(decided, datetime.time(16), tzinfo=TZ)
    else:
        when = day + datetime.timedelta(days=step)
        if decided is not None:
            when = min(when, decided)
        moment = datetime.datetime.combine(when, datetime.time(9 + step), tzinfo=TZ)
    return min(moment, timezone.now())


def _key(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ on `obj` (relations compared by key); True if any did."""
    changed = False
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        if model_field.is_relation:
            current = getattr(obj, model_field.attname)
            if current != (value.pk if value is not None else None):
                setattr(obj, name, value)
                changed = True
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _minutes(template: str, inspector: Inspector) -> str:
    """Fill the minutes' placeholders with the inspector's rank and name."""
    if not template:
        return ""
    with translation.override("ru"):
        rank = str(Inspector.Rank(inspector.rank).label)
    initials = "".join(
        f"{part[0]}." for part in (inspector.first_name, inspector.middle_name) if part
    )
    female = inspector.middle_name.endswith("вна")
    return template.format(
        inspector=f"{rank[0].upper()}{rank[1:]} {inspector.last_name} {initials}",
        reported="отчиталась" if female else "отчитался",
        ending="а" if female else "",
    )


@transaction.atomic
def demo_user_ensure(*, username: str, password: str) -> tuple[AbstractBaseUser, bool]:
    """Create or refresh the demo superuser; never touch a user the demo did not create.

    The demo user is recognised by its address at DEMO_EMAIL_DOMAIN. Returns (user, created).
    """
    user_model = get_user_model()
    email = f"{username}@{DEMO_EMAIL_DOMAIN}"
    user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
    if user is None:
        user = user_model(**{user_model.USERNAME_FIELD: username}, email=email)
        created = True
    elif getattr(user, "email", "") != email:
        raise DemoUserConflict(MSG_NOT_DEMO_USER % {"username": username, "email": email})
    else:
        created = False
    user.is_active = user.is_staff = user.is_superuser = True
    if created or not user.check_password(password):
        user.set_password(password)
    user.full_clean()
    user.save()
    return user, created


# One demo login per role (README, "Roles and scope"), on the demo's Semey and its region.
DEMO_ROLE_DISTRICT_KATO = "102010000"


@dataclass(frozen=True)
class DemoRoleUser:
    username: str
    role: str
    territory: str


def demo_role_users_ensure(*, username: str, password: str) -> list[DemoRoleUser]:
    """Create or refresh `<username>-analyst`, `-staff` and `-inspector` with the demo password,
    each in its role group and serving the demo's Semey (its region, the district, one
    inspector's own records). Nothing when the demo data is not loaded; like the demo
    superuser, a user of the same name the demo did not create is never touched."""
    from django.contrib.auth.models import Group

    from access.models import Membership
    from access.services import roles_sync
    from servicepolice.permissions import (
        ROLE_ANALYST,
        ROLE_DISTRICT_STAFF,
        ROLE_INSPECTOR,
    )

    district = District.objects.select_related("region").filter(kato=DEMO_ROLE_DISTRICT_KATO)
    district = district.first()
    inspector = (
        Inspector.objects.filter(precinct__district=district, status="active")
        .order_by("precinct__number", "pk")
        .first()
        if district
        else None
    )
    if district is None or inspector is None:
        return []
    if not Group.objects.filter(name=ROLE_INSPECTOR).exists():
        roles_sync()
    made = []
    specs = [
        ("analyst", ROLE_ANALYST, str(district.region)),
        ("staff", ROLE_DISTRICT_STAFF, str(district)),
        ("inspector", ROLE_INSPECTOR, str(inspector)),
    ]
    with transaction.atomic():
        for suffix, role, territory in specs:
            name = f"{username}-{suffix}"
            user, _created = demo_user_ensure(username=name, password=password)
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
            user.groups.set([Group.objects.get(name=role)])
            membership, _ = Membership.objects.get_or_create(user=user)
            membership.nationwide = False
            membership.inspector = inspector if suffix == "inspector" else None
            membership.save()
            membership.regions.set([district.region] if suffix == "analyst" else [])
            membership.districts.set([district] if suffix == "staff" else [])
            made.append(DemoRoleUser(name, role, territory))
    return made
