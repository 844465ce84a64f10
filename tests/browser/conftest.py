"""Playwright (sync API) driving Debian's Chromium; nothing downloads a browser."""

import os

import pytest

# The live server and the ORM share the test process with Playwright's event loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})

    # Only the live server answers: tiles and anything else outside fail at once, as they do
    # offline, instead of waiting for a network timeout. The page must work without them.
    def offline(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def admin_login(page, live_server, superuser):
    """Log in through the admin's login form, as a person would."""

    def login() -> None:
        page.goto(f"{live_server.url}/admin/login/?next=/admin/")
        page.fill("#id_username", superuser.username)
        page.fill("#id_password", "root-password-1")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")

    return login
