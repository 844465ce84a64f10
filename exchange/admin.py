"""Admin wiring of imports, exports and the territory check.

Every changelist of the registry's apps gets export buttons (CSV, XLSX; GeoJSON, Shapefile,
GeoPackage for maps) that apply the changelist's current filters, search and ordering, and the
models that can be loaded from files get an import page: upload, a preview of what each row
would do (with its errors), then confirm. The ModelAdmins stay in their apps: this module,
loaded last by admin autodiscovery, registers a subclass of each with these additions, so no
app imports this one.
"""

from __future__ import annotations

import datetime
import json
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from officers.models import Assistant, Inspector
from stations.admin import geometry_fields
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station

from . import services
from .export import (
    CHUNK_SIZE,
    FORMAT_LABELS,
    GEO_FORMATS,
    TABULAR_FORMATS,
    ExportTable,
    export_response,
)
from .forms import ImportForm
from .models import TerritoryCheck
from .sources import ImportFileError
from .topology import KIND_LABELS, territory_check

EXPORT_APPS = {"stations", "officers", "meetings", "reach"}
PREVIEW_ROWS = 500
SESSION_KEY = "exchange_imports"

# model -> (service, fixed options, form fields)
BOUNDARY_FIELDS = ["layer", "name_field", "where", "srid", "encoding"]
POINT_FIELDS = ["layer", "where", "srid", "lat_field", "lon_field", "encoding"]
IMPORTS = {
    Region: (
        services.boundaries_import,
        {"level": "region"},
        [*BOUNDARY_FIELDS, "name_kk_field", "kato_field"],
    ),
    District: (
        services.boundaries_import,
        {"level": "district"},
        [
            *BOUNDARY_FIELDS,
            "name_kk_field",
            "kato_field",
            "population_field",
            "parent_field",
            "parent_kato",
            "kind",
        ],
    ),
    Precinct: (
        services.boundaries_import,
        {"level": "precinct"},
        [*BOUNDARY_FIELDS, "number_field", "population_field", "parent_field", "parent_kato"],
    ),
    Settlement: (
        services.settlements_import,
        {},
        [
            *POINT_FIELDS,
            "name_field",
            "name_kk_field",
            "kato_field",
            "population_field",
            "district_field",
            "district_kato",
        ],
    ),
    Station: (
        services.facilities_import,
        {"kind": "station"},
        [*POINT_FIELDS, "district_field", "district_kato"],
    ),
    ModularPost: (
        services.facilities_import,
        {"kind": "post"},
        [*POINT_FIELDS, "district_field", "district_kato"],
    ),
    Inspector: (services.inspectors_import, {}, ["layer", "encoding", "on"]),
    Assistant: (services.assistants_import, {}, ["layer", "encoding"]),
}
TABULAR_ONLY = {Inspector, Assistant}


def _api_views() -> dict[type[models.Model], type]:
    """The API viewset of each model (its serializers decide what a user may see)."""
    from servicepolice.urls import router  # the URLconf imports every app's API

    found = {}
    for _prefix, viewset, _basename in router.registry:
        serializer = getattr(viewset, "serializer_class", None)
        queryset = getattr(viewset, "queryset", None)
        model = queryset.model if queryset is not None else None
        if model is None and serializer is not None:
            model = serializer.Meta.model
        if model is not None:
            found.setdefault(model, viewset)
    return found


def _generic_serializer(model: type[models.Model]) -> type[serializers.ModelSerializer]:
    names = [
        f.name
        for f in model._meta.concrete_fields
        if not getattr(f, "geom_type", None) and f.name != "geom"
    ]
    meta = type("Meta", (), {"model": model, "fields": names})
    return type(f"{model.__name__}ExportSerializer", (serializers.ModelSerializer,), {"Meta": meta})


def export_serializer(model: type[models.Model], request) -> type[serializers.Serializer]:
    """The serializer the API lists this model with for this user (public or full), or one of
    the model's own fields when the API has no list of it."""
    viewset = _api_views().get(model)
    if viewset is None:
        return _generic_serializer(model)
    view = viewset()
    view.request = request
    view.action = "list"
    view.format_kwarg = None
    view.kwargs = {}
    view.args = ()
    try:
        return view.get_serializer_class()
    except Exception:  # noqa: BLE001 - a viewset that needs a DRF request: the model's fields
        return _generic_serializer(model)


