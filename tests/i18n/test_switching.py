"""The language switcher: on every page and in the admin; a visitor's choice lives in the
cookie, a signed-in user's is stored and comes back on the next sign-in, in any browser, and
wins over the cookie and Accept-Language; the admin follows it."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from preferences.models import LanguagePreference
from tests.factories import DistrictFactory

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang>"
    return match.group(1)


def switcher_languages(html: str) -> list[str]:
    form = re.search(r'<form class="language-switcher".*?</form>', html, flags=re.S)
    assert form, "no language switcher"
    assert f'action="{SETLANG}"' in form.group(0)
    return re.findall(r'name="language" value="(\w+)"', form.group(0))


@pytest.mark.parametrize("url", ["/", "/map/", "/find/"])
def test_every_page_has_the_switcher_with_the_three_languages(client, url):
    html = client.get(url).content.decode()
    assert switcher_languages(html) == ["ru", "kk", "en"]


def test_the_admin_has_the_switcher_too(client, admin_client_logged):
    html = admin_client_logged.get(reverse("admin:index")).content.decode()
    assert switcher_languages(html) == ["ru", "kk", "en"]
    client.logout()
    login_page = client.get(reverse("admin:login"))
    assert switcher_languages(login_page.content.decode()) == ["ru", "kk", "en"]


def test_the_default_is_russian(client):
    response = client.get("/map/")
    assert html_lang(response) == "ru"
    assert "Шаговая доступность полиции по районам" in response.content.decode()


def test_a_visitor_switches_by_cookie_and_nothing_is_stored(client):
    response = client.post(SETLANG, {"language": "en", "next": "/map/"})
    assert response.status_code == 302 and response.url == "/map/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/map/")
    assert html_lang(page) == "en"
    assert "Police within walking distance, by district" in page.content.decode()
    assert page["Content-Language"] == "en"
    assert not LanguagePreference.objects.exists()


def test_accept_language_chooses_for_a_visitor_without_a_cookie(client):
    page = client.get("/map/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(page) == "en"


def test_a_signed_in_users_choice_is_stored_and_follows_them(client, superuser):
    client.force_login(superuser)
    client.post(SETLANG, {"language": "en", "next": "/admin/"})
    assert LanguagePreference.objects.get(user=superuser).language == "en"

    # Another browser: no cookie, a Kazakh Accept-Language; the sign-in brings English back.
    from django.test import Client

    other = Client(HTTP_ACCEPT_LANGUAGE="kk")
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    other.force_login(superuser)
    admin_index = other.get(reverse("admin:index"))
    assert html_lang(admin_index) == "en"
    assert "Log out" in admin_index.content.decode()
    assert html_lang(other.get("/map/")) == "en"


def test_the_admin_follows_the_users_language(client, superuser):
    client.force_login(superuser)
    client.post(SETLANG, {"language": "en", "next": "/admin/"})
    html = client.get(reverse("admin:stations_district_changelist")).content.decode()
    assert "Select district to change" in html
    assert "districts" in html.lower()


def test_a_switch_after_signing_in_changes_the_stored_choice(client, superuser):
    LanguagePreference.objects.create(user=superuser, language="en")
    client.force_login(superuser)
    client.post(SETLANG, {"language": "ru", "next": "/map/"})
    assert LanguagePreference.objects.get(user=superuser).language == "ru"
    assert html_lang(client.get("/map/")) == "ru"


def test_signing_out_leaves_the_choice_stored_and_the_session_clean(client, superuser):
    client.force_login(superuser)
    client.post(SETLANG, {"language": "en", "next": "/map/"})
    client.post(reverse("admin:logout"))
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert html_lang(client.get("/map/")) == "ru"
    assert LanguagePreference.objects.get(user=superuser).language == "en"


def test_an_unknown_language_changes_nothing(client, superuser):
    client.force_login(superuser)
    response = client.post(SETLANG, {"language": "de", "next": "/map/"})
    assert response.status_code == 302
    assert not LanguagePreference.objects.exists()
    assert html_lang(client.get("/map/")) == "ru"


def test_the_switch_only_takes_post(client):
    assert client.get(SETLANG, {"language": "en"}).status_code == 405


def test_pages_show_names_in_the_active_language(client, superuser):
    district = DistrictFactory(name="Алатауский район", name_kk="Алатау ауданы")
    client.force_login(superuser)
    url = reverse("reach:district", args=[district.pk])
    client.post(SETLANG, {"language": "kk", "next": "/"})
    assert "<h1>Алатау ауданы" in client.get(url).content.decode()
    client.post(SETLANG, {"language": "en", "next": "/"})
    assert "<h1>Алатауский район" in client.get(url).content.decode()
