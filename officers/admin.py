"""Admin for inspectors and assistants; the assignment history is shown, never edited here."""

from django.contrib import admin
from django.db import models
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from servicepolice.history_admin import AuditHistoryAdmin
from stations.admin import LightListMixin, RelatedOnlyListFilter

from . import services
from .models import Assignment, Assistant, Inspector


class ReadOnlyAdminMixin:
    """No one adds, changes or deletes through the admin: officers.services writes these rows."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AssistantInline(admin.TabularInline):
    model = Assistant
    fields = ["last_name", "first_name", "middle_name", "phone"]
    extra = 0


class AssignmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Assignment
    fields = ["precinct", "district", "started_on", "ended_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("история закреплений за участками")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("precinct__district")

    @admin.display(description=_("район"))
    def district(self, obj: Assignment):
        return obj.precinct.district


@admin.register(Inspector)
class InspectorAdmin(LightListMixin, AuditHistoryAdmin):
    @method_decorator(sensitive_post_parameters("personnel_number", "personal_phone"))
    def changeform_view(self, request, *args, **kwargs):
        # Error reports never carry these fields (inline assistants' phones: see security.py).
        return super().changeform_view(request, *args, **kwargs)

    list_display = [
        "full_name",
        "personnel_number",
        "rank",
        "position",
        "precinct",
        "district",
        "station",
        "status",
    ]
    list_filter = [
        "status",
        "rank",
        "position",
        ("precinct__district__region", RelatedOnlyListFilter),
        ("precinct__district", RelatedOnlyListFilter),
    ]
    list_select_related = ["precinct__district", "station"]
    search_fields = ["last_name", "first_name", "middle_name", "personnel_number"]
    autocomplete_fields = ["precinct", "station"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "personnel_number",
                    ("last_name", "first_name", "middle_name"),
                    ("rank", "position"),
                    "status",
                    "appointed_on",
                    "photo",
                ]
            },
        ),
        (_("Участок"), {"fields": ["precinct", "station", "reception_hours"]}),
        (
            _("Связь"),
            {"fields": ["service_phone", "personal_phone", "messenger_url", "social_url"]},
        ),
        (_("Служебное"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [AssistantInline, AssignmentInline]
    # Links typed without a scheme are taken as https (Django 6's default, and what chats use).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("ФИО"), ordering="last_name")
    def full_name(self, obj: Inspector) -> str:
        return obj.full_name

    @admin.display(description=_("район"), ordering="precinct__district__name")
    def district(self, obj: Inspector):
        return obj.precinct.district if obj.precinct_id else None

    def save_model(self, request, obj, form, change):
        # The service closes the open assignment and opens one when the precinct changed.
        services.inspector_save(inspector=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Assignment:
            # Read-only history whose rows were loaded before save_model closed the open one:
            # saving them back would reopen it. Nothing changed, says the change message.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            return
        assistants = formset.save(commit=False)
        for assistant in formset.deleted_objects:
            assistant.delete()
        for assistant in assistants:
            services.assistant_save(assistant=assistant)
        formset.save_m2m()


@admin.register(Assistant)
class AssistantAdmin(LightListMixin, AuditHistoryAdmin):
    @method_decorator(sensitive_post_parameters("phone"))
    def changeform_view(self, request, *args, **kwargs):
        return super().changeform_view(request, *args, **kwargs)

    list_display = ["__str__", "inspector", "precinct", "phone"]
    list_select_related = ["inspector__precinct"]
    list_filter = [("inspector__precinct__district", RelatedOnlyListFilter)]
    search_fields = [
        "last_name",
        "first_name",
        "middle_name",
        "inspector__last_name",
        "inspector__personnel_number",
    ]
    autocomplete_fields = ["inspector"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("участок"), ordering="inspector__precinct__number")
    def precinct(self, obj: Assistant):
        return obj.inspector.precinct

    def save_model(self, request, obj, form, change):
        services.assistant_save(assistant=obj)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, LightListMixin, AuditHistoryAdmin):
    """The history of who served which precinct; written only by services.inspector_save."""

    list_display = ["inspector", "precinct", "district", "started_on", "ended_on"]
    list_filter = [
        ("precinct__district", RelatedOnlyListFilter),
        ("ended_on", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["inspector", "precinct__district"]
    search_fields = ["inspector__last_name", "inspector__personnel_number", "precinct__name"]
    date_hierarchy = "started_on"

    @admin.display(description=_("район"), ordering="precinct__district__name")
    def district(self, obj: Assignment):
        return obj.precinct.district
