"""Territory (region, district, precinct, settlement) and facilities (stations, modular posts)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from servicepolice import geo
from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history
from servicepolice.i18n import LocalizedNameMixin

from .managers import FacilityQuerySet
from .validators import (
    MSG_CLOSED_BEFORE_OPENED,
    MSG_CLOSED_DATE_NOT_CLOSED,
    MSG_CLOSED_WITHOUT_DATE,
    MSG_POINT_OUTSIDE_DISTRICT,
    MSG_POLYGON_OUTSIDE_DISTRICT,
    MSG_PRECINCT_OTHER_DISTRICT,
    MSG_SETTLEMENT_OUTSIDE,
    kato_validator,
    tolerance_m,
    validate_in_kazakhstan,
    validate_polygon,
)


class Region(LocalizedNameMixin, TimeStampedModel):
    """Область or city of republican significance."""

    name = models.CharField(_("название"), max_length=200)
    name_kk = models.CharField(_("название на казахском"), max_length=200, blank=True)
    kato = models.CharField(_("код КАТО"), max_length=9, unique=True, validators=[kato_validator])
    geom = models.MultiPolygonField(
        _("границы"), srid=4326, validators=[validate_in_kazakhstan, validate_polygon]
    )

    history = audit_history()

    class Meta:
        verbose_name = _("область")
        verbose_name_plural = _("области")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="region_name_idx")]


class District(LocalizedNameMixin, TimeStampedModel):
    """Район, city district, or city of regional significance."""

    class Kind(models.TextChoices):
        URBAN = "urban", _("городской")
        RURAL = "rural", _("сельский")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("область")
    )
    name = models.CharField(_("название"), max_length=200)
    name_kk = models.CharField(_("название на казахском"), max_length=200, blank=True)
    kato = models.CharField(_("код КАТО"), max_length=9, unique=True, validators=[kato_validator])
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices, default=Kind.URBAN)
    population = models.PositiveIntegerField(_("население"), default=0)
    coverage_radius_m = models.PositiveIntegerField(
        _("радиус шаговой доступности, м"),
        null=True,
        blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(50_000)],
        help_text=_(
            "Пусто: значение по умолчанию для типа района (городской 800 м, сельский 5000 м)."
        ),
    )
    geom = models.MultiPolygonField(
        _("границы"), srid=4326, validators=[validate_in_kazakhstan, validate_polygon]
    )

    history = audit_history()

    class Meta:
        verbose_name = _("район")
        verbose_name_plural = _("районы")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="district_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["urban", "rural"]), name="district_kind_valid"
            ),
        ]

    @property
    def effective_radius_m(self) -> int:
        """The walking radius in metres: this district's own, or the default for its kind."""
        if self.coverage_radius_m:
            return self.coverage_radius_m
        return settings.COVERAGE_RADIUS_M[self.kind]


class Precinct(TimeStampedModel):
    """Административный участок: the territory one or more inspectors serve."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="precincts", verbose_name=_("район")
    )
    number = models.PositiveIntegerField(_("номер"))
    name = models.CharField(_("название"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("население"), default=0)
    geom = models.MultiPolygonField(
        _("границы"), srid=4326, validators=[validate_in_kazakhstan, validate_polygon]
    )

    history = audit_history()

    class Meta:
        verbose_name = _("административный участок")
        verbose_name_plural = _("административные участки")
        ordering = ["district__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "number"],
                name="precinct_number_unique_in_district",
                violation_error_message=_("Участок с таким номером в этом районе уже есть."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="precinct_number_positive"),
        ]

    def __str__(self) -> str:
        label = _("Участок №%(number)s") % {"number": self.number}
        return f"{label} ({self.name})" if self.name else str(label)

    def clean(self) -> None:
        super().clean()
        if self.geom is None or self.district_id is None or self.geom.empty:
            return
        if not self.geom.valid or not geo.in_kazakhstan(self.geom):
            return  # the field validators already said why
        district = self.district
        if not geo.within_tolerance(self.geom, district.geom, tolerance_m()):
            raise ValidationError(
                {
                    "geom": ValidationError(
                        MSG_POLYGON_OUTSIDE_DISTRICT,
                        code="outside_district",
                        params={"district": district.name, "tolerance": int(tolerance_m())},
                    )
                }
            )


class Settlement(LocalizedNameMixin, TimeStampedModel):
    """Населённый пункт: a point with population, for population-weighted coverage."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("район")
    )
    name = models.CharField(_("название"), max_length=200)
    name_kk = models.CharField(_("название на казахском"), max_length=200, blank=True)
    kato = models.CharField(_("код КАТО"), max_length=9, blank=True, validators=[kato_validator])
    population = models.PositiveIntegerField(_("население"), default=0)
    geom = models.PointField(_("местоположение"), srid=4326, validators=[validate_in_kazakhstan])

    history = audit_history()

    class Meta:
        verbose_name = _("населённый пункт")
        verbose_name_plural = _("населённые пункты")
        ordering = ["name"]

    def clean(self) -> None:
        super().clean()
        if self.geom is None or self.district_id is None or not geo.in_kazakhstan(self.geom):
            return  # outside Kazakhstan: the field validator already said so
        if not geo.within_tolerance(self.geom, self.district.geom, tolerance_m()):
            raise ValidationError(
                {
                    "geom": ValidationError(
                        MSG_SETTLEMENT_OUTSIDE,
                        code="outside_district",
                        params={"district": self.district.name},
                    )
                }
            )


