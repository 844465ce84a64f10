"""The language switcher in Chromium: a visitor switches the map page to Kazakh and sees its
headings, legend and table in Kazakh (district names too); a signed-in user's choice comes
back after signing out and in again, with no cookie left from before."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import DistrictFactory, PrecinctFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kazakh(msgid: str) -> str:
    """The Kazakh catalog's text for a Russian msgid; it must be a translation."""
    with translation.override("kk"):
        text = translation.gettext(msgid)
    assert text != msgid, f"no Kazakh for {msgid!r}"
    return text


H1_RU = "Шаговая доступность полиции по районам"
KAZAKH_LETTERS = set("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


@pytest.fixture
def district():
    district = DistrictFactory(name="город Семей", name_kk="Семей қаласы", population=1000)
    PrecinctFactory(district=district, number=1, population=1000)
    return district


def open_map(page, url):
    page.goto(url)
    page.locator("[data-map][data-loaded]").wait_for(state="attached")


def switch_to(page, language):
    with page.expect_navigation():
        page.locator(f'.language-switcher button[value="{language}"]').click()
    page.locator("[data-map][data-loaded]").wait_for(state="attached")


def test_a_visitor_switches_the_map_page_to_kazakh(page, live_server, district):
    open_map(page, live_server.url + reverse("reach:overview"))
    assert page.locator("h1").inner_text() == H1_RU
    assert page.locator(".map-legend summary").inner_text() == "Условные обозначения"

    switch_to(page, "kk")

    assert page.evaluate("document.documentElement.lang") == "kk"
    h1 = page.locator("h1").inner_text()
    assert h1 == kazakh(H1_RU) and KAZAKH_LETTERS & set(h1)
    assert page.locator("#districts-table-title").inner_text() == kazakh("Районы")
    legend = page.locator(".map-legend")
    assert legend.locator("summary").inner_text() == kazakh("Условные обозначения")
    assert legend.locator("h3").first.inner_text() == kazakh("Население в зоне шаговой доступности")
    assert kazakh("нет данных") in legend.inner_text()
    header = page.locator("#districts-table thead").inner_text()
    for title in ("Район", "Население", "Посты", "Покрытие", "Вакансии"):
        assert kazakh(title) in header
    # The table's rows come from the API, which answers in the page's language.
    assert page.locator("#districts-table tbody tr a").first.inner_text() == "Семей қаласы"
    nav = page.locator(".site-nav")
    assert kazakh("Найти участкового") in nav.inner_text()
    assert nav.locator('button[value="kk"]').is_disabled()

    # The choice stays for the next page.
    open_map(page, live_server.url + reverse("reach:overview"))
    assert page.locator("h1").inner_text() == kazakh(H1_RU)


def test_a_signed_in_users_choice_comes_back_on_the_next_sign_in(
    page, live_server, district, admin_login
):
    admin_login()
    assert page.evaluate("document.documentElement.lang") == "ru"
    open_map(page, live_server.url + reverse("reach:overview"))
    switch_to(page, "kk")
    assert page.locator("h1").inner_text() == kazakh(H1_RU)

    with page.expect_navigation():
        page.locator(".site-nav .logout button").click()
    page.context.clear_cookies()  # another browser: no session, no language cookie
    open_map(page, live_server.url + reverse("reach:overview"))
    assert page.locator("h1").inner_text() == H1_RU

    admin_login()
    assert page.evaluate("document.documentElement.lang") == "kk"  # the admin follows
    open_map(page, live_server.url + reverse("reach:overview"))
    assert page.locator("h1").inner_text() == kazakh(H1_RU)
    assert page.locator(".map-legend summary").inner_text() == kazakh("Условные обозначения")
