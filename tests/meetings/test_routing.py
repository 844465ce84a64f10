"""Routing: a new suggestion goes to the body the routing table names for its category in its
district (else the default route), with a deadline of the meeting's local date plus the
route's days; it can be re-routed by hand."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.defaults import CATEGORIES, RULES
from meetings.models import (
    MSG_RULE_BODY_OTHER_DISTRICT,
    Category,
    ResponsibleBody,
    RoutingRule,
    Suggestion,
    SuggestionEvent,
)
from meetings.selectors import deadline_days_for, routing_rule_for
from meetings.services import (
    MSG_BODY_BY_ROUTE,
    MSG_ROUTE_SAME,
    routing_defaults_ensure,
    routing_rule_save,
    suggestion_route,
    suggestion_save,
    suggestion_transition,
)
from tests.factories import (
    CategoryFactory,
    DistrictFactory,
    MeetingFactory,
    ResponsibleBodyFactory,
    RoutingRuleFactory,
)
from tests.helpers import codes, messages
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db

DAY = datetime.date


def test_the_migrations_seed_the_default_categories_bodies_and_routes():
    assert set(Category.objects.values_list("code", flat=True)) >= {c[0] for c in CATEGORIES}
    defaults = RoutingRule.objects.filter(district__isnull=True).select_related("category")
    assert {rule.category.code for rule in defaults} == {r[0] for r in RULES}
    assert ResponsibleBody.objects.filter(district__isnull=True, kind="police").exists()
    counts = (
        Category.objects.count(),
        ResponsibleBody.objects.count(),
        RoutingRule.objects.count(),
    )
    routing_defaults_ensure()  # idempotent: nothing added twice
    assert counts == (
        Category.objects.count(),
        ResponsibleBody.objects.count(),
        RoutingRule.objects.count(),
    )


def test_the_districts_own_route_wins(record, route):
    suggestion = record()
    assert suggestion.body == route.body
    # Held on 10 March (local): 20 days of the district's route.
    assert suggestion.deadline == DAY(2025, 3, 30)
    assert suggestion.status == Suggestion.Status.NEW
    (event,) = suggestion.events.all()
    assert (event.kind, event.from_status, event.to_status, event.body) == (
        SuggestionEvent.Kind.CREATED,
        "",
        "new",
        route.body,
    )


def test_without_a_district_route_the_default_route_applies(record, lighting):
    default = RoutingRule.objects.get(category=lighting, district__isnull=True)
    suggestion = record()
    assert suggestion.body == default.body
    assert suggestion.deadline == DAY(2025, 3, 10) + datetime.timedelta(days=default.deadline_days)


def test_another_districts_route_is_not_used(record, lighting, held):
    RoutingRuleFactory(category=lighting, district=DistrictFactory(), deadline_days=5)
    default = RoutingRule.objects.get(category=lighting, district__isnull=True)
    assert record().body == default.body
    assert routing_rule_for(category_id=lighting.pk, district_id=held.precinct.district_id) == (
        default
    )


def test_an_inactive_body_is_skipped(record, route, lighting):
    route.body.is_active = False
    route.body.save()
    default = RoutingRule.objects.get(category=lighting, district__isnull=True)
    assert record().body == default.body


def test_without_category_or_route_nothing_is_routed(record, held):
    other = CategoryFactory(code="bees", name="Пчёлы")
    for suggestion in (record(category=None), record(category=other)):
        assert (suggestion.body, suggestion.deadline) == (None, None)
        assert suggestion.events.get().body is None


def test_the_deadline_counts_from_the_local_day_of_the_meeting(inspector, lighting, route):
    late = local(2025, 3, 31, 23, 30)  # 31 March in Almaty, 18:30 UTC
    meeting = MeetingFactory(inspector=inspector, scheduled_at=late, held_at=late)
    suggestion = suggestion_save(
        suggestion=Suggestion(meeting=meeting, text="Фонарь у школы", category=lighting)
    )
    assert suggestion.deadline == DAY(2025, 4, 20)


def test_a_body_given_by_hand_is_kept_with_its_routes_deadline(record, route, held, settings):
    settings.SUGGESTION_DEADLINE_DAYS = 45
    chosen = ResponsibleBodyFactory(name="ТОО «Горсвет»")
    assert record(body=chosen).deadline == DAY(2025, 3, 10) + datetime.timedelta(days=45)
    assert record(body=route.body).deadline == DAY(2025, 3, 30)
    assert deadline_days_for(body_id=chosen.pk, category_id=None, district_id=None) == 45


def test_a_body_of_another_district_is_refused(record):
    stranger = ResponsibleBodyFactory(district=DistrictFactory())
    with pytest.raises(ValidationError) as exc:
        record(body=stranger)
    assert codes(exc.value, "body") == ["body_other_district"]
    assert Suggestion.objects.count() == 0


def test_re_routing_by_hand_sets_a_new_deadline_from_today(record, route, superuser, settings):
    settings.SUGGESTION_DEADLINE_DAYS = 7  # the new body has no route of its own
    suggestion = record()
    other = ResponsibleBodyFactory(name="ГКП «Горсвет»")

    rerouted = suggestion_route(suggestion=suggestion, body=other, comment="", user=superuser)

    assert rerouted.body == other
    assert rerouted.deadline == timezone.localdate() + datetime.timedelta(days=7)
    assert rerouted.status == Suggestion.Status.NEW
    event = rerouted.events.last()
    assert (event.kind, event.body, event.user) == (SuggestionEvent.Kind.ROUTED, other, superuser)
    with pytest.raises(ValidationError) as exc:
        suggestion_route(suggestion=rerouted, body=other)
    assert messages(exc.value, "body") == [str(MSG_ROUTE_SAME % {"body": other.name})]


def test_re_routing_work_in_progress_sends_it_back_to_forwarded_with_a_comment(record, route):
    suggestion = record()
    suggestion = suggestion_transition(suggestion=suggestion, to_status="forwarded", comment="Да")
    suggestion = suggestion_transition(suggestion=suggestion, to_status="in_progress", comment="Да")
    other = ResponsibleBodyFactory()
    with pytest.raises(ValidationError) as exc:
        suggestion_route(suggestion=suggestion, body=other)
    assert codes(exc.value, "comment") == ["comment_required"]

    rerouted = suggestion_route(suggestion=suggestion, body=other, comment="Это не ЖКХ")

    assert (rerouted.status, rerouted.body) == (Suggestion.Status.FORWARDED, other)
    event = rerouted.events.last()
    assert (event.from_status, event.to_status) == ("in_progress", "forwarded")


def test_an_edit_does_not_change_the_body_behind_the_historys_back(record, route):
    suggestion = record()
    suggestion.body = ResponsibleBodyFactory()
    with pytest.raises(ValidationError) as exc:
        suggestion_save(suggestion=suggestion)
    assert messages(exc.value, "body") == [str(MSG_BODY_BY_ROUTE)]


def test_a_route_names_a_body_of_its_district_or_of_every_district(route):
    rule = RoutingRule(
        category=CategoryFactory(code="video"),
        district=DistrictFactory(),
        body=route.body,  # no district: fine anywhere
        deadline_days=10,
    )
    routing_rule_save(rule=rule)
    local_body = ResponsibleBodyFactory(district=DistrictFactory())
    rule.body = local_body
    with pytest.raises(ValidationError) as exc:
        routing_rule_save(rule=rule)
    expected = MSG_RULE_BODY_OTHER_DISTRICT % {
        "body": local_body.name,
        "district": local_body.district,
    }
    assert messages(exc.value, "body") == [str(expected)]


def test_one_route_per_category_and_district(route):
    with pytest.raises(ValidationError):
        routing_rule_save(
            rule=RoutingRule(category=route.category, district=route.district, body=route.body)
        )
    with pytest.raises(ValidationError):  # the default route for lighting exists too
        routing_rule_save(rule=RoutingRule(category=route.category, body=route.body))
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutingRule.objects.create(category=route.category, body=route.body, deadline_days=0)
