"""Stored coverage snapshots: how many residents have police within walking distance."""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import District


class CoverageSnapshot(models.Model):
    """The last computed coverage of one district (and of each of its precincts)."""

    class PopulationMethod(models.TextChoices):
        SETTLEMENTS = "settlements", _("по населённым пунктам")
        AREA = "area", _("население участка равномерно по площади")

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="coverage", verbose_name=_("район")
    )
    radius_m = models.PositiveIntegerField(_("радиус доступности, м"))
    computed_at = models.DateTimeField(_("рассчитано"))
    population_method = models.CharField(
        _("способ учёта населения"), max_length=20, choices=PopulationMethod.choices
    )
    area_m2 = models.FloatField(_("площадь, м²"))
    covered_area_m2 = models.FloatField(_("площадь в зоне доступности, м²"))
    covered_area_share = models.FloatField(_("доля площади в зоне доступности"))
    population = models.PositiveIntegerField(_("население"))
    covered_population = models.FloatField(_("население в зоне доступности"))
    covered_population_share = models.FloatField(
        _("доля населения в зоне доступности"), null=True, blank=True
    )
    night_covered_area_share = models.FloatField(_("доля площади, круглосуточно"))
    night_covered_population_share = models.FloatField(
        _("доля населения, круглосуточно"), null=True, blank=True
    )
    active_inspectors = models.PositiveIntegerField(_("действующих инспекторов"))
    residents_per_inspector = models.FloatField(
        _("жителей на одного инспектора"), null=True, blank=True
    )
    distance_median_m = models.FloatField(_("медиана расстояния, м"), null=True, blank=True)
    distance_p90_m = models.FloatField(_("90-й процентиль расстояния, м"), null=True, blank=True)
    night_distance_median_m = models.FloatField(
        _("медиана расстояния (круглосуточно), м"), null=True, blank=True
    )
    night_distance_p90_m = models.FloatField(
        _("90-й процентиль расстояния (круглосуточно), м"), null=True, blank=True
    )
    facilities = models.PositiveIntegerField(_("действующих объектов"))
    night_facilities = models.PositiveIntegerField(_("круглосуточных объектов"))
    vacancies = models.JSONField(_("участки без инспектора"), default=list)
    precincts_without_facility = models.JSONField(_("участки без объекта в радиусе"), default=list)
    settlements_beyond_radius = models.JSONField(_("населённые пункты вне радиуса"), default=list)
    precincts = models.JSONField(_("показатели участков"), default=list)
    uncovered = models.MultiPolygonField(
        _("территория вне зоны доступности"), srid=4326, null=True, blank=True
    )

    class Meta:
        verbose_name = _("расчёт доступности")
        verbose_name_plural = _("расчёты доступности")
        ordering = ["district__name"]

    def __str__(self) -> str:
        return f"{self.district} — {self.radius_m} м"
