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


def test_api_docs_served_offline(client, db):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert client.get("/api/v1/schema/").status_code == 200


def test_api_errors_have_one_shape():
    from django.core.exceptions import ValidationError

    from servicepolice.api import exception_handler

    response = exception_handler(ValidationError({"geom": ["вне района"]}), {})
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert response.data["extra"] == {"fields": {"geom": ["вне района"]}}
    from django.http import Http404

    response = exception_handler(Http404(), {})
    assert response.status_code == 404
    assert response.data["extra"] == {}
    assert response.data["code"] == "not_found"
