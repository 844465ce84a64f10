"""The API answers errors in the language of Accept-Language (Russian without one), and names
of bilingual rows in that language too: `name` is the display name (Kazakh in Kazakh when
there is one, Russian otherwise), `name_ru` and `name_kk` the stored names."""

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.throttling import SimpleRateThrottle

from servicepolice.api import (
    MSG_GEOMETRY_OUTSIDE_KZ,
    MSG_LIMIT,
    MSG_VALIDATION,
    throttled_message,
)
from tests.api.utils import assert_error, field_messages, point, url
from tests.factories import CategoryFactory, DistrictFactory, RegionFactory, SettlementFactory

pytestmark = pytest.mark.django_db


def lang(code):
    return {"HTTP_ACCEPT_LANGUAGE": code} if code else {}


# Django's and DRF's own messages: both ship Russian and Kazakh catalogs.
@pytest.mark.parametrize(
    "language, words",
    [
        (None, "Страница не найдена."),
        ("ru", "Страница не найдена."),
        ("en", "Not found."),
        ("kk", "Табылмады."),
    ],
)
def test_not_found(api_client, language, words):
    response = api_client.get(url("stations", 999_999), **lang(language))
    assert assert_error(response, 404)["message"] == words
    assert response["Content-Language"] == (language or "ru")


@pytest.mark.parametrize(
    "language, words",
    [
        ("ru", "Учетные данные не были предоставлены."),
        ("en", "Authentication credentials were not provided."),
        ("kk", "Аутентификация деректері берілмеген."),
    ],
)
def test_not_signed_in(api_client, language, words):
    response = api_client.post(url("posts"), {}, format="json", **lang(language))
    assert assert_error(response, 401)["message"] == words


@pytest.mark.parametrize(
    "language, words",
    [
        ("ru", "У вас недостаточно прав для выполнения данного действия."),
        ("en", "You do not have permission to perform this action."),
        ("kk", "Бұл әрекетті орындауға рұқсатыңыз жоқ."),
    ],
)
def test_permission_denied(reader_client, language, words):
    response = reader_client.post(url("posts"), {}, format="json", **lang(language))
    assert assert_error(response, 403)["message"] == words


@pytest.mark.parametrize(
    "language, required",
    [
        ("ru", "Обязательное поле."),
        ("en", "This field is required."),
        ("kk", "Бұл мән міндетті."),
    ],
)
def test_field_messages_of_drf(staff_client, language, required):
    response = staff_client.post(url("posts"), {}, format="json", **lang(language))
    assert assert_error(response, 400, field="district")
    assert field_messages(response, "district") == [required]


# Our own messages: in our catalog (locale/). Expected: the catalog's text for the language,
# which must differ from the Russian msgid (that fails for Kazakh until its catalog arrives).
OWN_LANGUAGES = ["ru", "en", "kk"]


def translated(message, language: str, **params) -> str:
    """The message in `language`, checked to be a translation (not the Russian msgid) there."""
    with translation.override("ru"):
        russian = str(message)
    with translation.override(language):
        text = str(message)
    if language != "ru":
        assert text != russian, f"{language}: untranslated {russian!r}"
    return text % params if params else text


@pytest.mark.parametrize("language", OWN_LANGUAGES)
def test_the_summary_of_a_validation_error(staff_client, language):
    response = staff_client.post(url("posts"), {}, format="json", **lang(language))
    assert assert_error(response, 400)["message"] == translated(MSG_VALIDATION, language)


def test_the_summary_in_english():
    assert translated(MSG_VALIDATION, "en") == "Check the data you entered."


@pytest.mark.parametrize("language", OWN_LANGUAGES)
def test_our_geometry_validation(staff_client, district, language):
    body = {"district": district.pk, "number": "№7", "address": "ул. Абая, 7"}
    body["geom"] = point(-73.98, 40.75)  # New York
    response = staff_client.post(url("stations"), body, format="json", **lang(language))
    assert_error(response, 400, field="geom")
    template = translated(MSG_GEOMETRY_OUTSIDE_KZ, language)
    assert field_messages(response, "geom")[0].startswith(template.split("%(")[0])
    if language == "en":
        assert field_messages(response, "geom")[0].startswith("Coordinates outside Kazakhstan")


