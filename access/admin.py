"""The membership on the user's page, and the scope on every registry admin.

Loaded after every app's admin (access comes last in INSTALLED_APPS), this module registers a
subclass of each registered ModelAdmin with `ScopedAdminMixin`, as exchange/admin.py does for
exports, so no app imports this one. The mixin asks servicepolice/permissions.py only.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from servicepolice import permissions as perms
from servicepolice.concurrency import current_version, version_token

from .models import Membership
from .roles import PLATFORM_APPS

VERSION_FIELD = "_version"

MSG_CONFLICT = _(
    "Запись изменил(а) %(user)s %(when)s, пока вы её редактировали. Ваши данные сохранены в "
    "форме ниже: проверьте их и сохраните ещё раз."
)
MSG_SOMEONE = _("другой пользователь")
MSG_ACTION_OUT_OF_SCOPE = _(
    "Действие не выполнено: среди выбранных есть записи, которые вы не можете изменять."
)
MSG_IMPORT_ADMIN_ONLY = _("Загрузка из файлов доступна только администраторам.")
MSG_CHOICE_OUT_OF_SCOPE = _(
    "Выберите вариант из вашего района: в этом у вас нет прав на изменение записей."
)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    fk_name = "user"
    filter_horizontal = ["regions", "districts"]
    autocomplete_fields = ["inspector"]
    verbose_name_plural = _("Участок ответственности (области, районы, инспектор)")


User = get_user_model()
if admin.site.is_registered(User):
    user_admin_class = type(admin.site._registry[User])
    admin.site.unregister(User)
else:
    user_admin_class = UserAdmin


@admin.register(User)
class ScopedUserAdmin(user_admin_class):
    inlines = [*getattr(user_admin_class, "inlines", []), MembershipInline]


def _editor(obj, since) -> str:
    """Who last changed the record after `since`, from the admin's log (or "another user")."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
            object_id=str(obj.pk),
            action_time__gte=since,
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    return str(entry.user) if entry is not None else str(MSG_SOMEONE)


class ScopedForm(forms.ModelForm):
    """An admin change form that keeps the version it was loaded at and refuses a save over a
    newer one (no lost updates), and refuses to put the record where the user may not write."""

    scope_user = None  # set per request by ScopedAdminMixin.get_form

    _version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if VERSION_FIELD in self.fields and self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = version_token(self.instance)

    def _post_clean(self) -> None:
        super()._post_clean()
        user, instance = self.scope_user, self.instance
        if user is None:
            return
        if VERSION_FIELD in self.fields and instance.pk is not None:
            self._check_version(instance)
        denial = perms.write_denial(user, instance)
        if denial is not None:
            field = perms.write_field(type(instance))
            self.add_error(field if field in self.fields else None, denial)
        changed = {name for name in self.changed_data if name != VERSION_FIELD}
        denial = perms.own_fields_denial(user, instance, changed)
        if denial is not None:
            self.add_error(None, denial)

    def _check_version(self, instance) -> None:
        posted = self.data.get(self.add_prefix(VERSION_FIELD)) or ""
        if not posted:
            return  # a form without the token (an old page) is accepted, as in the API
        # The admin's change view runs in a transaction: the row stays locked until saved.
        current, updated_at = current_version(type(instance), instance.pk, lock=True)
        if current is None or current == posted:
            return
        when = formats.date_format(timezone.localtime(updated_at), "DATETIME_FORMAT")
        self.add_error(
            None,
            MSG_CONFLICT % {"user": _editor(instance, updated_at), "when": when},
        )
        # The re-shown form carries the new version: a second save after review goes through.
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = current
        self.data = data


class ScopedAdminMixin:
    """Rows, objects, choices and actions narrowed to the user's scope."""

    def get_queryset(self, request):
        return perms.readable(request.user, super().get_queryset(request), public=False)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and (
            obj is None or perms.can_read(request.user, obj)
        )

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or perms.can_write(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or perms.can_write(request.user, obj)
        )

    def _may_import(self, request) -> bool:
        # Imports write rows of any district from a file: Administrators only.
        if not perms.user_scope(request.user).everything:
            return False
        return super()._may_import(request)

    def import_view(self, request):
        if not perms.user_scope(request.user).everything:
            raise PermissionDenied(MSG_IMPORT_ADMIN_ONLY)
        return super().import_view(request)

    # -- choices ---------------------------------------------------------------------------
    @staticmethod
    def choices_for(user, queryset):
        """Related rows a user may attach a record to: where they write (their own records'
        neighbourhood, for an inspector: what they read)."""
        if perms.user_scope(user).own_only:
            return perms.readable(user, queryset, public=False)
        return perms.writable(user, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and perms.scope_path(db_field.related_model) is not None:
            field.queryset = self.choices_for(request.user, field.queryset)
            field.error_messages["invalid_choice"] = MSG_CHOICE_OUT_OF_SCOPE
        return field

    def get_search_results(self, request, queryset, search_term):
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = self.choices_for(request.user, queryset)
        return queryset, duplicates

    # -- the form --------------------------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(
            f"Scoped{base.__name__}",
            (ScopedForm, base),
            {"scope_user": request.user, "__module__": base.__module__},
        )
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        present = VERSION_FIELD in flatten_fieldsets(fieldsets)
        editable = obj is None or self.has_change_permission(request, obj)
        if editable and not present and fieldsets:
            name, options = fieldsets[0]
            fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        elif not editable and present:
            fieldsets = [
                (name, {**o, "fields": [f for f in o["fields"] if f != VERSION_FIELD]})
                for name, o in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and perms.own_fields_denial(request.user, obj, {"*"}) is not None:
            # An inspector on their own card: only the contacts residents see stay editable.
            form_fields = [f.name for f in self.model._meta.fields if f.editable]
            readonly += [
                f for f in form_fields if f not in perms.INSPECTOR_SELF_FIELDS and f not in readonly
            ]
        return readonly

    # -- actions ---------------------------------------------------------------------------
    def get_actions(self, request):
        actions = super().get_actions(request)
        return {
            name: (self._scoped_action(func), name, description)
            for name, (func, name, description) in actions.items()
        }

    @staticmethod
    def _scoped_action(func):
        if set(getattr(func, "allowed_permissions", ("change",))) <= {"view"}:
            return func  # reading (exports): the list is already scoped

        @functools.wraps(func)
        def scoped(modeladmin, request, queryset):
            allowed = perms.writable(request.user, queryset.model._default_manager.all())
            if queryset.exclude(pk__in=allowed.values("pk")).exists():
                modeladmin.message_user(request, MSG_ACTION_OUT_OF_SCOPE, messages.ERROR)
                return None
            # The changelist leaves geometry in the database; a write (a delete's coverage
            # signal) needs it, and a deferred field cannot be read once the row is gone.
            return func(modeladmin, request, queryset.defer(None))

        return scoped


def _wire_registered_admins(site: admin.AdminSite) -> None:
    for model, model_admin in list(site._registry.items()):
        if model._meta.app_label in PLATFORM_APPS:
            continue
        if isinstance(model_admin, ScopedAdminMixin) or model is User:
            continue
        base = type(model_admin)
        attrs = {"__module__": base.__module__, "__doc__": base.__doc__}
        site.unregister(model)
        site.register(model, type(base.__name__, (ScopedAdminMixin, base), attrs))


_wire_registered_admins(admin.site)
