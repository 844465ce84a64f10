#!/usr/bin/env python3
"""Writes locale_upstream/kk/LC_MESSAGES/django.po: the messages of Django (core, admin, auth,
contenttypes) and DRF that their own Kazakh catalogs leave untranslated, so that the admin's
frame and the API's stock errors can be Kazakh too (README, "Languages").

The list of messages comes from the packages' complete catalogs (Django's Russian .po, DRF's
English .mo), minus what their Kazakh catalogs translate. Translations already written in our
file are kept; messages the packages no longer have are dropped. Run again after upgrading
Django or DRF. Russian and English need nothing: Django and DRF translate them fully."""

from __future__ import annotations

import sys
from pathlib import Path

import django
import polib
import rest_framework

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = BASE_DIR / "locale_upstream" / "kk" / "LC_MESSAGES" / "django.po"
DJANGO = Path(django.__file__).parent
DRF = Path(rest_framework.__file__).parent

# (where, the catalog listing every message, the package's Kazakh catalog)
SOURCES = [
    ("django", DJANGO / "conf/locale/ru/LC_MESSAGES/django.po", DJANGO / "conf/locale/kk"),
    *(
        (
            f"django.contrib.{app}",
            DJANGO / f"contrib/{app}/locale/ru/LC_MESSAGES/django.po",
            DJANGO / f"contrib/{app}/locale/kk",
        )
        for app in ("admin", "auth", "contenttypes")
    ),
    ("rest_framework", DRF / "locale/en/LC_MESSAGES/django.mo", DRF / "locale/kk"),
]


def load(path: Path):
    return polib.mofile(str(path)) if path.suffix == ".mo" else polib.pofile(str(path))


def kazakh_keys(locale_dir: Path) -> set[tuple[str | None, str]]:
    mo = locale_dir / "LC_MESSAGES" / "django.mo"
    if not mo.exists():
        return set()
    return {
        (e.msgctxt, e.msgid)
        for e in polib.mofile(str(mo))
        if e.msgstr or any(e.msgstr_plural.values())
    }


def build() -> polib.POFile:
    previous = {}
    if TARGET.exists():
        previous = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(TARGET))}
    catalog = polib.POFile(wrapwidth=79)
    catalog.metadata = {
        "Project-Id-Version": "ServicePolice (Django and DRF messages)",
        "Language": "kk",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n!=1);",
    }
    seen = set()
    for where, listing, kazakh in SOURCES:
        done = kazakh_keys(kazakh)
        for entry in load(listing):
            key = (entry.msgctxt, entry.msgid)
            if not entry.msgid or entry.obsolete or key in done or key in seen:
                continue
            seen.add(key)
            new = polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                occurrences=[(where, "")],
                flags=[flag for flag in entry.flags if flag.endswith("-format")],
            )
            old = previous.get(key)
            if entry.msgid_plural:
                new.msgstr_plural = dict(old.msgstr_plural) if old else {0: "", 1: ""}
            else:
                new.msgstr = old.msgstr if old else ""
            if old and "fuzzy" in old.flags:
                new.flags.append("fuzzy")
            catalog.append(new)
    return catalog


def main() -> int:
    catalog = build()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    catalog.save(str(TARGET))
    done = sum(1 for e in catalog if e.translated())
    print(f"{TARGET.relative_to(BASE_DIR)}: {len(catalog)} messages, {done} translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
