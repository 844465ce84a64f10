"""Writes of the access app: the role groups and their permissions."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db import transaction

from servicepolice.permissions import ROLES

from .roles import role_codenames


def roles_sync(*, apps=global_apps) -> None:
    """Create the role groups and give each exactly its permissions (idempotent). `apps` is a
    migration's historical registry or the live one."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    every = list(
        permission_model.objects.values_list(
            "content_type__app_label", "content_type__model", "codename", "pk"
        )
    )
    by_key = {(app, codename): pk for app, _model, codename, pk in every}
    triples = [(app, model, codename) for app, model, codename, _pk in every]
    with transaction.atomic():
        for role in ROLES:
            group, _created = group_model.objects.get_or_create(name=role)
            group.permissions.set([by_key[key] for key in role_codenames(role, triples)])


def roles_sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate: permissions of models added later reach the roles too."""
    roles_sync()
