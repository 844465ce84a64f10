"""Admin for meetings, suggestions and the routing data; every write goes through
meetings.services (saves, transitions, re-routes, merges), so the rules hold here too."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from officers.admin import ReadOnlyAdminMixin
from servicepolice.history_admin import AuditHistoryAdmin
from stations.admin import GeoAdmin, LightListMixin, RelatedOnlyListFilter, count_of

from . import services
from .forms import SuggestionActionForm, SuggestionAdminForm
from .models import Category, Meeting, ResponsibleBody, RoutingRule, Suggestion, SuggestionEvent
from .quarters import Quarter


class QuarterListFilter(admin.SimpleListFilter):
    """The current quarter and the four before it, in local time."""

    title = _("квартал")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        current = Quarter.current()
        return [(str(current.shift(-k)), current.shift(-k).label) for k in range(5)]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            return queryset.in_quarter(Quarter.parse(self.value()))
        except ValueError:
            return queryset.none()


class OverdueListFilter(admin.SimpleListFilter):
    title = _("срок")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("просрочено")), ("no", _("в срок или закрыто"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(overdue=True)
        if self.value() == "no":
            return queryset.filter(overdue=False)
        return queryset


class SuggestionInline(admin.TabularInline):
    model = Suggestion
    fields = ["text", "category", "external_ref", "status", "body", "deadline"]
    readonly_fields = ["status", "body", "deadline"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body")


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
        QuarterListFilter,
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
    readonly_fields = ["printable", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["precinct", "inspector", "kind", "status"]}),
        (_("Когда и где"), {"fields": ["scheduled_at", "held_at", "place", "geom"]}),
        (_("Итоги"), {"fields": ["attendees", "minutes", "cancel_reason", "printable"]}),
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

    @admin.display(description=_("для печати"))
    def printable(self, obj: Meeting) -> str:
        if not obj.pk:
            return "—"
        agenda = format_html(
            '<a href="{}">{}</a>',
            reverse("reach:agenda", args=[obj.precinct_id]),
            _("повестка следующей отчётной встречи участка"),
        )
        if obj.status != Meeting.Status.HELD:
            return agenda
        report = format_html(
            '<a href="{}">{}</a>', reverse("meetings:report", args=[obj.pk]), _("отчёт о встрече")
        )
        return format_html("{} · {}", report, agenda)

    def save_model(self, request, obj, form, change):
        services.meeting_save(meeting=obj)

    def save_formset(self, request, form, formset, change):
        suggestions = formset.save(commit=False)
        for suggestion in formset.deleted_objects:
            suggestion.delete()
        for suggestion in suggestions:
            services.suggestion_save(suggestion=suggestion, user=request.user)
        formset.save_m2m()


class SuggestionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SuggestionEvent
    fk_name = "suggestion"
    fields = ["at", "kind", "from_status", "to_status", "body", "comment", "user"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("история: кто, когда, из какого статуса в какой")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("body", "user")


@admin.register(Suggestion)
class SuggestionAdmin(LightListMixin, AuditHistoryAdmin):
    form = SuggestionAdminForm
    list_display = [
        "short_text",
        "category",
        "status",
        "body",
        "deadline",
        "overdue_flag",
        "meeting",
        "created_at",
    ]
    list_filter = [
        "status",
        OverdueListFilter,
        ("body", RelatedOnlyListFilter),
        "category",
        ("meeting__precinct__district", RelatedOnlyListFilter),
    ]
    list_select_related = ["meeting__precinct", "category", "body"]
    search_fields = ["text", "resolution", "external_ref", "meeting__place"]
    autocomplete_fields = ["meeting", "body"]
    readonly_fields = ["status", "resolution", "resolved_on", "merged_into", "merged_texts"]
    readonly_fields += ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["meeting", "text", "category", "external_ref"]}),
        (
            _("Рассмотрение"),
            {
                "fields": [
                    "status",
                    "body",
                    "deadline",
                    "new_status",
                    "comment",
                    "resolution",
                    "resolved_on",
                ]
            },
        ),
        (_("Объединение"), {"fields": ["merged_into", "merged_texts"]}),
        (_("Служебное"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [SuggestionEventInline]
    actions = ["forward", "resolve", "reject", "merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue()

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # a new one is routed automatically and starts as "new"
            fields = ["meeting", "text", "category", "external_ref", "body", "deadline"]
            return [(None, {"fields": fields})]
        return self.fieldsets

    @admin.display(description=_("текст предложения"), ordering="text")
    def short_text(self, obj: Suggestion) -> str:
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("просрочено"), boolean=True, ordering="overdue")
    def overdue_flag(self, obj: Suggestion) -> bool:
        return obj.overdue

    @admin.display(description=_("присоединённые предложения"))
    def merged_texts(self, obj: Suggestion) -> str:
        merged = list(obj.merged.order_by("pk")) if obj.pk else []
        if not merged:
            return "—"
        return format_html_join("", "<p>№{}: {}</p>", ((m.pk, m.text) for m in merged))

    def save_model(self, request, obj, form, change):
        if not change:
            services.suggestion_save(suggestion=obj, user=request.user)
            return
        new_body = obj.body
        body_changed = "body" in form.changed_data
        if body_changed:  # the edit itself keeps the stored body; the re-route changes it
            obj.body_id = form.initial.get("body")
        services.suggestion_save(suggestion=obj, user=request.user)
        new_status = form.cleaned_data.get("new_status")
        comment = form.cleaned_data.get("comment", "")
        if new_status:
            services.suggestion_transition(
                suggestion=obj,
                to_status=new_status,
                comment=comment,
                body=new_body if body_changed else None,
                user=request.user,
            )
        elif body_changed:
            services.suggestion_route(
                suggestion=obj, body=new_body, comment=comment, user=request.user
            )
        elif comment.strip():
            services.suggestion_comment(suggestion=obj, comment=comment, user=request.user)

    # --- Bulk actions: an intermediate page asks for the comment (and body or main one) ------

    @admin.action(description=_("Направить исполнителю (с комментарием)"))
    def forward(self, request, queryset):
        return self._transition(request, queryset, "forward", Suggestion.Status.FORWARDED)

    @admin.action(description=_("Отметить решёнными (с комментарием о результате)"))
    def resolve(self, request, queryset):
        return self._transition(request, queryset, "resolve", Suggestion.Status.RESOLVED)

    @admin.action(description=_("Отклонить (с комментарием о причине)"))
    def reject(self, request, queryset):
        return self._transition(request, queryset, "reject", Suggestion.Status.REJECTED)

    @admin.action(description=_("Объединить похожие предложения участка"))
    def merge(self, request, queryset):
        form = self._action_form(request, queryset, "merge")
        if not form.is_bound or not form.is_valid():
            return self._action_page(request, queryset, form, _("Объединить предложения"))
        target = form.cleaned_data["target"]
        try:
            services.suggestion_merge(
                target=target,
                suggestions=[s for s in queryset if s.pk != target.pk],
                comment=form.cleaned_data["comment"],
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return None
        self.message_user(
            request, _("Предложения присоединены к №%(id)s.") % {"id": target.pk}, messages.SUCCESS
        )
        return None

    def _transition(self, request, queryset, kind: str, to_status: str):
        form = self._action_form(request, queryset, kind)
        if not form.is_bound or not form.is_valid():
            title = getattr(self, kind).short_description
            return self._action_page(request, queryset, form, title)
        done, failed = 0, []
        for suggestion in queryset:
            try:
                services.suggestion_transition(
                    suggestion=suggestion,
                    to_status=to_status,
                    comment=form.cleaned_data["comment"],
                    body=form.cleaned_data.get("body"),
                    user=request.user,
                )
                done += 1
            except ValidationError as error:
                failed.append(f"№{suggestion.pk}: {' '.join(error.messages)}")
        if done:
            self.message_user(
                request,
                ngettext(
                    "Изменено %(count)d предложение.",
                    "Изменено %(count)d предложений.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        for line in failed:
            self.message_user(request, line, messages.ERROR)
        return None

    def _action_form(self, request, queryset, kind: str) -> SuggestionActionForm:
        data = request.POST if "apply" in request.POST else None
        return SuggestionActionForm(data, kind=kind, suggestions=queryset)

    def _action_page(self, request, queryset, form, title):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "suggestions": queryset.select_related("category", "body"),
            "form": form,
            "action": request.POST.get("action"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/meetings/suggestion_action.html", context)


@admin.register(SuggestionEvent)
class SuggestionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The history of every suggestion; written only by meetings.services."""

    list_display = ["at", "suggestion", "kind", "from_status", "to_status", "body", "user"]
    list_filter = ["kind", "to_status", ("body", RelatedOnlyListFilter)]
    list_select_related = ["suggestion", "body", "user"]
    search_fields = ["comment", "suggestion__text"]
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("meetings.view_suggestionevent") or request.user.has_perm(
            "meetings.view_suggestion"
        )


