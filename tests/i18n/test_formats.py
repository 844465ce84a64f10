"""Dates, numbers and decimal separators follow the active language in the templates, and the
map scripts get the language to format with (Intl.NumberFormat(lang))."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

NBSP = "\xa0"
TEMPLATE = Template(
    "{% load reach_pages %}{{ big|number }}|{{ share|percent }}|{{ far|metres }}|"
    "{{ day|date:'SHORT_DATE_FORMAT' }}|{{ fraction }}"
)
VALUES = {
    "big": 350_000,
    "share": 0.0667,
    "far": 2480,
    "day": datetime.date(2026, 11, 27),
    "fraction": 1234.5,
}


@pytest.mark.parametrize(
    "language, expected",
    [
        ("ru", f"350{NBSP}000|6,7 %|2,5 км|27.11.2026|1234,5"),
        ("kk", f"350{NBSP}000|6,7 %|2,5 км|27.11.2026|1234,5"),
        ("en", "350,000|6.7 %|2.5 km|11/27/2026|1234.5"),
    ],
)
def test_numbers_and_dates_follow_the_language(language, expected):
    with translation.override(language):
        assert TEMPLATE.render(Context(VALUES)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_map_scripts_format_in_the_page_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get("/map/").content.decode()
    assert f'<html lang="{language}">' in html
    config = re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html)
    assert json.loads(config.group(1))["lang"] == language


@pytest.mark.parametrize(
    "language, row, shown",
    [
        ("kk", {"name": "с. Бобровка", "name_kk": "Бобровка ауылы"}, "Бобровка ауылы"),
        ("ru", {"name": "с. Бобровка", "name_kk": "Бобровка ауылы"}, "с. Бобровка"),
        ("en", {"name": "с. Бобровка", "name_kk": "Бобровка ауылы"}, "с. Бобровка"),
        ("kk", {"name": "с. Бобровка", "name_kk": ""}, "с. Бобровка"),
        ("kk", {"name": "с. Бобровка"}, "с. Бобровка"),  # a snapshot from before name_kk
    ],
)
def test_names_kept_in_snapshots_follow_the_language(language, row, shown):
    template = Template("{% load reach_pages %}{{ row|localized_name }}")
    with translation.override(language):
        assert template.render(Context({"row": row})) == shown
