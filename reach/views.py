"""Server-rendered coverage pages: overview map, district, precinct, "find my inspector".

Thin: each view reads through selectors and hands the map scripts their API addresses,
translated labels and the user's edit rights with json_script; the layers themselves are
fetched from the API by the scripts in reach/static/reach/.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from locator.selectors import precinct_team
from meetings.models import Meeting
from meetings.selectors import next_planned_meeting, precinct_agenda
from officers.models import Assistant, Inspector
from servicepolice import geo
from servicepolice.permissions import can_view_private, can_write
from stations.models import ModularPost, Precinct, Settlement, Station

from . import labels
from .selectors import (
    district_detail,
    facilities_not_built,
    precinct_coverage_row,
    precinct_detail,
    precinct_facilities,
    precinct_meetings,
)
from .services import coverage_recompute

_ID = 999_999_999  # placeholder id, replaced by "{id}" in URL templates for the scripts


def _url_template(name: str) -> str:
    """A URL with "{id}" where the object's id goes, e.g. "/districts/{id}/"."""
    return reverse(name, args=[_ID]).replace(str(_ID), "{id}")


def _page_settings() -> dict:
    return {"lang": get_language() or settings.LANGUAGE_CODE, "timeZone": settings.TIME_ZONE}


def _edit_urls(user, within, **models) -> dict[str, str | None]:
    """Admin change-page URL templates for the models the user may change in `within` (the
    page's district or precinct), None for the rest."""
    urls = {}
    in_scope = can_write(user, within)
    for key, model in models.items():
        opts = model._meta
        allowed = in_scope and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        urls[key] = (
            _url_template(f"admin:{opts.app_label}_{opts.model_name}_change") if allowed else None
        )
    return urls


def _bbox(extent: tuple[float, float, float, float], metres: float) -> str:
    """W,S,E,N of a lon/lat extent grown by `metres`, as the API's `in_bbox` parameter."""
    return ",".join(f"{v:.6f}" for v in geo.expand_bbox(extent, metres).extent)


def _bounds(extent: tuple[float, float, float, float]) -> list[list[float]]:
    """Leaflet bounds [[south, west], [north, east]] of a lon/lat extent."""
    west, south, east, north = extent
    return [[south, west], [north, east]]


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the coverage overview; everyone else on the public start page."""
    if request.user.is_authenticated and request.user.is_staff:
        return overview(request)
    return render(request, "home.html")


def overview(request: HttpRequest) -> HttpResponse:
    """Districts as a choropleth of covered population share, with a sortable table."""
    config = {
        **_page_settings(),
        "urls": {
            "coverage": reverse("coverage-list"),
            "districts": reverse("district-list"),
            "regions": reverse("region-list"),
            "districtPage": _url_template("reach:district"),
        },
    }
    return render(request, "reach/overview.html", {"config": config, "labels": labels.OVERVIEW})


def district_page(request: HttpRequest, district_id: int) -> HttpResponse:
    """A district's precincts coloured by a chosen metric, its facilities, KPIs and gaps."""
    district = district_detail(district_id=district_id)
    if district is None:
        raise Http404
    snapshot = getattr(district, "coverage", None) or coverage_recompute(district=district)
    rows = {row["id"]: row for row in snapshot.precincts}
    user = request.user
    config = {
        **_page_settings(),
        "district": district.pk,
        "radius": snapshot.radius_m,
        "bounds": _bounds(district.geom.extent),
        "urls": {
            "district": reverse("district-detail", args=[district.pk]),
            "coverage": reverse("district-coverage", args=[district.pk]),
            "offences": reverse("district-offences", args=[district.pk]),
            "precincts": reverse("precinct-list"),
            "stations": reverse("station-list"),
            "posts": reverse("modularpost-list"),
            "settlements": reverse("settlement-list"),
            "precinctPage": _url_template("reach:precinct"),
        },
        # Operating facilities whose walking circle can reach the district, wherever they are.
        "reachBbox": _bbox(district.geom.extent, snapshot.radius_m),
        "edit": _edit_urls(
            user,
            district,
            precinct=Precinct,
            station=Station,
            post=ModularPost,
            settlement=Settlement,
        ),
    }
    context = {
        "district": district,
        "snapshot": snapshot,
        "vacant_precincts": [rows[pk] for pk in snapshot.vacancies if pk in rows],
        "precincts_without_facility": [
            rows[pk] for pk in snapshot.precincts_without_facility if pk in rows
        ],
        "not_built": facilities_not_built(district_id=district.pk),
        "edit": config["edit"],
        "can_edit_district": user.has_perm("stations.change_district")
        and can_write(user, district),
        "can_view_meetings": can_view_private(user, Meeting, district),
        # The planner (planning app) sits above this one: asked by permission name only.
        "can_plan": user.has_perm("planning.view_sitingplan"),
        "config": config,
        "labels": labels.DISTRICT,
    }
    return render(request, "reach/district.html", context)


