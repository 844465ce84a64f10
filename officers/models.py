"""Inspectors (УИП), their assistants, and the history of their precinct assignments."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history
from stations.models import Precinct, Station

MSG_ASSIGNMENT_DATES = _("Дата окончания не может быть раньше даты начала.")
MSG_STATION_OTHER_DISTRICT = _("Пункт приёма находится в другом районе, чем участок инспектора.")
MSG_CHANGE_BEFORE_ASSIGNMENT = _(
    "Дата изменения (%(on)s) раньше начала текущего закрепления (%(started)s)."
)
MSG_PHONE = _("Номер телефона: цифры, пробелы, скобки, дефисы, допускается «+» в начале.")

PHOTO_MAX_BYTES = 2 * 1024 * 1024
MSG_PHOTO_TOO_LARGE = _("Фотография больше 2 МБ.")


def validate_photo_size(photo) -> None:
    if photo and getattr(photo, "size", 0) > PHOTO_MAX_BYTES:
        raise ValidationError(MSG_PHOTO_TOO_LARGE, code="photo_too_large")


phone_validator = RegexValidator(r"^\+?[\d\s\-()]{5,20}$", MSG_PHONE, code="phone")


class Inspector(TimeStampedModel):
    """Участковый инспектор полиции (УИП)."""

    class Rank(models.TextChoices):
        LIEUTENANT = "lieutenant", _("лейтенант полиции")
        SENIOR_LIEUTENANT = "senior_lieutenant", _("старший лейтенант полиции")
        CAPTAIN = "captain", _("капитан полиции")
        MAJOR = "major", _("майор полиции")
        LIEUTENANT_COLONEL = "lieutenant_colonel", _("подполковник полиции")
        COLONEL = "colonel", _("полковник полиции")

    class Position(models.TextChoices):
        INSPECTOR = "inspector", _("участковый инспектор полиции")
        SENIOR_INSPECTOR = "senior_inspector", _("старший участковый инспектор полиции")

    class Status(models.TextChoices):
        ACTIVE = "active", _("на службе")
        ON_LEAVE = "on_leave", _("в отпуске")
        DISMISSED = "dismissed", _("уволен")

    personnel_number = models.CharField(
        _("табельный номер"), max_length=20, unique=True, help_text=_("Служебная информация.")
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    rank = models.CharField(_("звание"), max_length=20, choices=Rank.choices)
    position = models.CharField(
        _("должность"), max_length=20, choices=Position.choices, default=Position.INSPECTOR
    )
    precinct = models.ForeignKey(
        Precinct,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspectors",
        verbose_name=_("участок"),
    )
    station = models.ForeignKey(
        Station,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspectors",
        verbose_name=_("пункт приёма граждан"),
    )
    photo = models.ImageField(
        _("фотография"),
        upload_to="inspectors/",
        blank=True,
        validators=[validate_photo_size],
        help_text=_("Публикуется в «Найти участкового». JPEG или PNG, до 2 МБ."),
    )
    service_phone = models.CharField(
        _("служебный телефон"), max_length=40, blank=True, validators=[phone_validator]
    )
    personal_phone = models.CharField(
        _("личный телефон"),
        max_length=40,
        blank=True,
        validators=[phone_validator],
        help_text=_("Только для служебного пользования, не публикуется."),
    )
    messenger_url = models.URLField(
        _("чат в мессенджере"), blank=True, help_text=_("Например, ссылка на чат WhatsApp.")
    )
    social_url = models.URLField(_("страница в соцсети"), blank=True)
    reception_hours = models.CharField(_("часы приёма"), max_length=200, blank=True)
    appointed_on = models.DateField(_("дата назначения"), null=True, blank=True)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )

    history = audit_history()

    class Meta:
        verbose_name = _("участковый инспектор")
        verbose_name_plural = _("участковые инспекторы")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="inspector_name_idx"),
            # Lists by status in name order (the API's anonymous and status=active pages): the
            # page's keys from the index in order, with no sort of every matching inspector.
            models.Index(
                fields=["status", "last_name", "first_name", "id"], name="inspector_status_name_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "on_leave", "dismissed"]),
                name="inspector_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def clean(self) -> None:
        super().clean()
        if self.station_id and self.precinct_id:
            if self.station.district_id != self.precinct.district_id:
                raise ValidationError(
                    {
                        "station": ValidationError(
                            MSG_STATION_OTHER_DISTRICT, code="station_district"
                        )
                    }
                )


class Assistant(TimeStampedModel):
    """Помощник участкового инспектора."""

    inspector = models.ForeignKey(
        Inspector,
        on_delete=models.CASCADE,
        related_name="assistants",
        verbose_name=_("участковый инспектор"),
    )
    last_name = models.CharField(_("фамилия"), max_length=100)
    first_name = models.CharField(_("имя"), max_length=100)
    middle_name = models.CharField(_("отчество"), max_length=100, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True, validators=[phone_validator])

    history = audit_history()

    class Meta:
        verbose_name = _("помощник участкового")
        verbose_name_plural = _("помощники участковых")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class Assignment(TimeStampedModel):
    """Which inspector served which precinct, from when to when. Written only by services."""

    # PROTECT: the history outlives nothing it describes; dismiss an inspector, don't delete.
    inspector = models.ForeignKey(
        Inspector,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("участковый инспектор"),
    )
    precinct = models.ForeignKey(
        Precinct,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("участок"),
    )
    started_on = models.DateField(_("с"))
    ended_on = models.DateField(_("по"), null=True, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("закрепление за участком")
        verbose_name_plural = _("история закреплений")
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="assignment_ended_after_started",
                violation_error_message=MSG_ASSIGNMENT_DATES,
            ),
            models.UniqueConstraint(
                fields=["inspector"],
                condition=Q(ended_on__isnull=True),
                name="assignment_one_open_per_inspector",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} — {self.precinct} ({self.started_on}–{self.ended_on or '…'})"
