#!/usr/bin/env python3
"""Checks the translation catalogs under locale/: every message of every language and domain
translated, none fuzzy (README, "Languages"). Exit status 1 and a list of what is missing
otherwise. `--fill-russian` first copies each msgid to its empty (or fuzzy) msgstr in the
Russian catalogs (Russian is the source language), reports what is left and exits 0; Russian
plural forms are left to a person, since Russian has more forms than msgid and msgid_plural
give."""

from __future__ import annotations

import sys
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
# Kazakh for Django's and DRF's own messages that their catalogs lack (scripts/upstream_catalog.py).
UPSTREAM_CATALOG = BASE_DIR / "locale_upstream" / "kk" / "LC_MESSAGES" / "django.po"
# Kazakh corrections of Django's own catalogs (admin, auth, contenttypes, core, admin scripts).
OVERRIDES_DIR = BASE_DIR / "locale_overrides"
LANGUAGES = ("ru", "kk", "en")
DOMAINS = ("django", "djangojs")
SOURCE_LANGUAGE = "ru"


def catalog_path(language: str, domain: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def load(language: str, domain: str) -> polib.POFile | None:
    """The catalog, or None when the domain has no strings (makemessages writes no file then)."""
    path = catalog_path(language, domain)
    return polib.pofile(str(path)) if path.exists() else None


def problems(language: str, domain: str) -> list[str]:
    """Messages of one catalog that lack a translation or are marked fuzzy, one line each."""
    catalog = load(language, domain)
    if catalog is None:
        # A domain with no strings in one language must have none in the others either.
        others = [other for other in LANGUAGES if catalog_path(other, domain).exists()]
        return [f"{catalog_path(language, domain)} is missing"] if others else []
    return entry_problems(catalog)


def upstream_problems() -> list[str]:
    """The same for the Kazakh catalog of Django's and DRF's messages."""
    if not UPSTREAM_CATALOG.exists():
        return [f"{UPSTREAM_CATALOG} is missing (scripts/upstream_catalog.py writes it)"]
    found = entry_problems(polib.pofile(str(UPSTREAM_CATALOG)))
    for path in sorted(OVERRIDES_DIR.glob("*/LC_MESSAGES/*.po")):
        found += [
            f"{path.relative_to(BASE_DIR)}: {line}"
            for line in entry_problems(polib.pofile(str(path)))
        ]
    return found


def entry_problems(catalog: polib.POFile) -> list[str]:
    found = []
    for entry in catalog:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def fill_russian() -> None:
    """msgstr = msgid for the Russian catalogs' empty singular messages; every catalog's header
    names its language and is not fuzzy (makemessages writes a template header)."""
    for language in LANGUAGES:
        for domain in DOMAINS:
            catalog = load(language, domain)
            if catalog is None:
                continue
            catalog.metadata_is_fuzzy = False
            catalog.metadata["Language"] = language
            catalog.metadata["Project-Id-Version"] = "ServicePolice"
            if language == SOURCE_LANGUAGE:
                for entry in catalog:
                    if entry.msgid_plural or entry.obsolete:
                        continue
                    # msgmerge's fuzzy guesses (a similar older msgid) are wrong here by nature.
                    if not entry.msgstr or "fuzzy" in entry.flags:
                        entry.msgstr = entry.msgid
                        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                        entry.previous_msgid = None
            catalog.save()


def main(argv: list[str]) -> int:
    filling = "--fill-russian" in argv
    if filling:
        fill_russian()
    failed = False
    for language in LANGUAGES:
        for domain in DOMAINS:
            found = problems(language, domain)
            if found:
                failed = True
                print(f"{language}/{domain}: {len(found)} problem(s)")
                for line in found:
                    print(f"  {line}")
    found = upstream_problems()
    if found:
        failed = True
        print(f"kk/django (Django and DRF messages, overrides): {len(found)} problem(s)")
        for line in found:
            print(f"  {line}")
    if failed and filling:
        print("translations: fill in the messages above (make check fails until then)")
        return 0
    if failed:
        print("translations: incomplete (edit locale/*/LC_MESSAGES/*.po)", file=sys.stderr)
        return 1
    print("translations: every message of ru, kk and en translated, none fuzzy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