@pytest.mark.parametrize("language", OWN_LANGUAGES)
def test_paging_limits(api_client, language):
    response = api_client.get(url("regions"), {"limit": 0}, **lang(language))
    assert_error(response, 400, field="limit")
    expected = translated(MSG_LIMIT, language, max=500)
    assert field_messages(response, "limit") == [expected]
    if language == "en":
        assert expected == "Parameter limit: a whole number from 1 to 500."


@pytest.mark.parametrize("language", OWN_LANGUAGES)
def test_throttled(api_client, monkeypatch, language):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": "1000/minute"}
    )
    cache.clear()
    api_client.get(url("regions"))
    response = api_client.get(url("regions"), **lang(language))
    message = assert_error(response, 429)["message"]
    wait = int(response["Retry-After"])
    assert wait > 0
    with translation.override("ru"):
        russian = throttled_message(wait)
    with translation.override(language):
        assert message == throttled_message(wait)
    if language != "ru":
        assert message != russian
    assert "Expected available" not in message


def test_russian_plural_of_the_wait():
    with translation.override("ru"):
        assert throttled_message(1).endswith("через 1 секунду.")
        assert throttled_message(3).endswith("через 3 секунды.")
        assert throttled_message(25).endswith("через 25 секунд.")
    with translation.override("en"):
        assert throttled_message(1).endswith("in 1 second.")
        assert throttled_message(59.2).endswith("in 60 seconds.")


# --- bilingual names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, shown",
    [
        (None, "Абайская область"),
        ("ru", "Абайская область"),
        ("en", "Абайская область"),
        ("kk", "Абай облысы"),
    ],
)
def test_region_name_follows_the_language(api_client, language, shown):
    region = RegionFactory(name="Абайская область", name_kk="Абай облысы")
    body = api_client.get(url("regions", region.pk), **lang(language)).json()
    assert body["name"] == shown
    assert body["name_ru"] == "Абайская область"
    assert body["name_kk"] == "Абай облысы"


def test_geojson_names_follow_the_language_too(api_client):
    district = DistrictFactory(name="город Семей", name_kk="Семей қаласы")
    response = api_client.get(
        url("districts", district.pk), HTTP_ACCEPT="application/geo+json", **lang("kk")
    )
    properties = response.json()["properties"]
    assert (properties["name"], properties["name_ru"]) == ("Семей қаласы", "город Семей")


def test_without_a_kazakh_name_kazakh_readers_get_the_russian_one(api_client):
    category = CategoryFactory(code="lamps", name="Освещение", name_kk="")
    body = api_client.get(url("suggestion-categories", category.pk), **lang("kk")).json()
    assert body["name"] == "Освещение"


def test_a_write_to_name_sets_the_russian_name(staff_client):
    category = CategoryFactory(code="lamps", name="Освещение", name_kk="Жарықтандыру")
    response = staff_client.patch(
        url("suggestion-categories", category.pk),
        {"name": "Уличное освещение"},
        format="json",
        **lang("kk"),
    )
    assert response.status_code == 200, response.content
    category.refresh_from_db()
    assert (category.name, category.name_kk) == ("Уличное освещение", "Жарықтандыру")
    assert response.json()["name"] == "Жарықтандыру"


def test_responsible_bodies_carry_both_names(staff_client):
    response = staff_client.post(
        url("responsible-bodies"),
        {"name": "Отдел ЖКХ", "name_kk": "ТКШ бөлімі", "kind": "akimat"},
        format="json",
        **lang("kk"),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["name"], response.json()["name_ru"]) == ("ТКШ бөлімі", "Отдел ЖКХ")


def test_settlement_names_follow_the_language(api_client):
    settlement = SettlementFactory(name="с. Бобровка", name_kk="Бобровка ауылы")
    body = api_client.get(url("settlements", settlement.pk), **lang("kk")).json()
    assert (body["name"], body["name_ru"], body["name_kk"]) == (
        "Бобровка ауылы",
        "с. Бобровка",
        "Бобровка ауылы",
    )
    assert api_client.get(url("settlements", settlement.pk), **lang("en")).json()["name"] == (
        "с. Бобровка"
    )
