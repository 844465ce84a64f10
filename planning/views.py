"""The planning page: parameters, a run through the API, the proposed sites on the map."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from servicepolice import geo
from servicepolice.permissions import can_read, can_read_whole_region, can_view_private
from stations.models import District, Region

from . import labels, selectors
from .models import FacilityKind, SitingPlan

_ID = 999_999_999


def _url_template(name: str) -> str:
    return reverse(name, args=[_ID]).replace(str(_ID), "{id}")


def _allowed(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not can_view_private(request.user, SitingPlan):
        raise PermissionDenied
    return None


def district_planning(request: HttpRequest, district_id: int) -> HttpResponse:
    """A district's siting planner: the form, earlier plans, the map."""
    denied = _allowed(request)
    if denied is not None:
        return denied
    district = District.objects.select_related("region").filter(pk=district_id).first()
    if district is None or not can_read(request.user, district):
        raise Http404  # outside the user's scope: as if it did not exist
    region_page = (
        reverse("planning:region", args=[district.region_id])
        if can_read_whole_region(request.user, district.region)
        else None
    )
    return _planning_page(
        request,
        territory=district,
        radius=district.effective_radius_m,
        plans=selectors.siting_plan_list().filter(district=district),
        extra={"region_page": region_page},
    )


def region_planning(request: HttpRequest, region_id: int) -> HttpResponse:
    """A whole region's siting planner (all its districts at once): only for users whose
    scope covers the entire region."""
    denied = _allowed(request)
    if denied is not None:
        return denied
    region = Region.objects.filter(pk=region_id).first()
    if region is None or not can_read_whole_region(request.user, region):
        raise Http404
    districts = list(region.districts.order_by("name").defer("geom"))
    radii = sorted({d.effective_radius_m for d in districts})
    return _planning_page(
        request,
        territory=region,
        # The districts' common radius; none when they differ (the user gives one).
        radius=radii[0] if len(radii) == 1 else None,
        plans=selectors.siting_plan_list().filter(region=region),
        extra={"districts": districts, "radii": radii},
    )


def _planning_page(request, *, territory, radius, plans, extra) -> HttpResponse:
    is_region = isinstance(territory, Region)
    scope_key = "region" if is_region else "district"
    west, south, east, north = territory.geom.extent
    config = {
        "lang": get_language(),
        "district": None if is_region else territory.pk,
        "region": territory.pk if is_region else None,
        "territory": {scope_key: territory.pk},
        "radius": radius,
        "bounds": [[south, west], [north, east]],
        "reachBbox": ",".join(
            f"{v:.6f}" for v in geo.expand_bbox(territory.geom.extent, 4 * (radius or 1000)).extent
        ),
        "urls": {
            "plans": reverse("sitingplan-list"),
            "plan": _url_template("sitingplan-detail"),
            "geojson": _url_template("sitingplan-geojson"),
            "xlsx": _url_template("sitingplan-xlsx"),
            "district": reverse(f"{scope_key}-detail", args=[territory.pk]),
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
    context = {
        "territory": territory,
        "is_region": is_region,
        "district": None if is_region else territory,
        "region": territory if is_region else territory.region,
        "radius": radius,
        "kinds": FacilityKind.choices,
        "categories": selectors.offence_category_list(),
        "plans": plans.defer("district__geom", "region__geom", "metrics").prefetch_related(None)[
            :20
        ],
        "can_run": request.user.has_perm("planning.add_sitingplan"),
        "can_open_admin": request.user.has_perm("planning.change_sitingplan"),
        "config": config,
        "labels": labels.PLANNING,
        **extra,
    }
    return render(request, "planning/district.html", context)
