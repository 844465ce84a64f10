"""Write functions for territories and facilities. Every door (admin, API, imports) calls these."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from servicepolice.db import validated_save

from .models import District, ModularPost, Precinct, Region, Settlement, Station


@transaction.atomic
def region_save(*, region: Region) -> Region:
    return validated_save(region)


@transaction.atomic
def district_save(*, district: District) -> District:
    return validated_save(district)


@transaction.atomic
def precinct_save(*, precinct: Precinct) -> Precinct:
    return validated_save(precinct)


@transaction.atomic
def settlement_save(*, settlement: Settlement) -> Settlement:
    return validated_save(settlement)


@transaction.atomic
def station_save(*, station: Station) -> Station:
    """Save a precinct station after checking its point lies inside its district."""
    return validated_save(station)


def station_create(**fields: Any) -> Station:
    return station_save(station=Station(**fields))


@transaction.atomic
def modular_post_save(*, post: ModularPost) -> ModularPost:
    """Save a modular post after checking its point lies inside its district."""
    return validated_save(post)


def modular_post_create(**fields: Any) -> ModularPost:
    return modular_post_save(post=ModularPost(**fields))
