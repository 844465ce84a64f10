"""Named, reusable filters for territories and facilities."""

from __future__ import annotations

from django.db import models


class FacilityQuerySet(models.QuerySet):
    def operating(self) -> FacilityQuerySet:
        return self.filter(status="operating")

    def in_district(self, district) -> FacilityQuerySet:
        return self.filter(district=district)

    def in_region(self, region) -> FacilityQuerySet:
        return self.filter(district__region=region)
