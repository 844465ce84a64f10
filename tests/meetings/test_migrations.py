"""The data migration that made categories a table: free-text categories of suggestions already
recorded become category rows (known words to the seeded defaults), and those suggestions are
routed by the default routes, with a deadline from the meeting's local date."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import InspectorFactory, MeetingFactory
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("meetings", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_free_text_categories_become_rows_and_suggestions_are_routed():
    when = local(2025, 3, 31, 23, 30)
    meeting = MeetingFactory(inspector=InspectorFactory(), scheduled_at=when, held_at=when)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("meetings")
    old_apps = migrate(BEFORE)
    try:
        Suggestion = old_apps.get_model("meetings", "Suggestion")
        for text, category in (
            ("Фонари во дворе", "Освещение"),
            ("Лежачий полицейский", "парковка"),
            ("Пчёлы на детской площадке", "пчёлы"),
            ("Без темы", ""),
        ):
            Suggestion.objects.create(meeting_id=meeting.pk, text=text, category=category)
    finally:
        new_apps = migrate(latest)

    Suggestion = new_apps.get_model("meetings", "Suggestion")
    RoutingRule = new_apps.get_model("meetings", "RoutingRule")
    rows = {s.text: s for s in Suggestion.objects.select_related("category")}
    assert rows["Фонари во дворе"].category.code == "lighting"
    assert rows["Лежачий полицейский"].category.code == "road_safety"
    assert rows["Пчёлы на детской площадке"].category.name == "пчёлы"  # kept as a new category
    assert rows["Без темы"].category is None
    lighting = RoutingRule.objects.get(category__code="lighting", district__isnull=True)
    routed = rows["Фонари во дворе"]
    assert routed.body_id == lighting.body_id
    # Held at 23:30 on 31 March local time: the deadline counts from 31 March.
    expected = datetime.date(2025, 3, 31) + datetime.timedelta(days=lighting.deadline_days)
    assert routed.deadline == expected
    assert rows["Пчёлы на детской площадке"].body_id is None  # a new category has no route
