"""Admin for meetings with residents and their suggestions; saves go through meetings.services."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from stations.admin import GeoAdmin, LightListMixin, RelatedOnlyListFilter, count_of

from . import services
from .models import Meeting, Suggestion


class SuggestionInline(admin.TabularInline):
    model = Suggestion
    fields = ["text", "category", "status", "resolution", "resolved_on"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(GeoAdmin):
    list_display = [
        "scheduled_at",
        "kind",
        "status",
        "precinct",
        "district",
        "inspector",
        "attendees",
        "suggestion_count",
    ]
    list_filter = [
        "status",
        "kind",
        ("precinct__district__region", RelatedOnlyListFilter),
        ("precinct__district", RelatedOnlyListFilter),
    ]
    list_select_related = ["precinct__district", "inspector"]
    search_fields = [
        "place",
        "precinct__name",
        "precinct__district__name",
        "inspector__last_name",
        "inspector__personnel_number",
    ]
    autocomplete_fields = ["precinct", "inspector"]
    date_hierarchy = "scheduled_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["precinct", "inspector", "kind", "status"]}),
        (_("Когда и где"), {"fields": ["scheduled_at", "held_at", "place", "geom"]}),
        (_("Итоги"), {"fields": ["attendees", "minutes", "cancel_reason"]}),
        (_("Служебное"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [SuggestionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(suggestion_count=count_of("meeting", Suggestion.objects.all()))
        )

    @admin.display(description=_("район"), ordering="precinct__district__name")
    def district(self, obj: Meeting):
        return obj.precinct.district

    @admin.display(description=_("предложений"), ordering="suggestion_count")
    def suggestion_count(self, obj: Meeting) -> int:
        return obj.suggestion_count

    def save_model(self, request, obj, form, change):
        services.meeting_save(meeting=obj)

    def save_formset(self, request, form, formset, change):
        suggestions = formset.save(commit=False)
        for suggestion in formset.deleted_objects:
            suggestion.delete()
        for suggestion in suggestions:
            services.suggestion_save(suggestion=suggestion)
        formset.save_m2m()


@admin.register(Suggestion)
class SuggestionAdmin(LightListMixin, admin.ModelAdmin):
    list_display = ["short_text", "category", "status", "meeting", "resolved_on", "created_at"]
    list_filter = [
        "status",
        ("meeting__precinct__district", RelatedOnlyListFilter),
        "meeting__kind",
    ]
    list_select_related = ["meeting__precinct"]
    search_fields = ["text", "category", "resolution", "meeting__place"]
    autocomplete_fields = ["meeting"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("текст предложения"), ordering="text")
    def short_text(self, obj: Suggestion) -> str:
        return Truncator(obj.text).chars(80)

    def save_model(self, request, obj, form, change):
        services.suggestion_save(suggestion=obj)
