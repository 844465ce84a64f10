"""Data migration: the role groups (Administrator, Regional analyst, District staff, Inspector)
with their model permissions. access.services.roles_sync keeps them current after every
migrate."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from access.services import roles_sync


def create_roles(apps, schema_editor):
    # Permissions are otherwise created only after the whole migrate: create them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    roles_sync(apps=apps)


def remove_roles(apps, schema_editor):
    from servicepolice.permissions import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("stations", "0003_facility_geography_index"),
        ("officers", "0003_inspector_photo"),
        ("meetings", "0005_suggestion_fields"),
        ("reach", "0001_initial"),
        ("exchange", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
