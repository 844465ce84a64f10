"""Fixtures for the REST API tests: clients, a staff user with model permissions, a token."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.helpers import nationwide

# The models behind the API resources, as (app_label, model_name).
API_MODELS = [
    ("stations", "region"),
    ("stations", "district"),
    ("stations", "precinct"),
    ("stations", "settlement"),
    ("stations", "station"),
    ("stations", "modularpost"),
    ("officers", "inspector"),
    ("officers", "assistant"),
    ("meetings", "meeting"),
    ("meetings", "suggestion"),
    ("meetings", "category"),
    ("meetings", "responsiblebody"),
    ("meetings", "routingrule"),
]
ACTIONS = ("add", "change", "delete", "view")


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch):
    """No API test is throttled unless it lowers the rates itself; counters start empty."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "100000/second", "user": "100000/second"}
    )
    cache.clear()
    yield
    cache.clear()


def grant(user, *codenames: str):
    """Give a user permissions by "app_label.codename" and drop Django's permission cache."""
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)
    return user


@pytest.fixture
def make_user(db, django_user_model):
    """A factory of active users with the given permissions ("app_label.codename")."""
    counter = {"n": 0}

    def make(*codenames: str, username: str | None = None):
        counter["n"] += 1
        user = django_user_model.objects.create_user(
            username=username or f"user{counter['n']}", password="secret-password-1"
        )
        return grant(nationwide(user), *codenames)

    return make


@pytest.fixture
def staff_user(make_user):
    """An officer of the registry: add/change/delete/view on every API model, not a superuser."""
    codenames = [f"{app}.{action}_{model}" for app, model in API_MODELS for action in ACTIONS]
    return make_user(*codenames, username="registrar")


@pytest.fixture
def api_client():
    """An anonymous API client."""
    return APIClient()


@pytest.fixture
def staff_client(staff_user):
    client = APIClient()
    client.force_authenticate(staff_user)
    return client


@pytest.fixture
def reader_client(make_user):
    """Signed in, may view private fields of nothing and add nothing."""
    client = APIClient()
    client.force_authenticate(make_user(username="reader"))
    return client


@pytest.fixture
def staff_token(staff_user):
    return Token.objects.create(user=staff_user)


@pytest.fixture
def token_client(staff_token):
    """A client that authenticates with `Authorization: Token ...`, as other systems do."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {staff_token.key}")
    return client
