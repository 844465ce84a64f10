"""Template helpers for the coverage pages: map options for the scripts, numbers for people."""

from __future__ import annotations

import json

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from leaflet.templatetags.leaflet_tags import leaflet_map

from servicepolice.i18n import localized
from stations.models import Station

register = template.Library()


@register.simple_tag
def leaflet_options(name: str = "map") -> dict:
    """The options `{% leaflet_map %}` would write into an inline script (tile layers from
    settings.LEAFLET_CONFIG, zoom limits, scale), as data for json_script: the page scripts
    build the map from them with django-leaflet's `L.Map.djangoMap`, and no inline script is
    needed."""
    return json.loads(leaflet_map(name)["djoptions"])


@register.filter
def number(value, decimals: int = 0) -> str:
    """A number with grouped thousands in the active language ("350 000"); "—" for None."""
    if value is None or value == "":
        return "—"
    return number_format(round(float(value), int(decimals)), int(decimals), force_grouping=True)


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as a percentage with one decimal ("6,7 %"); "—" for None."""
    if share is None:
        return "—"
    return _("%(value)s %%") % {"value": number_format(round(share * 100, 1), 1)}


@register.filter
def metres(value) -> str:
    """A distance in metres for people: "850 м" below a kilometre, "2,5 км" above."""
    if value is None:
        return "—"
    value = float(value)
    if value < 1000:
        return _("%(value)s м") % {"value": number_format(round(value), 0, force_grouping=True)}
    return _("%(value)s км") % {"value": number_format(round(value / 1000, 1), 1)}


@register.filter(name="localized_name")
def localized_name(row) -> str:
    """A row's name in the active language (a dict kept in a snapshot, or a model)."""
    return localized(row)


@register.filter
def facility_kind(facility) -> str:
    """The kind of facility: "station" (precinct police station) or "post" (modular post)."""
    return "station" if isinstance(facility, Station) else "post"
