"""Offence statistics, candidate sites and saved siting plans."""

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from servicepolice import geo
from servicepolice.db import TimeStampedModel
from servicepolice.history import audit_history
from stations.models import District, ModularPost, Precinct, Region, Station
from stations.validators import MSG_POINT_OUTSIDE_DISTRICT, tolerance_m, validate_in_kazakhstan

MSG_MONTH_FIRST_DAY = _("Месяц указывается первым днём месяца.")
MSG_PRECINCT_OTHER_DISTRICT = _("Участок относится к другому району.")
MSG_COUNT_DUPLICATE = _("За этот месяц по этой категории и территории данные уже есть.")
MSG_PLAN_TERRITORY = _("Укажите либо район, либо область (одно из двух).")


class OffenceCategory(models.Model):
    """A kind of offence the statistics count (editable data; a migration seeds the defaults)."""

    code = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("название"), max_length=200)
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)

    history = audit_history()

    class Meta:
        verbose_name = _("категория правонарушений")
        verbose_name_plural = _("категории правонарушений")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class OffenceCount(TimeStampedModel):
    """Offences of one category registered in one month in a precinct (or, when finer data is
    missing, in a whole district: then `precinct` is empty)."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="offence_counts", verbose_name=_("район")
    )
    precinct = models.ForeignKey(
        Precinct,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offence_counts",
        verbose_name=_("участок"),
        help_text=_("Пусто: данные по району в целом."),
    )
    category = models.ForeignKey(
        OffenceCategory,
        on_delete=models.PROTECT,
        related_name="counts",
        verbose_name=_("категория"),
    )
    month = models.DateField(_("месяц"), help_text=_("Первое число месяца."))
    count = models.PositiveIntegerField(_("количество"))

    history = audit_history()

    class Meta:
        verbose_name = _("число правонарушений")
        verbose_name_plural = _("статистика правонарушений")
        ordering = ["-month", "district__name", "precinct__number", "category__position"]
        indexes = [models.Index(fields=["district", "month"], name="offence_district_month_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["precinct", "category", "month"],
                condition=Q(precinct__isnull=False),
                name="offence_count_unique_precinct",
                violation_error_message=MSG_COUNT_DUPLICATE,
            ),
            models.UniqueConstraint(
                fields=["district", "category", "month"],
                condition=Q(precinct__isnull=True),
                name="offence_count_unique_district",
                violation_error_message=MSG_COUNT_DUPLICATE,
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="offence_count_not_negative"),
        ]

    def __str__(self) -> str:
        where = self.precinct or self.district
        return f"{where}, {self.month:%m.%Y}, {self.category}: {self.count}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.month and self.month.day != 1:
            errors["month"] = [ValidationError(MSG_MONTH_FIRST_DAY, code="month_first_day")]
        if self.precinct_id and self.district_id and self.precinct.district_id != self.district_id:
            errors["precinct"] = [
                ValidationError(MSG_PRECINCT_OTHER_DISTRICT, code="precinct_other_district")
            ]
        if errors:
            raise ValidationError(errors)


class FacilityKind(models.TextChoices):
    STATION = "station", _("участковый пункт полиции")
    POST = "post", _("модульный пост")


class CandidateSite(TimeStampedModel):
    """A place a new station or post could go: a land plot the akimat can offer, a new
    residential complex."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="candidate_sites", verbose_name=_("район")
    )
    name = models.CharField(_("название"), max_length=200)
    kind = models.CharField(
        _("подходит для"),
        max_length=10,
        choices=FacilityKind.choices,
        blank=True,
        help_text=_("Пусто: для пункта и для поста."),
    )
    geom = models.PointField(_("местоположение"), srid=4326, validators=[validate_in_kazakhstan])
    note = models.TextField(_("примечание"), blank=True)
    active = models.BooleanField(_("доступен"), default=True)

    history = audit_history()

    class Meta:
        verbose_name = _("площадка-кандидат")
        verbose_name_plural = _("площадки-кандидаты")
        ordering = ["district__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["", *FacilityKind.values]), name="candidate_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if (
            self.geom is not None
            and not self.geom.empty
            and self.district_id is not None
            and geo.in_kazakhstan(self.geom)
            and not geo.within_tolerance(self.geom, self.district.geom, tolerance_m())
        ):
            raise ValidationError(
                {
                    "geom": ValidationError(
                        MSG_POINT_OUTSIDE_DISTRICT,
                        code="outside_district",
                        params={
                            "district": self.district.name,
                            "distance": round(geo.distance_m(self.geom, self.district.geom)),
                        },
                    )
                }
            )


class SitingPlan(TimeStampedModel):
    """One run of the siting planner: its parameters, who ran it, what the solver found."""

    class Solver(models.TextChoices):
        EXACT = "exact", _("точное решение (CBC)")
        GREEDY = "greedy", _("жадный алгоритм")

    class SolverStatus(models.TextChoices):
        OPTIMAL = "optimal", _("оптимум доказан")
        TIME_LIMIT = "time_limit", _("оптимум не найден за отведённое время")
        NO_CANDIDATES = "no_candidates", _("нет подходящих площадок")
        SOLVER_ERROR = "solver_error", _("ошибка решателя")

    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="siting_plans",
        verbose_name=_("район"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="siting_plans",
        verbose_name=_("область"),
        help_text=_("План по всей области: вместо района."),
    )
    name = models.CharField(_("название"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("автор"),
    )
    facility_kind = models.CharField(
        _("что размещаем"), max_length=10, choices=FacilityKind.choices
    )
    new_sites = models.PositiveSmallIntegerField(
        _("новых объектов"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    radius_m = models.PositiveIntegerField(
        _("радиус доступности, м"), validators=[MinValueValidator(50), MaxValueValidator(50_000)]
    )
    offence_weight = models.FloatField(
        _("вес правонарушений"),
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("0: только население; 1: население, взвешенное уровнем правонарушений."),
    )
    offence_category = models.ForeignKey(
        OffenceCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("категория правонарушений"),
    )
    use_candidate_sites = models.BooleanField(_("площадки-кандидаты"), default=True)
    use_grid = models.BooleanField(_("автоматическая сетка"), default=False)
    grid_spacing_m = models.PositiveIntegerField(
        _("шаг сетки, м"),
        default=500,
        validators=[MinValueValidator(50), MaxValueValidator(20_000)],
    )
    min_distance_m = models.PositiveIntegerField(
        _("не ближе к действующим, м"),
        default=300,
        validators=[MaxValueValidator(50_000)],
    )
    time_limit_s = models.FloatField(
        _("лимит времени, с"),
        default=10.0,
        validators=[MinValueValidator(0.001), MaxValueValidator(60.0)],
    )
    solver = models.CharField(_("решение"), max_length=10, choices=Solver.choices)
    solver_status = models.CharField(
        _("статус решателя"), max_length=20, choices=SolverStatus.choices
    )
    objective = models.FloatField(_("новый охват (спрос)"), default=0.0)
    greedy_objective = models.FloatField(_("новый охват жадного алгоритма"), default=0.0)
    exact_objective = models.FloatField(_("новый охват точного решения"), null=True, blank=True)
    runtime_s = models.FloatField(_("время расчёта, с"), default=0.0)
    metrics = models.JSONField(_("показатели до и после"), default=dict, blank=True)

    history = audit_history()

    class Meta:
        verbose_name = _("план размещения")
        verbose_name_plural = _("планы размещения")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(offence_weight__gte=0) & Q(offence_weight__lte=1),
                name="siting_plan_weight_range",
            ),
            models.CheckConstraint(
                condition=Q(time_limit_s__gt=0), name="siting_plan_time_limit_positive"
            ),
            models.CheckConstraint(
                condition=(Q(district__isnull=False) & Q(region__isnull=True))
                | (Q(district__isnull=True) & Q(region__isnull=False)),
                name="siting_plan_district_xor_region",
                violation_error_message=MSG_PLAN_TERRITORY,
            ),
        ]

    def __str__(self) -> str:
        label = self.name or _("План №%(id)s") % {"id": self.pk}
        return f"{label} ({self.territory})"

    @property
    def territory(self) -> District | Region | None:
        """The district the plan covers, or its region for a region plan."""
        return self.district if self.district_id else self.region


class SitingPlanSite(models.Model):
    """A site a plan proposes, ranked by marginal gain."""

    class Source(models.TextChoices):
        CANDIDATE = "candidate", _("площадка-кандидат")
        GRID = "grid", _("сетка")

    plan = models.ForeignKey(
        SitingPlan, on_delete=models.CASCADE, related_name="sites", verbose_name=_("план")
    )
    rank = models.PositiveSmallIntegerField(_("очередь"))
    geom = models.PointField(_("местоположение"), srid=4326)
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("район"),
        help_text=_("Район, в котором лежит площадка (для плана по области)."),
    )
    source = models.CharField(_("источник"), max_length=10, choices=Source.choices)
    candidate = models.ForeignKey(
        CandidateSite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("площадка-кандидат"),
    )
    newly_covered_population = models.FloatField(_("новых жителей в доступности"))
    gain = models.FloatField(_("прирост охвата (спрос)"))
    station = models.ForeignKey(
        Station,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("созданный УПП"),
    )
    post = models.ForeignKey(
        ModularPost,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("созданный пост"),
    )

    class Meta:
        verbose_name = _("предложенная площадка")
        verbose_name_plural = _("предложенные площадки")
        ordering = ["plan", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "rank"], name="siting_site_rank_unique"),
        ]

    def __str__(self) -> str:
        return _("%(rank)s. %(name)s") % {
            "rank": self.rank,
            "name": self.candidate.name if self.candidate_id else _("точка сетки"),
        }
