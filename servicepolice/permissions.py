"""Who may see and change what: the one place the API, the admin and the pages ask.

Two layers:
- the **kind of action** (view, add, change, delete) is a Django model permission, given by the
  user's role (a group, see access/roles.py);
- the **reach** is the user's scope (`Scope`), from their membership (access.Membership):
  Administrators and superusers reach everything; analysts and district staff read their
  regions (a district's whole region); district staff write in their districts; an inspector
  reads their district and writes only their own records. Each registry model says how its
  rows reach a district (`SCOPE_PATHS`), so the domain apps import nothing of this.

Anonymous API consumers (the "find my inspector" app) and signed-in users without a role or a
membership read public data of every district and no private field; they write nothing.

Imports no app: the membership is reached through the user (`user.membership`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

ROLE_ADMINISTRATOR = "Администратор"
ROLE_ANALYST = "Региональный аналитик"
ROLE_DISTRICT_STAFF = "Сотрудник района"
ROLE_INSPECTOR = "Участковый инспектор"
ROLES = (ROLE_ADMINISTRATOR, ROLE_ANALYST, ROLE_DISTRICT_STAFF, ROLE_INSPECTOR)

MSG_OUT_OF_SCOPE = _("Нет прав на изменение записей района «%(district)s».")
MSG_NO_DISTRICT = _("Запись без района может изменить только администратор.")
MSG_NOT_OWN = _("Участковый инспектор может изменять только свои записи.")
MSG_OWN_FIELDS = _(
    "Участковый инспектор может изменять в своей карточке только контакты для граждан: %(fields)s."
)


@dataclass(frozen=True)
class ScopePath:
    """How a model's rows reach the territory: lookups to the district's and the region's key,
    and to the inspector whose own record it is (for the Inspector role)."""

    district: str | None
    region: str | None
    own: str | None = None
    # Rows that belong to a whole region (a region's siting plan): read only by who covers
    # the entire region (`Scope.whole_regions`), never through one of its districts.
    whole_region: str | None = None


SCOPE_PATHS: dict[str, ScopePath] = {
    "stations.region": ScopePath(district=None, region="pk"),
    "stations.district": ScopePath(district="pk", region="region"),
    "stations.precinct": ScopePath(district="district", region="district__region"),
    "stations.settlement": ScopePath(district="district", region="district__region"),
    "stations.station": ScopePath(district="district", region="district__region"),
    "stations.modularpost": ScopePath(district="district", region="district__region"),
    "officers.inspector": ScopePath(
        district="precinct__district", region="precinct__district__region", own="pk"
    ),
    "officers.assistant": ScopePath(
        district="inspector__precinct__district",
        region="inspector__precinct__district__region",
        own="inspector",
    ),
    "officers.assignment": ScopePath(
        district="precinct__district", region="precinct__district__region"
    ),
    "meetings.meeting": ScopePath(
        district="precinct__district", region="precinct__district__region", own="inspector"
    ),
    "meetings.suggestion": ScopePath(
        district="meeting__precinct__district",
        region="meeting__precinct__district__region",
        own="meeting__inspector",
    ),
    "meetings.suggestionevent": ScopePath(
        district="suggestion__meeting__precinct__district",
        region="suggestion__meeting__precinct__district__region",
    ),
    "reach.coveragesnapshot": ScopePath(district="district", region="district__region"),
    "exchange.territorycheck": ScopePath(district="pk", region="region"),
    "planning.offencecount": ScopePath(district="district", region="district__region"),
    "planning.candidatesite": ScopePath(district="district", region="district__region"),
    "planning.sitingplan": ScopePath(
        district="district", region="district__region", whole_region="region"
    ),
    "planning.sitingplansite": ScopePath(
        district="plan__district", region="plan__district__region", whole_region="plan__region"
    ),
}

# What an inspector may change in their own card: the contacts residents see.
INSPECTOR_SELF_FIELDS = (
    "service_phone",
    "messenger_url",
    "social_url",
    "reception_hours",
    "photo",
)


def scope_path(model: type[Model]) -> ScopePath | None:
    """The model's path to the territory; None for reference data (categories, bodies, routes),
    which everyone reads and only the model permission guards."""
    opts = model._meta
    return SCOPE_PATHS.get(opts.label_lower) or SCOPE_PATHS.get(
        opts.concrete_model._meta.label_lower
    )


@dataclass(frozen=True)
class Scope:
    """Where a user's permissions reach. `everything`: no limit (superuser, Administrator,
    nationwide membership). `scoped`: False for anonymous users and users without a role or a
    membership, who read public data only."""

    everything: bool = False
    scoped: bool = False
    read_all: bool = False  # a nationwide analyst: reads everything, writes nothing
    read_regions: frozenset[int] = frozenset()
    read_districts: frozenset[int] = frozenset()
    # Regions covered entirely: the membership's regions, and for an analyst the regions of
    # their districts (an analyst reads region-wide); not a district staff member's region.
    whole_regions: frozenset[int] = frozenset()
    write_districts: frozenset[int] = frozenset()
    inspector_id: int | None = None
    own_only: bool = False  # the Inspector role alone: writes reach only own records

    @property
    def public_reader(self) -> bool:
        return not (self.everything or self.scoped)


PUBLIC = Scope()
EVERYTHING = Scope(everything=True, scoped=True)


def user_scope(user) -> Scope:
    """The user's scope, computed once per user object (per request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return PUBLIC
    cached = getattr(user, "_servicepolice_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._servicepolice_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if user.is_superuser:
        return EVERYTHING
    # One query for the roles and the membership's head (a LEFT JOIN row per group).
    rows = list(
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .values_list("groups__name", "membership__pk", "membership__nationwide")
    )
    roles = {name for name, _m, _n in rows if name in ROLES}
    if ROLE_ADMINISTRATOR in roles:
        return EVERYTHING
    membership_pk = rows[0][1] if rows else None
    if membership_pk is None:
        return Scope(scoped=bool(roles))
    if rows[0][2]:  # nationwide
        if roles == {ROLE_ANALYST}:
            return Scope(scoped=True, read_all=True)
        if ROLE_INSPECTOR in roles and not roles & {ROLE_DISTRICT_STAFF, ROLE_ANALYST}:
            return _inspector(user.membership)
        return EVERYTHING
    membership = user.membership
    district_model = type(membership).districts.rel.model
    regions = set(membership.regions.values_list("pk", flat=True))
    districts = dict(membership.districts.values_list("pk", "region_id"))
    in_regions = set(district_model.objects.filter(region__in=regions).values_list("pk", flat=True))
    if roles == {ROLE_INSPECTOR}:
        return _inspector(membership, districts=set(districts) | in_regions)
    return Scope(
        scoped=True,
        read_regions=frozenset(regions | set(districts.values())),
        whole_regions=frozenset(
            regions | set(districts.values()) if roles == {ROLE_ANALYST} else regions
        ),
        write_districts=frozenset()
        if roles == {ROLE_ANALYST}
        else frozenset(set(districts) | in_regions),
        inspector_id=membership.inspector_id if ROLE_INSPECTOR in roles else None,
    )


def _inspector(membership, districts: set[int] | None = None) -> Scope:
    """An inspector reads their district(s) and writes only their own records."""
    districts = set(districts or ())
    inspector = membership.inspector
    if inspector is not None and inspector.precinct_id is not None:
        districts.add(inspector.precinct.district_id)
    return Scope(
        scoped=True,
        read_districts=frozenset(districts),
        inspector_id=membership.inspector_id,
        own_only=True,
    )


# -- querysets -------------------------------------------------------------------------------


def _read_filter(scope: Scope, path: ScopePath) -> Q:
    q = Q(pk__in=[])
    if scope.read_regions and path.region:
        q |= Q(**{f"{path.region}__in": scope.read_regions})
    if scope.read_districts and path.district:
        q |= Q(**{f"{path.district}__in": scope.read_districts})
    if scope.read_districts and path.district is None and path.region == "pk":
        # A region is readable by who reads one of its districts.
        q |= Q(**{"districts__in": scope.read_districts})
    if scope.inspector_id and path.own:
        q |= Q(**{path.own: scope.inspector_id})
    if scope.whole_regions and path.whole_region:
        q |= Q(**{f"{path.whole_region}__in": scope.whole_regions})
    return q


def _write_filter(scope: Scope, path: ScopePath) -> Q:
    q = Q(pk__in=[])
    if scope.write_districts and path.district and not scope.own_only:
        q |= Q(**{f"{path.district}__in": scope.write_districts})
    if scope.inspector_id and path.own:
        q |= Q(**{path.own: scope.inspector_id})
    return q


def readable(user, queryset: QuerySet, *, public: bool = True) -> QuerySet:
    """The rows of `queryset` the user may see. With `public` (API, pages), users without a
    scope see every row (their views show public fields only); without it (the admin), nothing."""
    scope = user_scope(user)
    path = scope_path(queryset.model)
    if scope.everything or path is None:
        return queryset
    if scope.public_reader:
        return queryset if public else queryset.none()
    if scope.read_all:
        return queryset
    q = _read_filter(scope, path)
    if path.district is None and path.region == "pk" and scope.read_districts:
        return queryset.filter(pk__in=queryset.model.objects.filter(q).values("pk"))
    return queryset.filter(q)


def writable(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the user's permissions may change (if the model permission allows)."""
    scope = user_scope(user)
    path = scope_path(queryset.model)
    if scope.everything or path is None:
        return queryset
    if scope.public_reader:
        return queryset.none()
    return queryset.filter(_write_filter(scope, path))


def _follow(obj: Model, lookup: str) -> Any:
    """The key at the end of a lookup path (`precinct__district` → the district's id), read
    from loaded objects (`<field>_id` at the last step)."""
    if lookup == "pk":
        return obj.pk
    *steps, last = lookup.split("__")
    current = obj
    for step in steps:
        current = getattr(current, step, None)
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def object_district(obj: Model) -> Any:
    path = scope_path(type(obj))
    return None if path is None or path.district is None else _follow(obj, path.district)


def can_read(user, obj: Model) -> bool:
    """May the user see this object (with its private fields, if the model permission allows)?"""
    scope = user_scope(user)
    path = scope_path(type(obj))
    if scope.everything or path is None:
        return True
    if scope.public_reader:
        return False
    if scope.read_all:
        return True
    if scope.inspector_id and path.own and _follow(obj, path.own) == scope.inspector_id:
        return True
    if path.district is not None and _follow(obj, path.district) in scope.read_districts:
        return True
    if path.region is not None and _follow(obj, path.region) in scope.read_regions:
        return True
    if path.district is None and path.region == "pk" and scope.read_districts:
        return obj.districts.filter(pk__in=scope.read_districts).exists()
    if path.whole_region is not None and _follow(obj, path.whole_region) in scope.whole_regions:
        return True
    return False


def can_read_whole_region(user, region: Model) -> bool:
    """May the user work on a whole region at once (a region's siting plan)? Who reaches
    everything, a nationwide analyst, or a membership covering the entire region."""
    scope = user_scope(user)
    if scope.everything or scope.read_all:
        return True
    return region.pk in scope.whole_regions


def can_write(user, obj: Model) -> bool:
    """May the user change (or create, or delete) this object in its current state? The model
    permission is checked elsewhere."""
    scope = user_scope(user)
    path = scope_path(type(obj))
    if scope.everything or path is None:
        return True
    if scope.public_reader:
        return False
    if scope.inspector_id and path.own and _follow(obj, path.own) == scope.inspector_id:
        return True
    if scope.own_only:
        return False
    return path.district is not None and _follow(obj, path.district) in scope.write_districts


def write_denial(user, obj: Model) -> str | None:
    """Why the user may not change this object in its current state, or None when they may."""
    if can_write(user, obj):
        return None
    if user_scope(user).own_only:
        return str(MSG_NOT_OWN)
    return _district_message(obj, scope_path(type(obj)))


def _district_message(obj: Model, path: ScopePath) -> str:
    district_id = _follow(obj, path.district) if path.district else None
    if district_id is None:
        return str(MSG_NO_DISTRICT)
    from django.apps import apps

    district = apps.get_model("stations", "District").objects.filter(pk=district_id).first()
    return str(MSG_OUT_OF_SCOPE % {"district": district or district_id})


def own_fields_denial(user, obj: Model, fields: set[str]) -> str | None:
    """An inspector changing their own card may touch only their public contacts."""
    scope = user_scope(user)
    if not scope.own_only or scope_path(type(obj)) is not SCOPE_PATHS["officers.inspector"]:
        return None
    extra = set(fields) - set(INSPECTOR_SELF_FIELDS)
    if not extra:
        return None
    return str(MSG_OWN_FIELDS % {"fields": ", ".join(INSPECTOR_SELF_FIELDS)})


def write_field(model: type[Model]) -> str | None:
    """The form field that places a record in a district (its first step), for error messages."""
    path = scope_path(model)
    if path is None or path.district in (None, "pk"):
        return None
    return path.district.split("__", 1)[0]


def can_view_private(user, model, obj: Model | None = None) -> bool:
    """True when the user may see a model's private fields: its `view_<model>` permission, or
    `change_<model>`, which implies viewing as in Django's admin, and a scope that covers the
    object (a list is already narrowed to the scope)."""
    if user is None or not user.is_authenticated:
        return False
    opts = model._meta
    allowed = user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )
    if not allowed:
        return False
    scope = user_scope(user)
    if scope.everything or scope_path(model) is None:
        return True
    if scope.public_reader:
        return False
    return True if obj is None else can_read(user, obj)


# -- API -------------------------------------------------------------------------------------


class ModelPermissionsOrPublicRead(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Reads for everyone (views decide which fields are public, querysets are scoped); writes
    by model permission and, per object, by the user's scope."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        denial = write_denial(request.user, obj)
        if denial is not None:
            raise exceptions.PermissionDenied(denial)
        return True


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
