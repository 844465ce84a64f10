import pytest

from tests.factories import MeetingFactory, ModularPostFactory, StationFactory, SuggestionFactory


@pytest.mark.django_db
def test_factories_build_a_valid_graph():
    for obj in (StationFactory(), ModularPostFactory(), SuggestionFactory()):
        obj.full_clean()
    meeting = MeetingFactory()
    meeting.full_clean()
    assert meeting.inspector.assignments.count() == 1


def test_home_page_renders(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "ServicePolice" in response.content.decode()
