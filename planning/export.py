"""A siting plan as a file: GeoJSON (proposed sites as points) or an XLSX workbook."""

from __future__ import annotations

import io
import json

from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import SitingPlan


def _site_rows(plan: SitingPlan) -> list[dict]:
    return [
        {
            "rank": site.rank,
            "lon": round(site.geom.x, 6),
            "lat": round(site.geom.y, 6),
            "source": site.get_source_display(),
            "candidate": site.candidate.name if site.candidate_id else "",
            "newly_covered_population": round(site.newly_covered_population),
            "gain": round(site.gain, 1),
            "district": (site.district or plan.district or plan.region).name,
        }
        for site in plan.sites.select_related("district", "candidate")
    ]


def plan_geojson(plan: SitingPlan) -> str:
    """The plan's sites as a FeatureCollection (lon, lat), with the plan in its properties."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
            "properties": {k: v for k, v in row.items() if k not in ("lon", "lat")},
        }
        for row in _site_rows(plan)
    ]
    return json.dumps(
        {
            "type": "FeatureCollection",
            "properties": {
                "plan": plan.pk,
                "district": plan.district.name if plan.district_id else None,
                "region": plan.region.name if plan.region_id else None,
                "created_at": plan.created_at.isoformat(),
                "author": plan.author.username if plan.author_id else None,
                "facility_kind": plan.facility_kind,
                "radius_m": plan.radius_m,
                "offence_weight": plan.offence_weight,
                "solver": plan.solver,
                "solver_status": plan.solver_status,
                "metrics": plan.metrics,
            },
            "features": features,
        },
        ensure_ascii=False,
    )


def plan_xlsx(plan: SitingPlan) -> bytes:
    """Two sheets: the sites in order of gain, and the plan's parameters and metrics."""
    book = Workbook()
    sites = book.active
    sites.title = _("Площадки")
    sites.append(
        [
            _("очередь"),
            _("долгота"),
            _("широта"),
            _("источник"),
            _("площадка-кандидат"),
            _("новых жителей в доступности"),
            _("прирост охвата (спрос)"),
            _("район"),
        ]
    )
    for row in _site_rows(plan):
        sites.append(list(row.values()))
    about = book.create_sheet(_("План"))
    before, after = plan.metrics.get("before", {}), plan.metrics.get("after", {})
    for label, value in [
        (_("план"), str(plan)),
        (_("район") if plan.district_id else _("область"), plan.territory.name),
        (_("дата"), plan.created_at.strftime("%d.%m.%Y %H:%M")),
        (_("автор"), plan.author.username if plan.author_id else ""),
        (_("что размещаем"), plan.get_facility_kind_display()),
        (_("новых объектов"), plan.new_sites),
        (_("радиус доступности, м"), plan.radius_m),
        (_("вес правонарушений"), plan.offence_weight),
        (_("решение"), plan.get_solver_display()),
        (_("статус решателя"), plan.get_solver_status_display()),
        (_("охвачено жителей до"), before.get("covered_population")),
        (_("охвачено жителей после"), after.get("covered_population")),
        (_("доля охваченных жителей до"), before.get("covered_population_share")),
        (_("доля охваченных жителей после"), after.get("covered_population_share")),
    ]:
        about.append([str(label), value])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
