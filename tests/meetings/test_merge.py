"""Similar suggestions of one precinct merge into one: each keeps its text, the merged ones
point to the main one and leave the open lists; the history says so on both sides."""

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Suggestion, SuggestionEvent
from meetings.selectors import suggestion_list
from meetings.services import suggestion_merge, suggestion_transition
from tests.factories import InspectorFactory, MeetingFactory, PrecinctFactory
from tests.helpers import codes
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db
S = Suggestion.Status


@pytest.fixture
def later(held):
    """A second meeting in the same precinct, three months on."""
    when = local(2025, 6, 12)
    return MeetingFactory(inspector=held.inspector, scheduled_at=when, held_at=when)


def test_merged_suggestions_keep_both_texts(record, route, later, superuser):
    main = record("Поставить фонари во дворе дома 12 по ул. Абая.")
    again = record("Во дворе дома 12 темно, нужны фонари.", meeting=later)

    result = suggestion_merge(
        target=main, suggestions=[again], comment="Тот же двор", user=superuser
    )

    again.refresh_from_db()
    assert (again.status, again.merged_into) == (S.MERGED, main)
    assert again.text == "Во дворе дома 12 темно, нужны фонари."
    assert result.text == "Поставить фонари во дворе дома 12 по ул. Абая."
    assert result.status == S.NEW
    listed = suggestion_list().get(pk=main.pk)
    assert [(m.pk, m.text) for m in listed.merged.all()] == [(again.pk, again.text)]
    source_event = again.events.last()
    assert (source_event.kind, source_event.from_status, source_event.to_status) == (
        SuggestionEvent.Kind.MERGED,
        S.NEW,
        S.MERGED,
    )
    assert (source_event.comment, source_event.user) == ("Тот же двор", superuser)
    target_event = main.events.last()
    assert target_event.kind == SuggestionEvent.Kind.MERGED
    assert f"№{again.pk}" in target_event.comment and again.text in target_event.comment
    assert not Suggestion.objects.open().filter(pk=again.pk).exists()


def test_what_was_merged_into_a_merged_one_follows_it(record, route, later):
    main, middle, first = record("А"), record("Б", meeting=later), record("В", meeting=later)
    suggestion_merge(target=middle, suggestions=[first])
    suggestion_merge(target=main, suggestions=[middle])
    first.refresh_from_db()
    assert first.merged_into == main  # no chains to follow
    assert set(main.merged.all()) == {middle, first}


def test_only_suggestions_of_the_same_precinct(record, route, held):
    main = record()
    elsewhere = PrecinctFactory(district=held.precinct.district)
    stranger = InspectorFactory(precinct=elsewhere)
    other_meeting = MeetingFactory(
        inspector=stranger, scheduled_at=local(2025, 3, 11), held_at=local(2025, 3, 11)
    )
    other = record("Фонари у школы", meeting=other_meeting)
    with pytest.raises(ValidationError) as exc:
        suggestion_merge(target=main, suggestions=[other])
    assert codes(exc.value, "suggestions") == ["merge_other_precinct"]
    other.refresh_from_db()
    assert other.status == S.NEW


def test_only_open_suggestions_merge(record, route):
    main, done = record("А"), record("Б")
    suggestion_transition(suggestion=done, to_status=S.REJECTED, comment="Нет")
    with pytest.raises(ValidationError) as exc:
        suggestion_merge(target=main, suggestions=[done])
    assert codes(exc.value, "suggestions") == ["merge_closed"]
    with pytest.raises(ValidationError) as exc:
        suggestion_merge(target=done, suggestions=[main])
    assert codes(exc.value, "suggestions") == ["merge_closed"]


def test_not_with_itself_nor_with_nothing(record):
    main = record()
    with pytest.raises(ValidationError) as exc:
        suggestion_merge(target=main, suggestions=[main])
    assert "merge_self" in codes(exc.value, "suggestions")
    with pytest.raises(ValidationError) as exc:
        suggestion_merge(target=main, suggestions=[])
    assert codes(exc.value, "suggestions") == ["merge_nothing"]
