"""Admin for offence statistics, candidate sites and siting plans; writes go through services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from leaflet.admin import LeafletGeoAdmin

from servicepolice.history_admin import AuditHistoryAdmin

from . import services
from .importing import OffenceImportError, offence_counts_import
from .models import CandidateSite, OffenceCategory, OffenceCount, SitingPlan, SitingPlanSite


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(AuditHistoryAdmin):
    list_display = ["name", "code", "position"]
    list_editable = ["position"]
    search_fields = ["name", "code"]

    def save_model(self, request, obj, form, change):
        services.offence_category_save(category=obj)


class OffenceImportForm(forms.Form):
    file = forms.FileField(
        label=_("файл"),
        help_text=_(
            "CSV или XLSX со столбцами district (код КАТО района), precinct (номер участка, "
            "пусто — район в целом), category (код или название), month (ГГГГ-ММ), count."
        ),
    )


@admin.register(OffenceCount)
class OffenceCountAdmin(AuditHistoryAdmin):
    list_display = ["month", "district", "precinct", "category", "count"]
    list_filter = ["category", ("district", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "month"
    search_fields = ["district__name", "district__kato"]
    list_select_related = ["district", "precinct", "category"]
    autocomplete_fields = ["district", "precinct"]
    readonly_fields = ["created_at", "updated_at"]
    change_list_template = "admin/planning/offencecount/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("district__geom", "precinct__geom")

    def save_model(self, request, obj, form, change):
        services.offence_count_save(offence_count=obj)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="planning_offencecount_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        report = None
        form = OffenceImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = offence_counts_import(name=upload.name, file=upload)
            except OffenceImportError as exc:
                form.add_error("file", str(exc))
            else:
                if report.saved:
                    self.message_user(request, report.summary(), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:planning_offencecount_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Загрузка статистики правонарушений"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/planning/offencecount/import.html", context)


@admin.register(CandidateSite)
class CandidateSiteAdmin(AuditHistoryAdmin, LeafletGeoAdmin):
    list_display = ["name", "district", "kind", "active"]
    list_filter = ["active", "kind", ("district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "note"]
    autocomplete_fields = ["district"]
    list_select_related = ["district"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("district__geom")

    def save_model(self, request, obj, form, change):
        services.candidate_site_save(site=obj)


class SitingPlanSiteInline(admin.TabularInline):
    model = SitingPlanSite
    extra = 0
    can_delete = False
    fields = [
        "rank",
        "district",
        "source",
        "candidate",
        "newly_covered_population",
        "gain",
        "station",
        "post",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SitingPlan)
class SitingPlanAdmin(AuditHistoryAdmin):
    list_display = [
        "__str__",
        "district",
        "region",
        "facility_kind",
        "new_sites",
        "radius_m",
        "solver",
        "objective",
        "author",
        "created_at",
    ]
    list_filter = [
        "solver",
        "facility_kind",
        ("district", admin.RelatedOnlyFieldListFilter),
        ("region", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["district", "region", "author"]
    search_fields = ["name", "district__name", "region__name"]
    inlines = [SitingPlanSiteInline]
    actions = ["build_facilities"]
    readonly_fields = [
        f.name for f in SitingPlan._meta.concrete_fields if f.name not in ("id", "name")
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("district__geom", "region__geom")

    def has_add_permission(self, request):
        return False  # plans are run on the planning page or through the API

    def save_model(self, request, obj, form, change):
        obj.save(update_fields=["name"])  # only the name is editable

    @admin.action(
        description=_("Создать по плану планируемые УПП/посты"),
        permissions=["change"],
    )
    def build_facilities(self, request, queryset):
        for plan in queryset.select_related("district", "region"):
            try:
                created = services.siting_plan_build(plan=plan)
            except ValidationError as exc:
                self.message_user(request, f"{plan}: {'; '.join(exc.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(plan)s: создан %(count)s объект со статусом «планируется».",
                    "%(plan)s: создано %(count)s объектов со статусом «планируется».",
                    len(created),
                )
                % {"plan": plan, "count": len(created)},
                messages.SUCCESS,
            )
