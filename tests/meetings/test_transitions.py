"""Suggestion statuses move only through `suggestion_transition`, by the table of allowed
transitions, each with a comment; every move is kept in the history. Overdue: past the
deadline and still open."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Suggestion, SuggestionEvent
from meetings.selectors import (
    suggestion_list,
    suggestion_tally_by_body,
    suggestion_tally_by_district,
)
from meetings.services import (
    ALLOWED_TRANSITIONS,
    MSG_STATUS_BY_TRANSITION,
    suggestion_comment,
    suggestion_save,
    suggestion_transition,
)
from tests.factories import ResponsibleBodyFactory, SuggestionFactory
from tests.helpers import codes, messages
from tests.meetings.conftest import local

pytestmark = pytest.mark.django_db

S = Suggestion.Status
ALLOWED = [(src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in targets]
REFUSED = [
    (src, dst)
    for src, dst in itertools.product(S.values, S.values)
    if dst not in ALLOWED_TRANSITIONS[src]
]
FINAL = {S.RESOLVED, S.REJECTED, S.MERGED}


def test_the_table():
    assert len(ALLOWED) == 11 and len(REFUSED) == 7 * 7 - 11
    assert {src for src, targets in ALLOWED_TRANSITIONS.items() if not targets} == FINAL
    assert all(dst != S.MERGED for _, dst in ALLOWED)  # merging is suggestion_merge's job


@pytest.fixture
def in_status(record, route):
    """A routed suggestion put straight into a status (the history is not the point here)."""

    def put(status: str) -> Suggestion:
        suggestion = record()
        changes = {"status": status}
        if status == S.MERGED:
            changes["merged_into"] = record("Другое предложение о фонарях")
        if status == S.NOT_COMPETENT:
            changes["body"] = None
        Suggestion.objects.filter(pk=suggestion.pk).update(**changes)
        return Suggestion.objects.get(pk=suggestion.pk)

    return put


@pytest.mark.parametrize("src, dst", ALLOWED, ids=lambda v: str(v))
def test_every_allowed_transition(in_status, superuser, route, src, dst):
    suggestion = in_status(src)
    before = suggestion.events.count()
    # After "not in competence" the suggestion has no body: forwarding names the next one.
    body = ResponsibleBodyFactory() if (src, dst) == (S.NOT_COMPETENT, S.FORWARDED) else None
    previous_body = suggestion.body

    moved = suggestion_transition(
        suggestion=suggestion, to_status=dst, comment="  Сделано  ", user=superuser, body=body
    )

    moved.refresh_from_db()
    assert moved.status == dst
    assert moved.events.count() == before + 1
    event = moved.events.last()
    assert (event.kind, event.from_status, event.to_status) == ("transition", src, dst)
    assert (event.user, event.comment) == (superuser, "Сделано")
    assert event.at <= timezone.now()
    if dst in (S.RESOLVED, S.REJECTED):
        assert (moved.resolution, moved.resolved_on) == ("Сделано", timezone.localdate())
    else:
        assert (moved.resolution, moved.resolved_on) == ("", None)
    if dst == S.FORWARDED:
        assert moved.body == (body or route.body) and moved.deadline
    if dst == S.NOT_COMPETENT:
        assert moved.body is None and event.body == previous_body


@pytest.mark.parametrize("src, dst", REFUSED, ids=lambda v: str(v))
def test_every_refused_transition(in_status, src, dst):
    suggestion = in_status(src)
    before = suggestion.events.count()

    with pytest.raises(ValidationError) as exc:
        suggestion_transition(
            suggestion=suggestion, to_status=dst, comment="Комментарий", body=None
        )

    expected = "transition_final" if src in FINAL else "transition_not_allowed"
    assert codes(exc.value, "status") == [expected]
    (message,) = messages(exc.value, "status")
    assert f"«{S(src).label}»" in message
    if src not in FINAL:
        assert f"«{S(dst).label}»" in message
        assert all(f"«{S(ok).label}»" in message for ok in ALLOWED_TRANSITIONS[src])
    suggestion.refresh_from_db()
    assert suggestion.status == src and suggestion.events.count() == before


@pytest.mark.parametrize("comment", ["", "   "])
def test_a_comment_is_required(record, route, comment):
    suggestion = record()
    with pytest.raises(ValidationError) as exc:
        suggestion_transition(suggestion=suggestion, to_status=S.FORWARDED, comment=comment)
    assert codes(exc.value, "comment") == ["comment_required"]
    suggestion.refresh_from_db()
    assert suggestion.status == S.NEW


def test_forwarding_needs_a_body(record):
    suggestion = record(category=None)  # nothing routed it
    with pytest.raises(ValidationError) as exc:
        suggestion_transition(suggestion=suggestion, to_status=S.FORWARDED, comment="Куда?")
    assert codes(exc.value, "body") == ["body_required"]


def test_a_body_is_named_only_when_forwarding(record, route):
    suggestion = record()
    with pytest.raises(ValidationError) as exc:
        suggestion_transition(
            suggestion=suggestion, to_status=S.REJECTED, comment="Нет", body=route.body
        )
    assert codes(exc.value, "body") == ["body_not_forwarding"]


def test_not_in_competence_then_forwarded_to_another_body(record, route):
    suggestion = record()
    suggestion = suggestion_transition(
        suggestion=suggestion, to_status=S.FORWARDED, comment="В ЖКХ"
    )
    suggestion = suggestion_transition(
        suggestion=suggestion, to_status=S.NOT_COMPETENT, comment="Это не к нам"
    )
    assert suggestion.body is None
    with pytest.raises(ValidationError) as exc:  # the body that declined cannot get it back
        suggestion_transition(
            suggestion=suggestion, to_status=S.FORWARDED, comment="Снова", body=route.body
        )
    assert codes(exc.value, "body") == ["body_declined"]
    right = ResponsibleBodyFactory(name="Ветеринарная служба акимата")

    suggestion = suggestion_transition(
        suggestion=suggestion, to_status=S.FORWARDED, comment="Перенаправлено", body=right
    )

    assert (suggestion.status, suggestion.body) == (S.FORWARDED, right)
    assert suggestion.deadline > suggestion.meeting.held_at.date()  # counted from today


def test_the_history_keeps_who_when_from_to_and_why(held, lighting, route, superuser):
    suggestion = suggestion_save(
        suggestion=SuggestionFactory.build(meeting=held, category=lighting),
        user=superuser,
        at=local(2025, 3, 10, 19),
    )
    steps = [
        (S.FORWARDED, "Направлено письмом", local(2025, 3, 11, 10)),
        (S.IN_PROGRESS, "Принято в работу", local(2025, 3, 12, 11)),
        (S.RESOLVED, "Фонари установлены", local(2025, 3, 25, 16)),
    ]
    for status, comment, at in steps:
        suggestion = suggestion_transition(
            suggestion=suggestion, to_status=status, comment=comment, user=superuser, at=at
        )
    suggestion_comment(suggestion=suggestion, comment="Жители благодарят", user=superuser)

    events = list(suggestion.events.all())
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "new"),
        ("new", "forwarded"),
        ("forwarded", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "resolved"),
    ]
    assert [e.kind for e in events][-1] == SuggestionEvent.Kind.COMMENT
    assert [e.at for e in events[1:4]] == [at for _, _, at in steps]
    assert [e.comment for e in events[1:]] == [c for _, c, _ in steps] + ["Жители благодарят"]
    assert all(e.user == superuser for e in events)
    assert suggestion.resolved_on == datetime.date(2025, 3, 25)
    assert suggestion.resolution == "Фонари установлены"


def test_an_empty_comment_is_refused(record):
    with pytest.raises(ValidationError) as exc:
        suggestion_comment(suggestion=record(), comment=" ")
    assert codes(exc.value, "comment") == ["comment_empty"]


def test_edits_never_change_the_status(record):
    suggestion = record()
    suggestion.status = S.RESOLVED
    with pytest.raises(ValidationError) as exc:
        suggestion_save(suggestion=suggestion)
    assert messages(exc.value, "status") == [str(MSG_STATUS_BY_TRANSITION)]
    suggestion.refresh_from_db()
    suggestion.text = "Исправленный текст"
    suggestion.external_ref = "ЖТ-2025-00001234"
    suggestion_save(suggestion=suggestion)
    suggestion.refresh_from_db()
    assert (suggestion.text, suggestion.status) == ("Исправленный текст", S.NEW)


# --- Overdue: past the deadline and not closed -------------------------------------------------

TODAY = datetime.date(2025, 6, 10)


@pytest.mark.parametrize(
    "deadline, status, overdue",
    [
        (TODAY - datetime.timedelta(days=1), S.FORWARDED, True),
        (TODAY - datetime.timedelta(days=30), S.NEW, True),
        (TODAY - datetime.timedelta(days=1), S.IN_PROGRESS, True),
        (TODAY - datetime.timedelta(days=1), S.NOT_COMPETENT, True),
        (TODAY, S.FORWARDED, False),  # the last day is still in time
        (TODAY + datetime.timedelta(days=5), S.FORWARDED, False),
        (None, S.FORWARDED, False),
        (TODAY - datetime.timedelta(days=1), S.RESOLVED, False),
        (TODAY - datetime.timedelta(days=1), S.REJECTED, False),
    ],
)
def test_overdue_from_the_deadline(held, deadline, status, overdue):
    suggestion = SuggestionFactory(meeting=held, deadline=deadline, status=status)
    assert suggestion.is_overdue(TODAY) is overdue
    assert Suggestion.objects.overdue(TODAY).filter(pk=suggestion.pk).exists() is overdue
    assert suggestion_list(today=TODAY).get(pk=suggestion.pk).overdue is overdue


def test_a_merged_suggestion_is_never_overdue(held):
    target = SuggestionFactory(meeting=held, deadline=TODAY)
    merged = SuggestionFactory(
        meeting=held,
        deadline=TODAY - datetime.timedelta(days=9),
        status=S.MERGED,
        merged_into=target,
    )
    assert not merged.is_overdue(TODAY)
    assert not Suggestion.objects.overdue(TODAY).exists()


def test_open_and_overdue_by_body_and_by_district(held, route):
    late = TODAY - datetime.timedelta(days=3)
    other_body = ResponsibleBodyFactory(name="Горсвет")
    SuggestionFactory.create_batch(
        2, meeting=held, body=route.body, deadline=late, status=S.FORWARDED
    )
    SuggestionFactory(meeting=held, body=route.body, deadline=TODAY, status=S.IN_PROGRESS)
    SuggestionFactory(meeting=held, body=other_body, deadline=late, status=S.RESOLVED)
    SuggestionFactory(meeting=held, body=None, deadline=late, status=S.NOT_COMPETENT)

    by_body = {t.id: (t.name, t.open, t.overdue) for t in suggestion_tally_by_body(today=TODAY)}
    by_district = suggestion_tally_by_district(today=TODAY)

    assert by_body == {route.body.pk: (route.body.name, 3, 2), None: ("", 1, 1)}
    (district,) = by_district
    assert (district.id, district.open, district.overdue) == (held.precinct.district_id, 4, 3)
    scoped = suggestion_tally_by_body(district_id=held.precinct.district_id + 1, today=TODAY)
    assert scoped == []
