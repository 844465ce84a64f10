"""Data migration: the default offence categories (editable afterwards in the admin)."""

from django.db import migrations

DEFAULTS = [
    ("total", "Всего преступлений", 1),
    ("grave", "Тяжкие и особо тяжкие", 2),
    ("robbery", "Грабежи и разбои", 3),
    ("hooliganism", "Хулиганство", 4),
    ("theft", "Кражи", 5),
    ("administrative", "Административные правонарушения", 6),
]


def seed(apps, schema_editor):
    OffenceCategory = apps.get_model("planning", "OffenceCategory")
    for code, name, position in DEFAULTS:
        OffenceCategory.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )


def unseed(apps, schema_editor):
    OffenceCategory = apps.get_model("planning", "OffenceCategory")
    OffenceCategory.objects.filter(code__in=[code for code, _n, _p in DEFAULTS], counts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
