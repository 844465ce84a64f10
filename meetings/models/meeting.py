"""Report meetings, gatherings and receptions, with their lifecycle rules."""

from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from officers.models import Inspector
from officers.selectors import inspector_served_precinct
from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history
from stations.models import Precinct
from stations.validators import validate_in_kazakhstan

from ..managers import MeetingQuerySet

MSG_HELD_IN_FUTURE = _("Дата проведения не может быть в будущем.")
MSG_HELD_WITHOUT_DATE = _("Для проведённой встречи укажите дату и время проведения.")
MSG_HELD_AT_NOT_HELD = _("Дата проведения указывается только для проведённой встречи.")
MSG_CANCELLED_WITHOUT_REASON = _("Для отменённой встречи укажите причину отмены.")
MSG_INSPECTOR_NOT_SERVING = _(
    "Инспектор %(inspector)s не был закреплён за этим участком на %(date)s."
)
MSG_ATTENDEES_NEGATIVE = _("Число участников не может быть отрицательным.")
MSG_HELD_WITHOUT_ATTENDEES = _("Для проведённой встречи укажите число участников.")
MSG_HELD_IS_FINAL = _(
    "Встреча уже проведена: её нельзя вернуть в статус «%(status)s». "
    "Исправьте данные проведённой встречи или запланируйте новую."
)


class Meeting(TimeStampedModel):
    """Отчётная встреча, сход или приём граждан."""

    class Kind(models.TextChoices):
        QUARTERLY_REPORT = "quarterly_report", _("отчётная встреча")
        GATHERING = "gathering", _("сход граждан")
        RECEPTION = "reception", _("приём граждан")

    class Status(models.TextChoices):
        PLANNED = "planned", _("запланирована")
        HELD = "held", _("проведена")
        CANCELLED = "cancelled", _("отменена")

    precinct = models.ForeignKey(
        Precinct, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("участок")
    )
    inspector = models.ForeignKey(
        Inspector,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("участковый инспектор"),
    )
    kind = models.CharField(
        _("вид"), max_length=20, choices=Kind.choices, default=Kind.QUARTERLY_REPORT
    )
    scheduled_at = models.DateTimeField(_("запланирована на"))
    held_at = models.DateTimeField(_("проведена"), null=True, blank=True)
    place = models.CharField(_("место проведения"), max_length=300)
    geom = models.PointField(
        _("место на карте"), srid=4326, null=True, blank=True, validators=[validate_in_kazakhstan]
    )
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.TextField(_("причина отмены"), blank=True)
    attendees = models.IntegerField(_("число участников"), null=True, blank=True)
    minutes = models.TextField(_("протокол"), blank=True)

    objects = MeetingQuerySet.as_manager()

    history = audit_history()

    class Meta:
        verbose_name = _("встреча с населением")
        verbose_name_plural = _("встречи с населением")
        ordering = ["-scheduled_at"]
        indexes = [
            models.Index(fields=["scheduled_at"], name="meeting_scheduled_idx"),
            # Counts by status and kind: duplicate keys make this index small (1 MB for
            # 150,000 meetings on PostgreSQL), and counting from it 2-3 times quicker.
            models.Index(fields=["status", "kind"], name="meeting_status_kind_idx"),
            # A list filtered by status and kind, newest first: the page from the index, not by
            # skipping every other status along the date index; with the id, a deep page's
            # keys come from the index alone (an index-only scan).
            models.Index(
                fields=["status", "kind", "scheduled_at", "id"], name="meeting_status_kind_at_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__isnull=True) | Q(attendees__gte=0),
                name="meeting_attendees_non_negative",
                violation_error_message=MSG_ATTENDEES_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_at__isnull=False),
                name="meeting_held_has_date",
                violation_error_message=MSG_HELD_WITHOUT_DATE,
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="meeting_cancelled_has_reason",
                violation_error_message=MSG_CANCELLED_WITHOUT_REASON,
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "held", "cancelled"]),
                name="meeting_status_valid",
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.held_at or self.scheduled_at).strftime("%d.%m.%Y")
        # Not get_kind_display(): it rebuilds the choices' dict at every call (100 per
        # changelist page, where each row's checkbox is labelled with this).
        kind = str(KIND_LABELS.get(self.kind, self.kind))
        return f"{kind} — {self.precinct} — {when}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.attendees is not None and self.attendees < 0:
            errors.setdefault("attendees", []).append(
                ValidationError(MSG_ATTENDEES_NEGATIVE, code="attendees_negative")
            )
        if self.held_at and self.held_at > timezone.now():
            errors.setdefault("held_at", []).append(
                ValidationError(MSG_HELD_IN_FUTURE, code="held_in_future")
            )
        if self.status == self.Status.HELD and not self.held_at:
            errors.setdefault("held_at", []).append(
                ValidationError(MSG_HELD_WITHOUT_DATE, code="held_without_date")
            )
        if self.status != self.Status.HELD and self.held_at:
            errors.setdefault("held_at", []).append(
                ValidationError(MSG_HELD_AT_NOT_HELD, code="held_at_not_held")
            )
        if self.status == self.Status.HELD and self.attendees is None:
            errors.setdefault("attendees", []).append(
                ValidationError(MSG_HELD_WITHOUT_ATTENDEES, code="held_without_attendees")
            )
        if self.pk and self.status != self.Status.HELD:
            stored = Meeting.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.HELD:
                errors.setdefault("status", []).append(
                    ValidationError(
                        MSG_HELD_IS_FINAL,
                        code="held_is_final",
                        params={"status": self.get_status_display()},
                    )
                )
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            errors.setdefault("cancel_reason", []).append(
                ValidationError(MSG_CANCELLED_WITHOUT_REASON, code="cancelled_without_reason")
            )
        when = self.held_at or self.scheduled_at
        if self.inspector_id and self.precinct_id and when:
            day = timezone.localdate(when)
            if not inspector_served_precinct(
                inspector_id=self.inspector_id, precinct_id=self.precinct_id, on=day
            ):
                errors.setdefault("inspector", []).append(
                    ValidationError(
                        MSG_INSPECTOR_NOT_SERVING,
                        code="inspector_not_serving",
                        params={"inspector": self.inspector, "date": day.strftime("%d.%m.%Y")},
                    )
                )
        if errors:
            raise ValidationError(errors)


KIND_LABELS = dict(Meeting.Kind.choices)
