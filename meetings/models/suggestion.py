"""Residents' suggestions and their history (who moved them, when, from where to where)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history

from ..managers import OPEN_STATUSES, SuggestionQuerySet
from .meeting import Meeting
from .routing import Category, ResponsibleBody

MSG_MERGED_WITHOUT_TARGET = _("Объединённое предложение должно ссылаться на основное.")
MSG_MEETING_NOT_HELD = _(
    "Предложения записывают к проведённой встрече; эта встреча — «%(status)s»."
)


class Suggestion(TimeStampedModel):
    """Предложение жителей, высказанное на встрече."""

    class Status(models.TextChoices):
        NEW = "new", _("новое")
        FORWARDED = "forwarded", _("направлено исполнителю")
        IN_PROGRESS = "in_progress", _("в работе")
        RESOLVED = "resolved", _("решено")
        REJECTED = "rejected", _("отклонено")
        NOT_COMPETENT = "not_competent", _("не в компетенции исполнителя")
        MERGED = "merged", _("объединено с другим")

    # Closed: nothing more will happen, so never overdue.
    CLOSED = (Status.RESOLVED, Status.REJECTED, Status.MERGED)
    OPEN = OPEN_STATUSES

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("встреча")
    )
    text = models.TextField(_("текст предложения"))
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("категория"),
    )
    # Changed only by meetings.services (transitions and merging), never by a form.
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.NEW, editable=False
    )
    body = models.ForeignKey(
        ResponsibleBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("исполнитель"),
        help_text=_("Назначается по маршруту; смена исполнителя — перенаправление."),
    )
    deadline = models.DateField(
        _("срок рассмотрения"),
        null=True,
        blank=True,
        help_text=_("По маршруту: дата встречи плюс срок исполнителя; при перенаправлении заново."),
    )
    external_ref = models.CharField(
        _("внешний номер"),
        max_length=100,
        blank=True,
        help_text=_("Например, номер обращения жителя в e-Otinish."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged",
        verbose_name=_("объединено с"),
    )
    # The comment and the day of the transition to "resolved" or "rejected".
    resolution = models.TextField(_("результат рассмотрения"), blank=True, editable=False)
    resolved_on = models.DateField(_("дата решения"), null=True, blank=True, editable=False)

    objects = SuggestionQuerySet.as_manager()

    history = audit_history()

    class Meta:
        verbose_name = _("предложение жителей")
        verbose_name_plural = _("предложения жителей")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], name="suggestion_status_idx"),
            models.Index(fields=["deadline", "status"], name="suggestion_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "new",
                        "forwarded",
                        "in_progress",
                        "resolved",
                        "rejected",
                        "not_competent",
                        "merged",
                    ]
                ),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="suggestion_merged_has_target",
                violation_error_message=MSG_MERGED_WITHOUT_TARGET,
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        super().clean()
        if self.meeting_id and self.meeting.status != Meeting.Status.HELD:
            raise ValidationError(
                {
                    "meeting": ValidationError(
                        MSG_MEETING_NOT_HELD,
                        code="meeting_not_held",
                        params={"status": self.meeting.get_status_display()},
                    )
                }
            )

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def is_overdue(self, today=None) -> bool:
        """Past its deadline (local date) and still open."""
        today = today or timezone.localdate()
        return bool(self.deadline and self.deadline < today and self.status in self.OPEN)


class SuggestionEvent(models.Model):
    """One line of a suggestion's history: who, when, from which status to which, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("зарегистрировано")
        TRANSITION = "transition", _("смена статуса")
        ROUTED = "routed", _("перенаправлено")
        COMMENT = "comment", _("комментарий")
        MERGED = "merged", _("объединение")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events", verbose_name=_("предложение")
    )
    kind = models.CharField(_("событие"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("когда"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    from_status = models.CharField(
        _("из статуса"), max_length=20, choices=Suggestion.Status.choices, blank=True
    )
    to_status = models.CharField(_("в статус"), max_length=20, choices=Suggestion.Status.choices)
    body = models.ForeignKey(
        ResponsibleBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("исполнитель"),
    )
    comment = models.TextField(_("комментарий"), blank=True)

    class Meta:
        verbose_name = _("событие по предложению")
        verbose_name_plural = _("история предложений")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_to_status_display()}"
