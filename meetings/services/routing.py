"""Write functions for the routing data: categories, responsible bodies and routes."""

from __future__ import annotations

from django.db import transaction

from servicepolice.db import validated_save

from ..defaults import BODY_NAMES_KK, ensure_defaults
from ..models import Category, ResponsibleBody, RoutingRule


@transaction.atomic
def category_save(*, category: Category) -> Category:
    return validated_save(category)


@transaction.atomic
def responsible_body_save(*, body: ResponsibleBody) -> ResponsibleBody:
    return validated_save(body)


@transaction.atomic
def routing_rule_save(*, rule: RoutingRule) -> RoutingRule:
    """Save a route; its body works in the route's district or in every district, and is
    active."""
    return validated_save(rule)


@transaction.atomic
def routing_defaults_ensure() -> dict[str, ResponsibleBody]:
    """Create the default categories, bodies for every district and default routes that are
    missing (meetings/defaults.py); returns the default bodies by key."""
    bodies = ensure_defaults(Category, ResponsibleBody, RoutingRule)
    for body in bodies.values():
        if not body.name_kk and body.name in BODY_NAMES_KK:
            body.name_kk = BODY_NAMES_KK[body.name]
            body.save(update_fields=["name_kk", "updated_at"])
    return bodies
