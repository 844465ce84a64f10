"""Forms of the admin's suggestion pages: a transition or re-route from the change form, and the
intermediate page of the bulk actions. They check with the services' own checks, so a refused
move shows as a form error; the services then do the writing."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ResponsibleBody, Suggestion
from .services import (
    ALLOWED_TRANSITIONS,
    MSG_COMMENT_REQUIRED,
    suggestion_route_check,
    suggestion_transition_check,
)

MSG_BODY_WITH_OTHER_STATUS = _(
    "Исполнителя меняют либо отдельно (перенаправление), либо вместе со статусом "
    "«направлено исполнителю»."
)
MSG_MERGE_TARGET = _("Выберите основное предложение из отмеченных.")


def _add_errors(form: forms.Form, error: ValidationError, fields: dict[str, str]) -> None:
    """Put a service's ValidationError on the form, its keys renamed to the form's fields."""
    for key, messages in error.message_dict.items():
        name = fields.get(key, key)
        form.add_error(name if name in form.fields else None, messages)


class SuggestionAdminForm(forms.ModelForm):
    """The suggestion's own fields, plus a transition (target status and comment): the body
    changes by re-routing, the status by a transition, both through meetings.services."""

    new_status = forms.ChoiceField(label=_("Перевести в статус"), required=False)
    comment = forms.CharField(
        label=_("Комментарий"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Обязателен при смене статуса: что сделано или почему. Без смены статуса — "
            "просто запись в истории."
        ),
    )

    class Meta:
        model = Suggestion
        fields = ["meeting", "text", "category", "external_ref", "body", "deadline"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else Suggestion.Status.NEW
        allowed = ALLOWED_TRANSITIONS[current] if self.instance.pk else ()
        self.fields["new_status"].choices = [("", _("— не менять —"))] + [
            (status, Suggestion.Status(status).label) for status in allowed
        ]
        if not self.instance.pk:
            self.fields["new_status"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        stored = Suggestion.objects.get(pk=self.instance.pk)
        new_status = cleaned.get("new_status") or ""
        comment = cleaned.get("comment") or ""
        body_changed = "body" in self.changed_data
        body = cleaned.get("body")
        fields = {"status": "new_status", "comment": "comment", "body": "body"}
        try:
            if new_status:
                if body_changed and new_status != Suggestion.Status.FORWARDED:
                    raise ValidationError({"body": [MSG_BODY_WITH_OTHER_STATUS]})
                suggestion_transition_check(
                    suggestion=stored,
                    to_status=new_status,
                    comment=comment,
                    body=body if body_changed else None,
                )
            elif body_changed:
                suggestion_route_check(suggestion=stored, body=body, comment=comment)
        except ValidationError as error:
            _add_errors(self, error, fields)
        return cleaned


class SuggestionActionForm(forms.Form):
    """The intermediate page of a bulk action: a comment, and a body (forward) or the main
    suggestion (merge)."""

    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    body = forms.ModelChoiceField(
        label=_("Исполнитель"),
        queryset=ResponsibleBody.objects.filter(is_active=True),
        required=False,
        help_text=_("Пусто: исполнитель, назначенный по маршруту."),
    )
    target = forms.ModelChoiceField(
        label=_("Основное предложение"), queryset=Suggestion.objects.none(), required=False
    )

    def __init__(self, *args, kind: str, suggestions, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != "forward":
            del self.fields["body"]
        if kind == "merge":
            self.fields["target"].queryset = suggestions
            self.fields["target"].required = True
            self.fields["target"].error_messages["required"] = MSG_MERGE_TARGET
        else:
            del self.fields["target"]

    def clean_comment(self):
        comment = self.cleaned_data["comment"]
        if self.kind != "merge" and not comment.strip():
            raise ValidationError(MSG_COMMENT_REQUIRED, code="comment_required")
        return comment
