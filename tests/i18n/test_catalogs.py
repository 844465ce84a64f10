"""The translation catalogs are complete: every message of every language and domain has a
translation and none is fuzzy (the same check as `make check`, scripts/check_translations.py)."""

import importlib.util
from pathlib import Path

import polib
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_translations.py"
spec = importlib.util.spec_from_file_location("check_translations", SCRIPT)
check_translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_translations)


def language_params(domain):
    return [pytest.param(lang, domain) for lang in check_translations.LANGUAGES]


@pytest.mark.parametrize("language, domain", language_params("django"))
def test_server_catalog_complete(language, domain):
    assert check_translations.catalog_path(language, domain).exists()
    assert check_translations.problems(language, domain) == []


@pytest.mark.parametrize("language", check_translations.LANGUAGES)
def test_javascript_domain_has_no_strings_of_its_own(language):
    # The map scripts take every word from the page (json_script), so the djangojs domain is
    # empty and makemessages writes no catalog; should a script gain its own strings, its
    # catalog must exist in every language and be complete.
    assert check_translations.problems(language, "djangojs") == []


def test_russian_catalog_is_the_source_text():
    catalog = check_translations.load("ru", "django")
    singular = [e for e in catalog if not e.msgid_plural and e.msgid not in FOREIGN_MSGIDS]
    assert singular and all(entry.msgstr == entry.msgid for entry in singular)
    plural = [e for e in catalog if e.msgid_plural]
    # Russian has one, few, many and fractional forms: all four written out.
    assert all(
        len(entry.msgstr_plural) == 4 and all(entry.msgstr_plural.values()) for entry in plural
    )


# Django's own msgids (English) that our templates reuse; Russian gets Django's wording.
FOREIGN_MSGIDS = {"Home", "Select this object for an action - {}"}


def test_checker_reports_missing_and_fuzzy(tmp_path, monkeypatch):
    catalog_dir = tmp_path / "en" / "LC_MESSAGES"
    catalog_dir.mkdir(parents=True)
    (catalog_dir / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Карта"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Район"\nmsgstr "District"\n\n'
        'msgid "Участок"\nmsgstr "Precinct"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(check_translations, "LOCALE_DIR", tmp_path)
    assert check_translations.problems("en", "django") == [
        "untranslated: 'Карта'",
        "fuzzy: 'Район'",
    ]
    assert check_translations.main([]) == 1


def test_kazakh_for_django_and_drf_messages_complete():
    assert check_translations.upstream_problems() == []


def test_the_upstream_catalog_lists_what_the_installed_packages_lack():
    # Written by scripts/upstream_catalog.py from the installed Django and DRF: regenerated after
    # an upgrade, it must list the same messages as the committed file.
    spec = importlib.util.spec_from_file_location(
        "upstream_catalog", SCRIPT.parent / "upstream_catalog.py"
    )
    upstream_catalog = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(upstream_catalog)
    fresh = {(e.msgctxt, e.msgid) for e in upstream_catalog.build()}
    committed = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(check_translations.UPSTREAM_CATALOG))
    }
    assert fresh == committed
    # The admin's frame is among them: Django ships no Kazakh for these.
    assert (None, "Recent actions") in committed
    assert (None, "View site") in committed


def test_upstream_kazakh_is_used_once_written(tmp_path, settings):
    # A message translated in a catalog on LOCALE_PATHS (as locale_upstream/ is) is used although
    # Django's own Kazakh catalog lacks it. Changing LOCALE_PATHS resets Django's catalogs.
    import subprocess

    from django.utils import translation

    committed = {
        entry.msgid: entry.msgstr
        for entry in polib.pofile(str(check_translations.UPSTREAM_CATALOG))
    }
    with translation.override("kk"):
        # Django ships no Kazakh for it; ours is used, not the Russian fallback.
        assert translation.gettext("Recent actions") == committed["Recent actions"]
        assert translation.gettext("Recent actions") != "Последние действия"
        assert translation.gettext("Проверочное сообщение") == "Проверочное сообщение"
    target = tmp_path / "kk" / "LC_MESSAGES"
    target.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "kk"}
    catalog.append(polib.POEntry(msgid="Проверочное сообщение", msgstr="Тексеру хабарламасы"))
    catalog.save(str(target / "django.po"))
    subprocess.run(
        ["msgfmt", "-o", str(target / "django.mo"), str(target / "django.po")], check=True
    )
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS, tmp_path]
    with translation.override("kk"):
        assert translation.gettext("Проверочное сообщение") == "Тексеру хабарламасы"
