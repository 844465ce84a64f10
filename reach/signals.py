"""Recompute coverage after anything that changes it is committed."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from officers.models import Assignment, Inspector
from servicepolice import geo
from stations.models import District, ModularPost, Precinct, Settlement, Station

from .services import coverage_schedule_recompute

_FACILITIES = (Station, ModularPost)
_WATCHED = (*_FACILITIES, Precinct, Settlement, District, Inspector, Assignment)


def _districts_reached_by(point) -> set[int]:
    """Districts a facility at this point can cover: its walking circle reaches their box."""
    reach = max(settings.COVERAGE_RADIUS_M.values())
    box = geo.expand_bbox(point.extent, reach)
    return set(District.objects.filter(geom__bboverlaps=box).values_list("pk", flat=True))


def _district_ids(instance) -> set[int]:
    if isinstance(instance, District):
        return {instance.pk}
    if isinstance(instance, Inspector | Assignment):
        precinct_id = instance.precinct_id
        if precinct_id is None:
            return set()
        return set(Precinct.objects.filter(pk=precinct_id).values_list("district_id", flat=True))
    ids = {instance.district_id}
    ids.update(getattr(instance, "_coverage_previous_districts", set()))
    if isinstance(instance, _FACILITIES) and instance.geom is not None:
        ids.update(_districts_reached_by(instance.geom))
    return ids


@receiver(pre_save)
def remember_previous_place(sender, instance, raw=False, **kwargs) -> None:
    """A facility that moves also changes the coverage of the districts it leaves."""
    if sender not in _FACILITIES or raw or instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).values("district_id", "geom").first()
    if previous:
        ids = {previous["district_id"]}
        if previous["geom"] is not None:
            ids.update(_districts_reached_by(previous["geom"]))
        instance._coverage_previous_districts = ids


@receiver(post_save)
@receiver(post_delete)
def recompute_on_change(sender, instance, signal=None, raw=False, **kwargs) -> None:
    if sender not in _WATCHED or raw:
        return
    if sender is District and signal is post_delete:
        return
    ids = {pk for pk in _district_ids(instance) if pk}
    if ids:
        coverage_schedule_recompute(district_ids=ids)
