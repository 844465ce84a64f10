"""Topology checks of the territory: precincts that overlap, parts of a district no precinct
covers, precincts that stick out of their district, facilities outside their district,
settlements outside every precinct. Areas in m² and distances in metres, computed in the UTM
zone of each district (servicepolice.geo); pieces smaller than TOPOLOGY_MIN_AREA_M2 are
slivers of digitising and are not reported. Reads only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Settlement, Station

OVERLAP, GAP, OUTSIDE, FACILITY_OUTSIDE, SETTLEMENT_OUTSIDE, NO_PRECINCTS = (
    "overlap",
    "gap",
    "precinct_outside",
    "facility_outside",
    "settlement_outside",
    "no_precincts",
)
KIND_LABELS = {
    OVERLAP: _("участки перекрываются"),
    GAP: _("часть района без участка"),
    OUTSIDE: _("участок выходит за район"),
    FACILITY_OUTSIDE: _("пункт полиции вне района"),
    SETTLEMENT_OUTSIDE: _("населённый пункт вне участков"),
    NO_PRECINCTS: _("в районе нет участков"),
}


@dataclass
class Finding:
    kind: str
    district_id: int
    district: str
    subject: str
    area_m2: float | None = None
    distance_m: float | None = None
    lon: float | None = None
    lat: float | None = None
    objects: list[tuple[str, int]] = field(default_factory=list)  # (model label, pk)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class TerritoryReport:
    min_area_m2: float
    districts: int = 0
    findings: list[Finding] = field(default_factory=list)
    elapsed_s: float = 0.0

    def count(self, kind: str) -> int:
        return sum(1 for f in self.findings if f.kind == kind)

    def counts(self) -> list[tuple[str, str, int]]:
        return [(kind, str(label), self.count(kind)) for kind, label in KIND_LABELS.items()]


def _where(geom: GEOSGeometry) -> tuple[float, float]:
    """A point inside the geometry (4326), to find it on a map."""
    point = geom.point_on_surface if not geom.empty else geom.centroid
    return round(point.x, 6), round(point.y, 6)


def _pieces(geom: GEOSGeometry, min_area: float) -> list[GEOSGeometry]:
    """The polygons of a metric geometry at least `min_area` m² each."""
    return [p for p in geo.parts(geo.polygonal_part(geom)) if p.area >= min_area]


def _union(polygons: list[GEOSGeometry], srid: int) -> GEOSGeometry:
    parts: list = []
    for polygon in polygons:
        parts.extend(geo.parts(polygon))
    multi = MultiPolygon(parts, srid=srid) if parts else MultiPolygon(srid=srid)
    return multi.unary_union if parts else multi


def district_check(district: District, *, min_area_m2: float) -> list[Finding]:
    """Every finding in one district."""
    srid = geo.utm_srid_for(district.geom)
    district_m = geo.to_metric(district.geom, srid)
    prepared_district = district_m.prepared
    findings: list[Finding] = []

    def finding(kind: str, subject: str, **kwargs) -> Finding:
        item = Finding(
            kind=kind, district_id=district.pk, district=district.name, subject=subject, **kwargs
        )
        findings.append(item)
        return item

    precincts = [
        (p, geo.to_metric(p.geom, srid))
        for p in Precinct.objects.filter(district=district).order_by("number")
    ]
    settlements = list(Settlement.objects.filter(district=district).order_by("name"))
    if not precincts:
        lon, lat = _where(district.geom)
        finding(
            NO_PRECINCTS,
            str(_("населённых пунктов: %(n)s") % {"n": len(settlements)}),
            area_m2=district_m.area,
            lon=lon,
            lat=lat,
            objects=[("stations.district", district.pk)],
        )
    # Overlaps between precincts (each pair once).
    for i, (a, a_m) in enumerate(precincts):
        for b, b_m in precincts[i + 1 :]:
            if not a_m.envelope.intersects(b_m.envelope) or not a_m.intersects(b_m):
                continue
            pieces = _pieces(a_m.intersection(b_m), min_area_m2)
            if pieces:
                area = sum(p.area for p in pieces)
                lon, lat = _where(geo.as_wgs84(max(pieces, key=lambda p: p.area)))
                finding(
                    OVERLAP,
                    f"{a} / {b}",
                    area_m2=area,
                    lon=lon,
                    lat=lat,
                    objects=[("stations.precinct", a.pk), ("stations.precinct", b.pk)],
                )
    # Parts of the district no precinct covers, and precincts sticking out of it.
    if precincts:
        covered = _union([m for _p, m in precincts], srid)
        for piece in _pieces(district_m.difference(covered), min_area_m2):
            lon, lat = _where(geo.as_wgs84(piece))
            finding(GAP, str(_("без участка")), area_m2=piece.area, lon=lon, lat=lat)
        for precinct, precinct_m in precincts:
            if prepared_district.covers(precinct_m):
                continue
            pieces = _pieces(precinct_m.difference(district_m), min_area_m2)
            if pieces:
                lon, lat = _where(geo.as_wgs84(max(pieces, key=lambda p: p.area)))
                finding(
                    OUTSIDE,
                    str(precinct),
                    area_m2=sum(p.area for p in pieces),
                    lon=lon,
                    lat=lat,
                    objects=[("stations.precinct", precinct.pk)],
                )
    # Facilities outside the district.
    for model, label in ((Station, "stations.station"), (ModularPost, "stations.modularpost")):
        for facility in model.objects.filter(district=district):
            point_m = geo.to_metric(facility.geom, srid)
            if prepared_district.covers(point_m):
                continue
            finding(
                FACILITY_OUTSIDE,
                str(facility),
                distance_m=district_m.distance(point_m),
                lon=round(facility.geom.x, 6),
                lat=round(facility.geom.y, 6),
                objects=[(label, facility.pk)],
            )
    # Settlements outside every precinct (where the district has precincts).
    if precincts:
        prepared = [(p, m.prepared, m) for p, m in precincts]
        for settlement in settlements:
            point_m = geo.to_metric(settlement.geom, srid)
            if any(prep.covers(point_m) for _p, prep, _m in prepared):
                continue
            finding(
                SETTLEMENT_OUTSIDE,
                settlement.name,
                distance_m=min(m.distance(point_m) for _p, _prep, m in prepared),
                lon=round(settlement.geom.x, 6),
                lat=round(settlement.geom.y, 6),
                objects=[("stations.settlement", settlement.pk)],
            )
    return findings


def territory_check(
    *, districts: QuerySet[District] | None = None, min_area_m2: float | None = None
) -> TerritoryReport:
    """Check the given districts (all by default); findings in district order."""
    started = time.monotonic()
    min_area = settings.TOPOLOGY_MIN_AREA_M2 if min_area_m2 is None else min_area_m2
    if districts is None:
        districts = District.objects.all()
    report = TerritoryReport(min_area_m2=min_area)
    for district in districts.select_related("region").order_by("region__name", "name"):
        report.findings.extend(district_check(district, min_area_m2=min_area))
        report.districts += 1
    report.elapsed_s = time.monotonic() - started
    return report
