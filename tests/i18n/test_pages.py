"""Every page, the admin index and changelists render in Russian, Kazakh and English with no
untranslated text: the rendered text (text nodes, labels in attributes, the words handed to
the map scripts in json_script) contains none of the Russian msgids whose translation differs,
and <html lang> names the language."""

from __future__ import annotations

import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import Meeting
from meetings.services import suggestion_save
from tests.factories import (
    CategoryFactory,
    InspectorFactory,
    MeetingFactory,
    PrecinctFactory,
    SuggestionFactory,
)
from tests.reach.test_views import build_district

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%\(\w+\)\.\d+f|%[sd]|%%|\{\w*\}")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LETTER = r"[\wА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]"


def untranslated_phrases(language: str) -> set[str]:
    """The Russian text of every message the language's catalog renders differently (or not at
    all): each literal piece between placeholders that is long enough not to occur by chance
    in data (two words, or one of 8 letters and more)."""
    catalog = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    # Words the language writes as Russian does ("Инспектор" in Kazakh) are no sign of a gap
    # when they appear inside a longer message either.
    same = {entry.msgstr for entry in catalog if entry.msgstr and entry.msgstr == entry.msgid}
    phrases = set()
    for entry in catalog:
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for source in sources:
            if source in translations:
                continue  # the same words in both languages ("API", "24/7", "Карта")
            for piece in PLACEHOLDER.split(source):
                piece = piece.strip(" .,:;—–-«»()№")
                if piece in same:
                    continue
                if CYRILLIC.search(piece) and (" " in piece or len(piece) >= 8):
                    phrases.add(piece)
    return phrases


def upstream_fallback_phrases() -> set[str]:
    """Django's and DRF's messages that their own Kazakh catalogs lack (locale_upstream/kk)
    would show in Russian, the fallback language, without ours: their Russian text must not be
    on a Kazakh page."""
    catalog = polib.pofile(
        str(Path(settings.BASE_DIR) / "locale_upstream/kk/LC_MESSAGES/django.po")
    )
    phrases = set()
    with translation.override("ru"):
        for entry in catalog:
            if entry.msgid_plural:
                continue
            if entry.msgctxt:
                russian = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                russian = translation.gettext(entry.msgid)
            for piece in PLACEHOLDER.split(russian):
                piece = piece.strip(" .,:;—–-«»()№")
                if CYRILLIC.search(piece) and (" " in piece or len(piece) >= 8):
                    phrases.add(piece)
    return phrases


class VisibleText(HTMLParser):
    """Text nodes, the labels people see or hear in attributes, strings in json_script."""

    ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.units: list[str] = []
        self.lang: str | None = None
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style"):
            self._script = attrs.get("type", "") if tag == "script" else "style"
        self.units += [value for name, value in attrs.items() if name in self.ATTRIBUTES and value]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.units.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data):
        if self._script is None:
            if data.strip():
                self.units.append(" ".join(data.split()))
        elif self._script == "application/json" and data.strip():
            self.units += list(json_strings(json.loads(data)))


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def leftovers(html: str, phrases: set[str]) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(parser.units)
    found = []
    for phrase in phrases:
        if phrase in text and re.search(
            rf"(?<!{LETTER}){re.escape(phrase)}(?!{LETTER})", text, flags=re.I
        ):
            found.append(phrase)
    return sorted(found)


def html_lang(html: str) -> str | None:
    parser = VisibleText()
    parser.feed(html)
    return parser.lang


@pytest.fixture
def pages(superuser):
    """A district with coverage, an inspector's precinct with a held meeting (suggestions) and
    a planned one: the URL of every page the README lists."""
    from tests.factories import DistrictFactory

    district = DistrictFactory()
    precincts = build_district(district, precincts=3, staffed=2)
    precinct = precincts[0]
    inspector = precinct.inspectors.first() or InspectorFactory(precinct=precinct)
    category = CategoryFactory(code="i18n", name="Освещение двора", name_kk="Аула жарығы")
    held_at = timezone.now() - datetime.timedelta(days=40)
    held = MeetingFactory(inspector=inspector, precinct=precinct, scheduled_at=held_at)
    held.status, held.held_at, held.attendees = Meeting.Status.HELD, held_at, 25
    held.save()
    suggestion_save(
        suggestion=SuggestionFactory.build(meeting=held, text="Фонари у школы", category=category)
    )
    MeetingFactory(
        inspector=inspector,
        precinct=precinct,
        status=Meeting.Status.PLANNED,
        scheduled_at=timezone.now() + datetime.timedelta(days=10),
        held_at=None,
        attendees=None,
    )
    PrecinctFactory(district=district, number=99)
    return {
        "home (visitor)": ("/", False),
        "home (staff)": ("/", True),
        "map": (reverse("reach:overview"), False),
        "find": (reverse("reach:find"), False),
        "district": (reverse("reach:district", args=[district.pk]), True),
        "precinct": (reverse("reach:precinct", args=[precinct.pk]), True),
        "agenda": (reverse("reach:agenda", args=[precinct.pk]), False),
        "report": (reverse("meetings:report", args=[held.pk]), False),
        "dashboard": (reverse("meetings:district-dashboard", args=[district.pk]), True),
        "admin index": (reverse("admin:index"), True),
        "admin stations": (reverse("admin:stations_station_changelist"), True),
        "admin suggestions": (reverse("admin:meetings_suggestion_changelist"), True),
        "admin districts": (reverse("admin:stations_district_changelist"), True),
    }


def render_all(client, superuser, pages, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    rendered = {}
    for name, (path, signed_in) in pages.items():
        if signed_in:
            client.force_login(superuser)
        else:
            client.logout()
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        rendered[name] = response.content.decode()
    return rendered


@pytest.mark.parametrize("language", ["en", "kk"])
def test_every_page_is_fully_translated(client, superuser, pages, language):
    phrases = untranslated_phrases(language)
    assert len(phrases) > 300  # the check has teeth: most of the catalog is looked for
    problems = {}
    for name, html in render_all(client, superuser, pages, language).items():
        assert html_lang(html) == language, name
        found = leftovers(html, phrases)
        if found:
            problems[name] = found
    assert problems == {}


def test_kazakh_pages_show_no_russian_fallback_of_django_messages(client, superuser, pages):
    phrases = upstream_fallback_phrases()
    assert len(phrases) > 100
    problems = {}
    for name, html in render_all(client, superuser, pages, "kk").items():
        found = leftovers(html, phrases)
        if found:
            problems[name] = found
    assert problems == {}


def test_the_check_finds_russian_text(client, superuser, pages):
    # The same pages in Russian: the English check must see plenty of untranslated text.
    phrases = untranslated_phrases("en")
    rendered = render_all(client, superuser, pages, "ru")
    for name, html in rendered.items():
        assert html_lang(html) == "ru", name
        assert leftovers(html, phrases), name


def test_names_on_the_pages_follow_the_language(client, superuser, pages):
    rendered = render_all(client, superuser, {"report": pages["report"]}, "kk")
    assert "Аула жарығы" in rendered["report"]
    rendered = render_all(client, superuser, {"report": pages["report"]}, "en")
    assert "Освещение двора" in rendered["report"]
