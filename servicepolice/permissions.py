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


class ModelChangePermission(ModelPermissionsOrPublicRead):
    """Operations that change an existing record through a POST (a suggestion's transition,
    re-route, comment or merge): the model's `change` permission, not `add`."""

    perms_map = {
        **ModelPermissionsOrPublicRead.perms_map,
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


class ModelViewPermission(permissions.BasePermission):
    """Internal figures (quarterly compliance of named inspectors): a login and the `view` (or
    `change`) permission of the view's `permission_model`."""

    def has_permission(self, request, view) -> bool:
        return can_view_private(request.user, view.permission_model)