def _related_paths(tree, prefix: str = "") -> list[str]:
    if not isinstance(tree, dict):
        return []
    paths = []
    for name, children in tree.items():
        paths.append(prefix + name)
        paths.extend(_related_paths(children, f"{prefix}{name}__"))
    return paths


class ExchangeAdminMixin:
    """Export buttons on the changelist, and the import page for models that have one."""

    exchange_base_template: str | None = None  # the admin's own change_list_template, if any

    def exchange_formats(self) -> list[str]:
        has_geometry = any(f.name == "geom" for f in self.model._meta.concrete_fields)
        return list(TABULAR_FORMATS) + (list(GEO_FORMATS) if has_geometry else [])

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        urls = [
            path(
                "export/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name=f"{name}_export",
            )
        ]
        if self.model in IMPORTS:
            urls.append(
                path("import/", self.admin_site.admin_view(self.import_view), name=f"{name}_import")
            )
        return urls + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        opts = self.model._meta
        query = request.GET.urlencode()
        exports = [
            (
                fmt,
                FORMAT_LABELS[fmt],
                reverse(f"admin:{opts.app_label}_{opts.model_name}_export", args=[fmt])
                + (f"?{query}" if query else ""),
            )
            for fmt in self.exchange_formats()
        ]
        can_import = self.model in IMPORTS and self._may_import(request)
        context = {
            "exchange_exports": exports,
            "exchange_import_url": (
                reverse(f"admin:{opts.app_label}_{opts.model_name}_import") if can_import else None
            ),
            "exchange_base_template": select_template(
                [self.exchange_base_template]
                if self.exchange_base_template
                else [
                    f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                    f"admin/{opts.app_label}/change_list.html",
                    "admin/change_list.html",
                ]
            ).template.name,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    # -- export --------------------------------------------------------------------------
    def export_view(self, request, fmt: str):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        if fmt not in self.exchange_formats():
            raise Http404(_("Нет такого формата выгрузки."))
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(_("Неверные параметры фильтра."))
        queryset = changelist.get_queryset(request)
        table = ExportTable(
            model=self.model,
            serializer_class=export_serializer(self.model, request),
            user=request.user,
            fmt=fmt,
            context={"request": request},
        )
        # The changelist leaves every geometry in the database; the export reads the model's
        # own when the format needs it, never a related model's.
        related = geometry_fields(self.model, _related_paths(queryset.query.select_related))
        skip = [f for f in related if "__" in f]
        if table.geometry_type and not table.needs_geometry:
            skip.append("geom")
        queryset = queryset.defer(None).defer(*skip) if skip else queryset.defer(None)
        return export_response(
            objects=queryset.iterator(chunk_size=CHUNK_SIZE),
            table=table,
            basename=str(self.model._meta.model_name),
        )

    # -- import --------------------------------------------------------------------------
    def _may_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        if not self._may_import(request):
            raise PermissionDenied
        service, fixed, fields = IMPORTS[self.model]
        opts = self.model._meta
        changelist_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        pending = request.session.get(SESSION_KEY, {})
        if request.method == "POST" and ("confirm" in request.POST or "cancel" in request.POST):
            token = request.POST.get("token", "")
            job = pending.pop(token, None)
            request.session[SESSION_KEY] = pending
            if job is None or job["model"] != opts.label:
                messages.error(request, _("Загрузка устарела: выберите файл ещё раз."))
                return HttpResponseRedirect(request.path)
            try:
                if "cancel" in request.POST:
                    return HttpResponseRedirect(changelist_url)
                options = dict(job["options"])
                if options.get("on"):
                    options["on"] = datetime.date.fromisoformat(options["on"])
                report = service(path=Path(job["path"]), **fixed, **options)
            except ImportFileError as exc:
                messages.error(request, str(exc))
                return HttpResponseRedirect(request.path)
            finally:
                shutil.rmtree(Path(job["path"]).parent, ignore_errors=True)
            level = messages.WARNING if report.aborted else messages.SUCCESS
            messages.add_message(request, level, report.summary())
            if report.aborted:
                messages.warning(request, _("Есть строки с ошибками: ничего не записано."))
            return HttpResponseRedirect(changelist_url)

        form = ImportForm(
            request.POST or None, request.FILES or None, fields=self._form_fields(fields)
        )
        report = None
        token = None
        if request.method == "POST" and form.is_valid():
            folder = Path(settings.IMPORT_UPLOAD_DIR) / uuid.uuid4().hex
            folder.mkdir(parents=True, exist_ok=True)
            upload = form.cleaned_data["file"]
            target = folder / Path(upload.name).name
            with open(target, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            options = form.options()
            if "layer" in options and self.model in TABULAR_ONLY:
                options["sheet"] = options.pop("layer")
            try:
                report = service(path=target, **fixed, **options, dry_run=True)
            except ImportFileError as exc:
                form.add_error(None, str(exc))
                shutil.rmtree(folder, ignore_errors=True)
            else:
                token = uuid.uuid4().hex
                pending[token] = {
                    "model": opts.label,
                    "path": str(target),
                    "options": json.loads(
                        json.dumps(options, default=lambda v: v.isoformat() if v else None)
                    ),
                }
                request.session[SESSION_KEY] = pending
        rows = []
        if report is not None:
            rows = [r for r in report.rows if r.action != "unchanged" or r.notes]
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": _("Загрузка: %(model)s") % {"model": opts.verbose_name_plural},
            "form": form,
            "report": report,
            "report_lines": report.lines() if report else [],
            "rows": rows[:PREVIEW_ROWS],
            "rows_more": max(len(rows) - PREVIEW_ROWS, 0),
            "token": token,
            "changelist_url": changelist_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "exchange/admin/import.html", context)

    def _form_fields(self, fields: list[str]) -> list[str]:
        return [*fields, "strict"]


class TerritoryCheckAdmin(admin.ModelAdmin):
    """Overlaps, gaps and strays of the territory, per district or region (read only)."""

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("stations.view_district") or super().has_view_permission(
            request, obj
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        regions = Region.objects.defer("geom").order_by("name")
        districts = District.objects.defer("geom").select_related("region").order_by("name")
        chosen = District.objects.all()
        region_id = request.GET.get("region") or ""
        district_id = request.GET.get("district") or ""
        min_area = request.GET.get("min_area") or ""
        report = None
        error = None
        try:
            if district_id:
                chosen = chosen.filter(pk=int(district_id))
            elif region_id:
                chosen = chosen.filter(region_id=int(region_id))
            area = float(min_area) if min_area else None
            if area is not None and area < 0:
                raise ValueError
        except ValueError:
            error = _("Неверные параметры проверки.")
        else:
            if "run" in request.GET:
                report = territory_check(districts=chosen, min_area_m2=area)
        links = {
            "stations.precinct": "admin:stations_precinct_change",
            "stations.station": "admin:stations_station_change",
            "stations.modularpost": "admin:stations_modularpost_change",
            "stations.settlement": "admin:stations_settlement_change",
            "stations.district": "admin:stations_district_change",
        }
        findings = []
        for finding in report.findings if report else []:
            findings.append(
                {
                    "finding": finding,
                    "links": [
                        reverse(links[label], args=[pk])
                        for label, pk in finding.objects
                        if label in links
                    ],
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Проверка территории"),
            "regions": regions,
            "districts": districts,
            "region_id": region_id,
            "district_id": district_id,
            "min_area": min_area,
            "default_min_area": settings.TOPOLOGY_MIN_AREA_M2,
            "report": report,
            "findings": findings,
            "kind_labels": KIND_LABELS,
            "error": error,
        }
        return TemplateResponse(request, "exchange/admin/territory_check.html", context)


admin.site.register(TerritoryCheck, TerritoryCheckAdmin)


def _wire_registered_admins(site: admin.AdminSite) -> None:
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label not in EXPORT_APPS or isinstance(model_admin, ExchangeAdminMixin):
            continue
        base = type(model_admin)
        attrs = {"__module__": base.__module__, "__doc__": base.__doc__}
        if getattr(base, "change_list_template", None):
            attrs["exchange_base_template"] = base.change_list_template
        attrs["change_list_template"] = "exchange/admin/change_list.html"
        wired = type(base.__name__, (ExchangeAdminMixin, base), attrs)
        site.unregister(model)
        site.register(model, wired)


_wire_registered_admins(admin.site)
