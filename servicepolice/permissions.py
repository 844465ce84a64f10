"""Who may see and change what: the one place the API, the admin and the pages ask.

Today: anyone reads public data; writes need the Django model permission (add/change/delete);
private fields (personnel numbers, personal phones) need the model's `view` (or `change`)
permission.
District scoping plugs in here.
"""

from __future__ import annotations

from rest_framework import permissions


class ModelPermissionsOrPublicRead(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Reads for everyone (views decide which fields are public); writes by model permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }


def can_view_private(user, model) -> bool:
    """True when the user may see a model's private fields: its `view_<model>` permission, or
    `change_<model>`, which implies viewing as in Django's admin."""
    if user is None or not user.is_authenticated:
        return False
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )
