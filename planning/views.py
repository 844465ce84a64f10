"""The planning page: parameters, a run through the API, the proposed sites on the map."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from servicepolice import geo
from servicepolice.permissions import can_read, can_view_private
from stations.models import District

from . import labels, selectors
from .models import FacilityKind, SitingPlan

_ID = 999_999_999


def _url_template(name: str) -> str:
    return reverse(name, args=[_ID]).replace(str(_ID), "{id}")


def district_planning(request: HttpRequest, district_id: int) -> HttpResponse:
    """A district's siting planner: the form, earlier plans, the map."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not can_view_private(request.user, SitingPlan):
        raise PermissionDenied
    district = District.objects.select_related("region").filter(pk=district_id).first()
    if district is None or not can_read(request.user, district):
        raise Http404  # outside the user's scope: as if it did not exist
    radius = district.effective_radius_m
    west, south, east, north = district.geom.extent
    config = {
        "lang": get_language(),
        "district": district.pk,
        "radius": radius,
        "bounds": [[south, west], [north, east]],
        "reachBbox": ",".join(
            f"{v:.6f}" for v in geo.expand_bbox(district.geom.extent, 4 * radius).extent
        ),
        "urls": {
            "plans": reverse("sitingplan-list"),
            "plan": _url_template("sitingplan-detail"),
            "geojson": _url_template("sitingplan-geojson"),
            "xlsx": _url_template("sitingplan-xlsx"),
            "district": reverse("district-detail", args=[district.pk]),
            "stations": reverse("station-list"),
            "posts": reverse("modularpost-list"),
            "candidates": reverse("candidatesite-list"),
        },
        "edit": {
            "station": (
                _url_template("admin:stations_station_change")
                if request.user.has_perm("stations.change_station")
                else None
            ),
            "post": (
                _url_template("admin:stations_modularpost_change")
                if request.user.has_perm("stations.change_modularpost")
                else None
            ),
        },
    }
    plans = (
        selectors.siting_plan_list()
        .filter(district=district)
        .defer("district__geom", "metrics")
        .prefetch_related(None)[:20]
    )
    context = {
        "district": district,
        "radius": radius,
        "kinds": FacilityKind.choices,
        "categories": selectors.offence_category_list(),
        "plans": plans,
        "can_run": request.user.has_perm("planning.add_sitingplan"),
        "can_open_admin": request.user.has_perm("planning.change_sitingplan"),
        "config": config,
        "labels": labels.PLANNING,
    }
    return render(request, "planning/district.html", context)
