"""Write functions for offence statistics, candidate sites and siting plans."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from reach.services import Facilities, facilities_around, grid_points, population_points
from servicepolice import geo
from servicepolice.db import validated_save
from stations.models import District, FacilityStatus, ModularPost, Precinct, Region, Station
from stations.selectors import precinct_at
from stations.services import modular_post_create, station_create
from stations.validators import tolerance_m

from . import planner, selectors
from .models import (
    CandidateSite,
    FacilityKind,
    OffenceCategory,
    OffenceCount,
    SitingPlan,
    SitingPlanSite,
)

# Grid candidates a plan may have: more makes the model slow; the user widens the spacing.
MAX_GRID_CANDIDATES = 5000

MSG_GRID_TOO_DENSE = _(
    "Сетка с шагом %(spacing)s м даёт %(count)s площадок, больше допустимых %(max)s: увеличьте шаг."
)
MSG_NO_SOURCE = _("Выберите хотя бы один источник площадок: площадки-кандидаты или сетку.")
MSG_ALREADY_BUILT = _("По этому плану объекты уже созданы.")
MSG_NO_SITES = _("В плане нет предложенных площадок.")


# The default categories (also seeded by migration 0002, which keeps its own copy).
DEFAULT_CATEGORIES = [
    ("total", "Всего преступлений", 1),
    ("grave", "Тяжкие и особо тяжкие", 2),
    ("robbery", "Грабежи и разбои", 3),
    ("hooliganism", "Хулиганство", 4),
    ("theft", "Кражи", 5),
    ("administrative", "Административные правонарушения", 6),
]


@transaction.atomic
def offence_categories_ensure() -> int:
    """Create the default offence categories that are missing (by code); returns how many."""
    created = 0
    for code, name, position in DEFAULT_CATEGORIES:
        _obj, new = OffenceCategory.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        created += new
    return created


def offence_count_save(*, offence_count: OffenceCount) -> OffenceCount:
    """Save an offence count; a precinct's count takes the precinct's district."""
    with transaction.atomic():
        if offence_count.precinct_id and not offence_count.district_id:
            offence_count.district_id = offence_count.precinct.district_id
        return validated_save(offence_count)


def offence_category_save(*, category: OffenceCategory) -> OffenceCategory:
    with transaction.atomic():
        return validated_save(category)


def candidate_site_save(*, site: CandidateSite) -> CandidateSite:
    """Save a candidate site after checking its point lies inside its district."""
    with transaction.atomic():
        return validated_save(site)


@dataclass
class PlanInput:
    """A plan's parameters, validated by the model's own field validators."""

    district: District | None
    facility_kind: str
    new_sites: int
    radius_m: int
    offence_weight: float = 0.0
    offence_category: OffenceCategory | None = None
    use_candidate_sites: bool = True
    use_grid: bool = False
    grid_spacing_m: int = 500
    min_distance_m: int = 300
    time_limit_s: float = 10.0
    name: str = ""
    region: Region | None = None  # a region plan: `district` is None then


def _offence_factors(
    district: District, weight: float, category: OffenceCategory | None
) -> dict[int | None, float]:
    """Demand multiplier per precinct id: (1 - weight) + weight * (precinct's offences per
    resident over the last 12 months with data) / (the district's). 1 everywhere without data."""
    if weight <= 0:
        return {}
    rates = selectors.offence_rates(district=district, category=category)
    if not rates.mean_rate:
        return {}
    return {
        precinct_id: (1.0 - weight) + weight * rate / rates.mean_rate
        for precinct_id, rate in rates.per_precinct.items()
    }


def _union_area(points: list[Point], radius_m: float, territory) -> float:
    reach = Facilities.union_buffer(points, radius_m)
    return territory.intersection(reach).area if reach is not None else 0.0


def siting_plan_run(*, params: PlanInput, author=None) -> SitingPlan:
    """Run the planner for a district (or a whole region: the union of its districts, each
    with its own demand, candidate sites and exclusions) and save the plan with its sites.

    Raises ValidationError (by field) on bad parameters; nothing is saved then."""
    district = params.district
    region = params.region if district is None else None
    plan = SitingPlan(
        district=district,
        region=region,
        name=params.name,
        author=author if author is not None and author.is_authenticated else None,
        facility_kind=params.facility_kind,
        new_sites=params.new_sites,
        radius_m=params.radius_m,
        offence_weight=params.offence_weight,
        offence_category=params.offence_category,
        use_candidate_sites=params.use_candidate_sites,
        use_grid=params.use_grid,
        grid_spacing_m=params.grid_spacing_m,
        min_distance_m=params.min_distance_m,
        time_limit_s=params.time_limit_s,
        solver=SitingPlan.Solver.GREEDY,
        solver_status=SitingPlan.SolverStatus.NO_CANDIDATES,
    )
    plan.full_clean(exclude=["author"])
    if not (params.use_candidate_sites or params.use_grid):
        raise ValidationError({"use_candidate_sites": [MSG_NO_SOURCE]})

    area_obj = district if district is not None else region
    districts = (
        [district] if district is not None else list(region.districts.order_by("name", "pk"))
    )
    srid = geo.utm_srid_for(area_obj.geom)
    territory = geo.to_metric(area_obj.geom, srid)
    parts = [(d, geo.to_metric(d.geom, srid)) for d in districts]
    radius = float(params.radius_m)

    # Candidates: each district's own sites, then grid points; (metric point, source, site,
    # district).
    candidates: list[tuple[Point, str, CandidateSite | None, District]] = []
    excluded_outside = 0
    if params.use_candidate_sites:
        for part_district, part in parts:
            sites = CandidateSite.objects.filter(
                district=part_district, active=True, kind__in=["", params.facility_kind]
            ).order_by("pk")
            prepared = part.prepared
            for site in sites:
                point = geo.to_metric(site.geom, srid)
                if prepared.contains(point) or part.distance(point) <= tolerance_m():
                    candidates.append((point, SitingPlanSite.Source.CANDIDATE, site, part_district))
                else:
                    excluded_outside += 1
    if params.use_grid:
        cells = grid_points(territory, params.grid_spacing_m)
        if len(cells) > MAX_GRID_CANDIDATES:
            raise ValidationError(
                {
                    "grid_spacing_m": [
                        MSG_GRID_TOO_DENSE
                        % {
                            "spacing": params.grid_spacing_m,
                            "count": len(cells),
                            "max": MAX_GRID_CANDIDATES,
                        }
                    ]
                }
            )
        # Prepared once: `.prepared` builds a new prepared geometry at each access.
        shapes = [(d, part, part.prepared) for d, part in parts]
        for x, y in cells:
            point = Point(x, y, srid=srid)
            owner = _district_of(point, shapes)
            if owner is not None:
                candidates.append((point, SitingPlanSite.Source.GRID, None, owner))
    fixed = facilities_around(area_obj, srid, radius).all
    fixed_sites = [planner.Site(f.x, f.y) for f in fixed]
    near = planner.covered_by(
        [(c[0].x, c[0].y) for c in candidates], fixed_sites, float(params.min_distance_m)
    )
    excluded_near = len(near)
    candidates = [c for i, c in enumerate(candidates) if i not in near]

    methods = []
    demand = []
    for part_district, _part in parts:
        method, people = population_points(district=part_district, srid=srid)
        methods.append(method)
        factors = _offence_factors(part_district, params.offence_weight, params.offence_category)
        demand.extend(
            planner.DemandPoint(x, y, pop, pop * factors.get(precinct_id, 1.0))
            for x, y, pop, precinct_id in people
        )
    method = methods[0] if len(set(methods)) == 1 else "mixed"
    solution = planner.solve(
        demand=demand,
        candidates=[planner.Site(c[0].x, c[0].y) for c in candidates],
        fixed=fixed_sites,
        radius_m=radius,
        count=params.new_sites,
        time_limit_s=params.time_limit_s,
    )

    chosen_points = [candidates[s.index][0] for s in solution.sites]
    area = territory.area
    population_after = solution.population_before + sum(s.population for s in solution.sites)
    demand_after = solution.covered_before + solution.objective

    def share(part: float, whole: float) -> float | None:
        return round(part / whole, 6) if whole else None

    plan.solver = solution.solver
    plan.solver_status = solution.status
    plan.objective = solution.objective
    plan.greedy_objective = solution.greedy_objective
    plan.exact_objective = solution.exact_objective
    plan.runtime_s = round(solution.runtime_s, 3)
    plan.metrics = {
        "population_method": method,
        "demand_points": len(demand),
        "candidates": len(candidates),
        "excluded_outside_district": excluded_outside,
        "excluded_near_facility": excluded_near,
        "existing_facilities": len(fixed),
        "districts": len(districts),
        "population": round(solution.population_total),
        "demand": round(solution.demand_total, 1),
        "before": {
            "facilities": len(fixed),
            "covered_population": round(solution.population_before),
            "covered_population_share": share(
                solution.population_before, solution.population_total
            ),
            "covered_demand_share": share(solution.covered_before, solution.demand_total),
            "covered_area_share": share(_union_area(fixed, radius, territory), area),
        },
        "after": {
            "facilities": len(fixed) + len(chosen_points),
            "covered_population": round(population_after),
            "covered_population_share": share(population_after, solution.population_total),
            "covered_demand_share": share(demand_after, solution.demand_total),
            "covered_area_share": share(
                _union_area(fixed + chosen_points, radius, territory), area
            ),
        },
        "greedy_sites": [
            [round(c, 6) for c in geo.transformed(candidates[j][0], geo.WGS84).coords]
            for j in solution.greedy_sites
        ],
    }
    with transaction.atomic():
        plan.save()
        SitingPlanSite.objects.bulk_create(
            SitingPlanSite(
                plan=plan,
                rank=rank,
                geom=geo.transformed(candidates[s.index][0], geo.WGS84),
                source=candidates[s.index][1],
                candidate=candidates[s.index][2],
                district=candidates[s.index][3],
                newly_covered_population=round(s.population, 1),
                gain=round(s.gain, 3),
            )
            for rank, s in enumerate(solution.sites, start=1)
        )
    return plan


def _district_of(point: Point, shapes: list[tuple[District, object, object]]) -> District | None:
    """The district whose (metric) territory holds the point, of (district, territory, its
    prepared geometry) triples: the only one of a district plan; for a region plan the first
    containing it, else the nearest within the tolerance."""
    if len(shapes) == 1:
        return shapes[0][0]
    for district, _part, prepared in shapes:
        if prepared.contains(point):
            return district
    if not shapes:
        return None
    distance, district = min(
        ((part.distance(point), d) for d, part, _prepared in shapes), key=lambda t: t[0]
    )
    return district if distance <= tolerance_m() else None


def _precinct_at(district: District, point: Point) -> Precinct | None:
    precinct = precinct_at(point)
    return precinct if precinct is not None and precinct.district_id == district.pk else None


@transaction.atomic
def siting_plan_build(*, plan: SitingPlan) -> list[Station | ModularPost]:
    """Turn a plan's proposed sites into planned stations or posts (status "planned"), each
    through the stations services; sites already built are skipped. All or nothing."""
    # One build at a time per plan: the plan's row is the lock.
    list(SitingPlan.objects.select_for_update().filter(pk=plan.pk).values_list("pk", flat=True))
    sites = list(plan.sites.select_related("candidate").order_by("rank"))
    if not sites:
        raise ValidationError(MSG_NO_SITES)
    pending = [s for s in sites if s.station_id is None and s.post_id is None]
    if not pending:
        raise ValidationError(MSG_ALREADY_BUILT)
    created: list[Station | ModularPost] = []
    today = datetime.date.today()
    for site in pending:
        label = site.candidate.name if site.candidate_id else _("точка сетки")
        address = _("Предложено планом №%(plan)s (%(date)s): %(label)s") % {
            "plan": plan.pk,
            "date": today.strftime("%d.%m.%Y"),
            "label": label,
        }
        district = site.district or plan.district
        fields = dict(
            district=district,
            name=site.candidate.name if site.candidate_id else "",
            address=address[:300],
            geom=site.geom,
            status=FacilityStatus.PLANNED,
        )
        if plan.facility_kind == FacilityKind.STATION:
            facility = station_create(
                **fields,
                number=f"П{plan.pk}-{site.rank}"[:20],
                precinct=_precinct_at(district, site.geom),
            )
            site.station = facility
        else:
            facility = modular_post_create(**fields)
            site.post = facility
        site.save(update_fields=["station", "post"])
        created.append(facility)
    return created