def precinct_page(request: HttpRequest, precinct_id: int) -> HttpResponse:
    """A precinct's inspectors, facilities, coverage and recent meetings."""
    precinct = precinct_detail(precinct_id=precinct_id)
    if precinct is None:
        raise Http404
    district = precinct.district
    snapshot = getattr(district, "coverage", None)
    radius = snapshot.radius_m if snapshot is not None else district.effective_radius_m
    user = request.user
    config = {
        **_page_settings(),
        "precinct": precinct.pk,
        "bounds": _bounds(precinct.geom.extent),
        "urls": {
            "precinct": reverse("precinct-detail", args=[precinct.pk]),
            "stations": reverse("station-list"),
            "posts": reverse("modularpost-list"),
        },
        "reachBbox": _bbox(precinct.geom.extent, radius),
        "edit": _edit_urls(user, precinct, station=Station, post=ModularPost),
    }
    team = list(precinct_team(precinct_id=precinct.pk))
    context = {
        "precinct": precinct,
        "district": district,
        "snapshot": snapshot,
        "radius": radius,
        "row": precinct_coverage_row(snapshot=snapshot, precinct_id=precinct.pk),
        "team": team,
        "on_duty": [i for i in team if i.status == Inspector.Status.ACTIVE],
        "facilities": precinct_facilities(precinct=precinct),
        "meetings": precinct_meetings(precinct_id=precinct.pk),
        "next_meeting": next_planned_meeting(precinct_id=precinct.pk),
        # Private fields and edit links only where the user's scope covers the precinct.
        "show_private": can_view_private(user, Inspector, precinct),
        "show_assistant_phone": can_view_private(user, Assistant, precinct),
        "can_edit_inspector": user.has_perm("officers.change_inspector")
        and can_write(user, precinct),
        "can_edit_precinct": user.has_perm("stations.change_precinct")
        and can_write(user, precinct),
        "edit": config["edit"],
        "config": config,
        "labels": labels.PRECINCT,
    }
    return render(request, "reach/precinct.html", context)


def agenda(request: HttpRequest, precinct_id: int) -> HttpResponse:
    """The printable agenda of a precinct's next quarterly report meeting: what was raised last
    quarter and what became of each suggestion, older ones still open, and the precinct's
    figures (coverage from its district's snapshot, meetings held in the last four quarters)."""
    precinct = precinct_detail(precinct_id=precinct_id)
    if precinct is None:
        raise Http404
    district = precinct.district
    snapshot = getattr(district, "coverage", None)
    on_duty = [
        i for i in precinct_team(precinct_id=precinct.pk) if i.status == Inspector.Status.ACTIVE
    ]
    context = {
        "precinct": precinct,
        "district": district,
        "snapshot": snapshot,
        "row": precinct_coverage_row(snapshot=snapshot, precinct_id=precinct.pk),
        "on_duty": on_duty,
        "agenda": precinct_agenda(precinct_id=precinct.pk),
    }
    return render(request, "reach/agenda.html", context)


def find(request: HttpRequest) -> HttpResponse:
    """Public "find my inspector": a click on the map or the browser's location."""
    config = {
        **_page_settings(),
        "urls": {
            "locate": reverse("locate"),
            "districts": reverse("district-list"),
            "precinct": _url_template("precinct-detail"),
            "precinctPage": _url_template("reach:precinct"),
        },
    }
    return render(request, "reach/find.html", {"config": config, "labels": labels.FIND})
