"""Property-based tests over the OpenAPI schema: schemathesis generates valid and invalid
requests for every operation and sends them to the WSGI app in-process; no input may make the
API answer 5xx. Anonymous clients try every GET; a superuser (token) tries every operation.

Bounded and repeatable (derandomized). Anonymous reads also get schemathesis's coverage phase
(every boundary and invalid value the schema implies for each query parameter, a few hundred
requests per operation); the superuser's run, where bodies make that phase several times
larger, gets the random examples only, more of them.
"""

from __future__ import annotations

import copy
import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from tests.factories import (
    AssistantFactory,
    MeetingFactory,
    ModularPostFactory,
    SettlementFactory,
    StationFactory,
    SuggestionFactory,
)

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
FUZZ_MORE = settings(FUZZ, max_examples=20)


@pytest.fixture
def wsgi_app(db):
    """The project's WSGI app, in the test's database transaction.

    Django closes "old" connections at the start and end of each request; inside the test's
    transaction that would drop it (on PostgreSQL), so, as Django's own test client does, the
    handler is detached from those signals for the test.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def registry(db):
    """A little of everything, so generated ids sometimes hit a row."""
    suggestion = SuggestionFactory()
    meeting = suggestion.meeting
    AssistantFactory(inspector=meeting.inspector)
    StationFactory(district=meeting.precinct.district, precinct=meeting.precinct)
    ModularPostFactory(district=meeting.precinct.district)
    SettlementFactory(district=meeting.precinct.district)
    MeetingFactory(inspector=meeting.inspector)
    return suggestion


def _openapi() -> dict:
    """The OpenAPI document as /api/v1/schema/ serves it, built without a request."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# Loaded at collection, so each operation is a test of its own (`test_...[GET /api/v1/...]`).
OPENAPI = _openapi()
schema = schemathesis.openapi.from_dict(copy.deepcopy(OPENAPI))
schema_without_coverage_phase = schemathesis.openapi.from_dict(
    copy.deepcopy(OPENAPI),
    config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
)


@pytest.fixture
def superuser_token(superuser):
    return Token.objects.create(user=superuser).key


def _call(case, app, **kwargs):
    response = case.call(app=app, **kwargs)
    assert response.status_code < 500, (response.status_code, response.text[:2000])
    case.validate_response(
        response,
        checks=[not_a_server_error],
        headers=kwargs.get("headers"),
        transport_kwargs={"app": app},
    )
    return response


# The schema and the docs page take only a format and a language; they are checked once each
# below instead of being regenerated for every example.
SCHEMA_PAGES = r"/(schema|docs)/$"


@schema.include(method="GET").exclude(path_regex=SCHEMA_PAGES).parametrize()
@FUZZ
def test_anonymous_reads_never_fail(case, wsgi_app, registry):
    _call(case, wsgi_app)


@schema_without_coverage_phase.exclude(path_regex=SCHEMA_PAGES).parametrize()
@FUZZ_MORE
def test_superuser_operations_never_fail(case, wsgi_app, registry, superuser_token):
    _call(case, wsgi_app, headers={"Authorization": f"Token {superuser_token}"})


def test_every_operation_is_fuzzed():
    """The schema lists every resource's CRUD, the nested routes, locate and the token."""
    operations = {
        (op.method.upper(), op.path)
        for op in (result.ok() for result in schema.get_all_operations())
    }
    for resource in (
        "regions",
        "districts",
        "precincts",
        "settlements",
        "stations",
        "posts",
        "inspectors",
        "assistants",
        "meetings",
        "suggestions",
        "suggestion-categories",
        "responsible-bodies",
        "routing-rules",
    ):
        base = f"/api/v1/{resource}/"
        one = f"{base}{{id}}/"
        expected = {("GET", base), ("POST", base), ("GET", one), ("PUT", one)}
        expected |= {("PATCH", one), ("DELETE", one)}
        assert expected <= operations, resource
    for action in ("team", "meetings", "suggestions"):
        assert ("GET", f"/api/v1/precincts/{{id}}/{action}/") in operations
    assert ("GET", "/api/v1/locate/") in operations
    for action in ("transition", "route", "comment", "merge"):
        assert ("POST", f"/api/v1/suggestions/{{id}}/{action}/") in operations
    assert ("GET", "/api/v1/suggestions/{id}/history/") in operations
    assert ("GET", "/api/v1/suggestions/summary/") in operations
    assert ("GET", "/api/v1/compliance/") in operations
    assert ("POST", "/api/v1/auth/token/") in operations


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_schema_in_every_format_and_language(api_client, fmt, lang):
    response = api_client.get("/api/v1/schema/", {"format": fmt, "lang": lang})
    assert response.status_code == 200
    assert b"/api/v1/locate/" in response.content