class FacilityStatus(models.TextChoices):
    PLANNED = "planned", _("планируется")
    UNDER_CONSTRUCTION = "under_construction", _("строится")
    OPERATING = "operating", _("действует")
    CLOSED = "closed", _("закрыт")


class Facility(TimeStampedModel):
    """What a precinct station and a modular post share: place, address, lifecycle, phone."""

    Status = FacilityStatus

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("район")
    )
    name = models.CharField(_("название"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=300)
    geom = models.PointField(_("местоположение"), srid=4326, validators=[validate_in_kazakhstan])
    status = models.CharField(
        _("статус"), max_length=20, choices=FacilityStatus.choices, default=FacilityStatus.PLANNED
    )
    opened_on = models.DateField(_("дата открытия"), null=True, blank=True)
    closed_on = models.DateField(_("дата закрытия"), null=True, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    round_the_clock = models.BooleanField(
        _("круглосуточно"), default=False, help_text=_("Принимает граждан круглосуточно.")
    )

    objects = FacilityQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def facility_constraints(cls, prefix: str) -> list:
        """Database checks shared by both facility tables (named per table)."""
        return [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name=f"{prefix}_closed_after_opened",
                violation_error_message=MSG_CLOSED_BEFORE_OPENED,
            ),
            models.CheckConstraint(
                condition=~Q(status=FacilityStatus.CLOSED) | Q(closed_on__isnull=False),
                name=f"{prefix}_closed_has_date",
                violation_error_message=MSG_CLOSED_WITHOUT_DATE,
            ),
            models.CheckConstraint(
                condition=Q(status__in=FacilityStatus.values), name=f"{prefix}_status_valid"
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            errors.setdefault("closed_on", []).append(
                ValidationError(MSG_CLOSED_BEFORE_OPENED, code="closed_before_opened")
            )
        if self.status == FacilityStatus.CLOSED and not self.closed_on:
            errors.setdefault("closed_on", []).append(
                ValidationError(MSG_CLOSED_WITHOUT_DATE, code="closed_without_date")
            )
        if self.status != FacilityStatus.CLOSED and self.closed_on:
            errors.setdefault("closed_on", []).append(
                ValidationError(MSG_CLOSED_DATE_NOT_CLOSED, code="closed_date_not_closed")
            )
        if (
            self.geom is not None
            and not self.geom.empty
            and self.district_id is not None
            and geo.in_kazakhstan(self.geom)  # else the field validator already said so
        ):
            district = self.district
            if not geo.within_tolerance(self.geom, district.geom, tolerance_m()):
                errors.setdefault("geom", []).append(
                    ValidationError(
                        MSG_POINT_OUTSIDE_DISTRICT,
                        code="outside_district",
                        params={
                            "district": district.name,
                            "distance": round(geo.distance_m(self.geom, district.geom)),
                        },
                    )
                )
        if errors:
            raise ValidationError(errors)


class Station(Facility):
    """Участковый пункт полиции (УПП): a building where inspectors receive residents."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="stations", verbose_name=_("район")
    )
    precinct = models.ForeignKey(
        Precinct,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stations",
        verbose_name=_("участок"),
    )
    number = models.CharField(_("номер"), max_length=20, help_text=_("Например, «№19»."))
    combined_with_housing = models.BooleanField(_("совмещён с жильём участкового"), default=False)
    on_police_balance_since = models.DateField(
        _("на балансе ДП с"),
        null=True,
        blank=True,
        help_text=_("Дата передачи акиматом на баланс департамента полиции."),
    )
    reception_hours = models.CharField(_("часы приёма"), max_length=200, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("участковый пункт полиции")
        verbose_name_plural = _("участковые пункты полиции")
        ordering = ["district__name", "number"]
        indexes = [models.Index(fields=["status"], name="station_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "number"],
                name="station_number_unique_in_district",
                violation_error_message=_("УПП с таким номером в этом районе уже есть."),
            ),
            *Facility.facility_constraints("station"),
        ]

    def __str__(self) -> str:
        label = _("УПП %(number)s") % {"number": self.number}
        return f"{label} {self.name}".strip()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        try:
            super().clean()
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.precinct_id and self.district_id and self.precinct.district_id != self.district_id:
            errors.setdefault("precinct", []).append(
                ValidationError(MSG_PRECINCT_OTHER_DISTRICT, code="precinct_other_district")
            )
        if errors:
            raise ValidationError(errors)


class ModularPost(Facility):
    """Модульный пост полиции: a small post at a square, park or market, often 24/7."""

    class Placement(models.TextChoices):
        SQUARE = "square", _("площадь")
        PARK = "park", _("парк, сквер")
        MARKET = "market", _("рынок")
        TRANSPORT_HUB = "transport_hub", _("транспортный узел")
        RESIDENTIAL = "residential", _("жилой массив")
        OTHER = "other", _("другое")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="modular_posts", verbose_name=_("район")
    )
    placement = models.CharField(
        _("место размещения"), max_length=20, choices=Placement.choices, default=Placement.OTHER
    )

    history = audit_history()

    class Meta:
        verbose_name = _("модульный пост полиции")
        verbose_name_plural = _("модульные посты полиции")
        ordering = ["district__name", "name"]
        indexes = [models.Index(fields=["status"], name="post_status_idx")]
        constraints = [*Facility.facility_constraints("modularpost")]

    def __str__(self) -> str:
        return self.name or self.address
