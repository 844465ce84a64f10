"""Read functions for the routing table: which body handles a category in a district, how long."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from ..models import Category, ResponsibleBody, RoutingRule


def category_list() -> QuerySet[Category]:
    return Category.objects.all()


def responsible_body_list() -> QuerySet[ResponsibleBody]:
    return ResponsibleBody.objects.select_related("district").defer("district__geom")


def routing_rule_list() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("category", "district", "body").defer(
        "district__geom"
    )


def routing_rule_for(*, category_id: int | None, district_id: int | None) -> RoutingRule | None:
    """The district's own route for the category, else the default route (district empty)."""
    if category_id is None:
        return None
    rules = (
        RoutingRule.objects.filter(category_id=category_id, body__is_active=True)
        .filter(Q(district_id=district_id) | Q(district__isnull=True))
        .select_related("body")
    )
    # The district's own rule first: NULLs sort last ascending on SQLite, first on PostgreSQL,
    # so pick in Python rather than trust the database's order.
    found = {rule.district_id: rule for rule in rules}
    return found.get(district_id) or found.get(None)


def deadline_days_for(*, body_id: int, category_id: int | None, district_id: int | None) -> int:
    """Days the body has for a suggestion of the category in the district: its route's deadline
    (the district's own route first), else settings.SUGGESTION_DEADLINE_DAYS."""
    if category_id is not None:
        days = {
            rule.district_id: rule.deadline_days
            for rule in RoutingRule.objects.filter(
                Q(district_id=district_id) | Q(district__isnull=True),
                category_id=category_id,
                body_id=body_id,
            )
        }
        if district_id in days or None in days:
            return days.get(district_id) or days[None]
    return settings.SUGGESTION_DEADLINE_DAYS
