"""Hardening: production settings pass `check --deploy`, the Content-Security-Policy allows no
inline script, logins lock out after repeated failures, request bodies and uploads have
limits with clear answers, and personal data stays out of logs and error reports."""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from officers.models import MSG_PHOTO_TOO_LARGE, PHOTO_MAX_BYTES, Inspector
from servicepolice.security import (
    SCRUBBED,
    PersonalDataExceptionReporterFilter,
    PersonalDataFilter,
    scrub,
)
from stations.models import Region
from tests.factories import InspectorFactory, StationFactory

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with the given environment (settings read env once)."""
    # Not the test process's own switches (the browser tests allow async-unsafe ORM calls).
    skip = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- production settings ---------------------------------------------------------------------


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="registry.example.kz",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_or_weak_secret_key():
    missing = manage("check", DEBUG="0", ALLOWED_HOSTS="registry.example.kz")
    assert missing.returncode != 0 and "SECRET_KEY must be set" in missing.stderr
    weak = manage("check", DEBUG="0", SECRET_KEY="short", ALLOWED_HOSTS="registry.example.kz")
    assert weak.returncode != 0 and "SECRET_KEY is too weak" in weak.stderr


def test_ssl_redirect_and_proxy_header_follow_the_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
        "s.SECURE_HSTS_SECONDS)"
    )
    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "x.kz"}
    behind_proxy = manage(
        "shell", "-c", code, **env, SECURE_SSL_REDIRECT="0", SECURE_PROXY_SSL_HEADER="1"
    )
    assert (
        behind_proxy.stdout.strip().splitlines()[-1]
        == "False ('HTTP_X_FORWARDED_PROTO', 'https') 31536000"
    )
    default = manage("shell", "-c", code, **env)
    assert default.stdout.strip().splitlines()[-1] == "True None 31536000"


# -- Content-Security-Policy -----------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reach:overview", "reach:find", "api-docs"])
def test_pages_allow_no_inline_script_and_load_tiles_from_their_server(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'self'" in policy["script-src"]
    assert "https://tile.openstreetmap.org" in policy["img-src"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    html = response.content.decode()
    # Every script is a file or a JSON data block: nothing inline would run.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.django_db
def test_admin_map_widget_scripts_carry_the_nonce_of_the_policy(admin_client_logged):
    station = StationFactory()
    response = admin_client_logged.get(reverse("admin:stations_station_change", args=[station.pk]))
    policy = directives(response)
    nonces = [s for s in policy["script-src"] if s.startswith("'nonce-")]
    assert len(nonces) == 1 and "'unsafe-inline'" not in policy["script-src"]
    nonce = nonces[0][len("'nonce-") : -1]
    inline = [
        tag
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode())
        if "src=" not in tag and "application/json" not in tag
    ]
    assert inline, "the Leaflet widget starts its map inline"
    assert all(f'nonce="{nonce}"' in tag for tag in inline)


# -- login throttling ------------------------------------------------------------------------


@pytest.fixture
def officer(db, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    return django_user_model.objects.create_user(
        username="officer", password="right-password-1", is_staff=True
    )


def admin_login(client, password: str):
    return client.post(
        reverse("admin:login"), {"username": "officer", "password": password, "next": "/admin/"}
    )


def test_admin_login_locks_out_after_repeated_failures(officer):
    client = Client()
    for _ in range(2):
        assert admin_login(client, "wrong").status_code == 200  # the form, with its error
    locked = admin_login(client, "wrong")
    assert locked.status_code == 429
    assert "Слишком много неудачных попыток" in locked.content.decode()
    assert int(locked["Retry-After"]) == 30 * 60
    # Locked out: even the right password is refused now.
    assert admin_login(client, "right-password-1").status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(officer):
    client = Client()
    for _ in range(2):
        admin_login(client, "wrong")
    assert admin_login(client, "right-password-1").status_code == 302
    client.logout()
    for _ in range(2):
        assert admin_login(client, "wrong").status_code == 200


def test_api_token_endpoint_locks_out_in_the_error_shape(officer):
    client = APIClient()
    url = reverse("auth-token")
    for _ in range(2):
        assert client.post(url, {"username": "officer", "password": "x"}).status_code == 400
    locked = client.post(url, {"username": "officer", "password": "x"})
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out" and "Слишком много" in body["message"]
    right = client.post(url, {"username": "officer", "password": "right-password-1"})
    assert right.status_code == 429 and "token" not in right.json()


def test_another_user_from_the_same_address_is_not_locked_out(officer, django_user_model):
    django_user_model.objects.create_user(username="other", password="other-password-1")
    client = APIClient()
    url = reverse("auth-token")
    for _ in range(3):
        client.post(url, {"username": "officer", "password": "x"})
    other = client.post(url, {"username": "other", "password": "other-password-1"})
    assert other.status_code == 200 and other.json()["token"]


# -- request and upload limits ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(admin_client_logged, settings):
    settings.REQUEST_MAX_BODY_BYTES = 1024
    response = admin_client_logged.post(
        reverse("admin:stations_region_changelist") + "import/",
        {"file": SimpleUploadedFile("big.geojson", b" " * 4096)},
    )
    assert response.status_code == 413
    assert "Запрос слишком большой" in response.content.decode()
    assert Region.objects.count() == 0

    answer = APIClient().post(
        "/api/v1/regions/", {"name": "x" * 4096}, format="json", HTTP_ACCEPT="application/json"
    )
    assert answer.status_code == 413
    assert answer.json()["code"] == "payload_too_large"


@pytest.mark.django_db
def test_import_upload_over_its_limit_says_so_and_writes_nothing(admin_client_logged, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0  # any non-empty file is over it
    response = admin_client_logged.post(
        reverse("admin:stations_region_changelist") + "import/",
        {"file": SimpleUploadedFile("regions.geojson", b'{"type": "FeatureCollection"}')},
    )
    assert response.status_code == 200
    assert "МБ" in response.content.decode()
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_inspector_photo_over_its_limit_is_refused_in_the_admin(admin_client_logged, precinct):
    from tests.test_admin import form_data

    inspector = InspectorFactory(precinct=precinct)
    url = reverse("admin:officers_inspector_change", args=[inspector.pk])
    data = form_data(admin_client_logged.get(url))
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))  # incompressible
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > PHOTO_MAX_BYTES
    data["photo"] = SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")
    response = admin_client_logged.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [str(MSG_PHOTO_TOO_LARGE)]
    inspector.refresh_from_db()
    assert not inspector.photo


# -- personal data out of logs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "personal_phone=+7 701 123 45 67 saved",
        '{"personnel_number": "УИП-0042", "last_name": "Иванов"}',
        "{'phone': '87011234567'}",
        "звонок с 8 (7222) 12-34-56",
    ],
)
def test_scrub_removes_phones_and_personal_fields(message):
    cleaned = scrub(message)
    assert SCRUBBED in cleaned
    assert not re.search(r"\d{3}.?\d{2}.?\d{2}", cleaned)
    assert "УИП-0042" not in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "GET /api/v1/inspectors/42/ 200 in 2024-01-01 (12 ms)",
        # Timestamps have as many digits as a phone number (axes logs them).
        "attempts older than 2026-11-27 18:59:49.233905+00:00",
        "at 2026-11-27 18:59",
    ],
)
def test_scrub_leaves_ordinary_text_alone(text):
    assert scrub(text) == text


def test_configured_log_handlers_scrub_personal_data():
    handlers = [
        h
        for name in ("", "django", "django.request", "django.server")
        for h in logging.getLogger(name).handlers
        if type(h).__module__.split(".")[0] != "_pytest"
    ]
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, PersonalDataFilter) for f in handler.filters), handler

    console = next(h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        logging.getLogger("officers").warning(
            "inspector %s changed: %r", "Иванов", {"personal_phone": "+7 701 123 45 67"}
        )
    finally:
        console.setStream(previous)
    line = stream.getvalue()
    assert "Иванов" in line and "+7 701" not in line and SCRUBBED in line


def test_error_reports_hide_personal_post_fields():
    request = RequestFactory().post(
        "/admin/officers/inspector/1/change/",
        {
            "last_name": "Иванов",
            "personal_phone": "+7 701 123 45 67",
            "assistants-0-phone": "+7 702 000 00 00",
        },
    )
    params = PersonalDataExceptionReporterFilter().get_post_parameters(request)
    assert params["last_name"] == "Иванов"
    assert "+7" not in params["personal_phone"] and "+7" not in params["assistants-0-phone"]


def test_inspector_change_form_marks_its_personal_fields_sensitive(admin_client_logged):
    inspector = InspectorFactory()
    url = reverse("admin:officers_inspector_change", args=[inspector.pk])
    response = admin_client_logged.post(url, {"personal_phone": "+7 701 123 45 67"})
    assert set(response.wsgi_request.sensitive_post_parameters) >= {
        "personal_phone",
        "personnel_number",
    }
    assert Inspector.objects.get(pk=inspector.pk).personal_phone != "+7 701 123 45 67"