@admin.register(Category)
class CategoryAdmin(AuditHistoryAdmin):
    list_display = ["name", "code", "sort_order", "suggestion_count"]
    search_fields = ["name", "name_kk", "code"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(suggestion_count=count_of("category", Suggestion.objects.all()))
        )

    @admin.display(description=_("предложений"), ordering="suggestion_count")
    def suggestion_count(self, obj: Category) -> int:
        return obj.suggestion_count

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)


@admin.register(ResponsibleBody)
class ResponsibleBodyAdmin(LightListMixin, AuditHistoryAdmin):
    list_display = [
        "name",
        "name_kk",
        "kind",
        "district",
        "is_active",
        "open_count",
        "overdue_count",
    ]
    list_filter = ["kind", "is_active", ("district", RelatedOnlyListFilter)]
    list_select_related = ["district"]
    search_fields = ["name", "name_kk", "district__name"]
    autocomplete_fields = ["district"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        open_ones = Suggestion.objects.open()
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_count=count_of("body", open_ones),
                overdue_count=count_of("body", open_ones.overdue()),
            )
        )

    @admin.display(description=_("открытых предложений"), ordering="open_count")
    def open_count(self, obj: ResponsibleBody) -> int:
        return obj.open_count

    @admin.display(description=_("просрочено"), ordering="overdue_count")
    def overdue_count(self, obj: ResponsibleBody):
        if not obj.overdue_count:
            return 0
        url = reverse("admin:meetings_suggestion_changelist")
        return format_html(
            '<a href="{}?body__id__exact={}&amp;overdue=yes">{}</a>',
            url,
            obj.pk,
            obj.overdue_count,
        )

    def save_model(self, request, obj, form, change):
        services.responsible_body_save(body=obj)


@admin.register(RoutingRule)
class RoutingRuleAdmin(LightListMixin, AuditHistoryAdmin):
    list_display = ["category", "district_or_default", "body", "deadline_days"]
    list_filter = [
        "category",
        ("district", RelatedOnlyListFilter),
        ("body", RelatedOnlyListFilter),
    ]
    list_select_related = ["category", "district", "body"]
    search_fields = ["category__name", "district__name", "body__name"]
    autocomplete_fields = ["district", "body"]
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("район"), ordering="district__name")
    def district_or_default(self, obj: RoutingRule) -> str:
        return obj.district.name if obj.district_id else _("все районы (по умолчанию)")

    def save_model(self, request, obj, form, change):
        services.routing_rule_save(rule=obj)
