"""Shared fixtures. Speed-ups for tests live here, not in a second settings module."""

import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    # `make test` compiles the catalogs; a bare `pytest` run must not test stale ones.
    catalogs = [*BASE_DIR.glob("locale/*/LC_MESSAGES/*.po")]
    catalogs += BASE_DIR.glob("locale_upstream/*/LC_MESSAGES/*.po")
    for po in catalogs:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.COVERAGE_ASYNC = False  # recompute right after commit, in the test's thread
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    # A request in another language leaves that language active in the thread (LocaleMiddleware
    # activates, nothing deactivates): every test starts and ends in the default, Russian.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_simplified_outlines():
    # Simplified outlines and finished overview answers are kept per process, by row and
    # version: no test sees another's.
    from servicepolice.response_cache import response_cache_clear
    from servicepolice.simplified import simplified_cache_clear

    simplified_cache_clear()
    response_cache_clear()


@pytest.fixture
def district(db):
    from tests.factories import DistrictFactory

    return DistrictFactory()


@pytest.fixture
def precinct(db, district):
    from tests.factories import PrecinctFactory

    return PrecinctFactory(district=district)


@pytest.fixture
def inspector(db, precinct):
    from tests.factories import InspectorFactory

    return InspectorFactory(precinct=precinct)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        username="root", email="root@example.kz", password="root-password-1"
    )


@pytest.fixture
def admin_client_logged(client, superuser):
    client.force_login(superuser)
    return client
