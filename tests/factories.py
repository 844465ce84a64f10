"""factory_boy factories. Geometry is given as EWKT with an explicit SRID.

The default territory is a square around Semey's centre: a district of 10 × 10 km and
precincts of 1 × 1 km laid out on a grid inside it, so points and polygons built here pass
the "inside its district" rules unless a test moves them out on purpose.
"""

import datetime

import factory
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone

from meetings.models import Category, Meeting, ResponsibleBody, RoutingRule, Suggestion
from officers.models import Assistant, Inspector
from officers.services import inspector_save
from stations.models import District, ModularPost, Precinct, Region, Settlement, Station

# Semey, Abai Region.
CENTRE_LON, CENTRE_LAT = 80.227, 50.411
# Degrees per kilometre at Semey's latitude.
KM_LAT = 1 / 111.2
KM_LON = 1 / 70.9


def square_ewkt(lon: float, lat: float, half_km: float) -> str:
    """A square MultiPolygon of 2 × half_km kilometres around (lon, lat), as EWKT."""
    dx, dy = half_km * KM_LON, half_km * KM_LAT
    ring = [
        (lon - dx, lat - dy),
        (lon + dx, lat - dy),
        (lon + dx, lat + dy),
        (lon - dx, lat + dy),
        (lon - dx, lat - dy),
    ]
    coords = ", ".join(f"{x:.7f} {y:.7f}" for x, y in ring)
    return f"SRID=4326;MULTIPOLYGON ((({coords})))"


def point_ewkt(lon: float, lat: float) -> str:
    return f"SRID=4326;POINT ({lon:.7f} {lat:.7f})"


def precinct_cell(n: int) -> tuple[float, float]:
    """Centre of the n-th 1 km cell of a 8 × 8 grid inside the default district."""
    n = n % 64
    col, row = n % 8, n // 8
    return CENTRE_LON + (col - 3.5) * KM_LON, CENTRE_LAT + (row - 3.5) * KM_LAT


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("kato",)

    name = "Абайская область"
    name_kk = "Абай облысы"
    kato = "100000000"
    geom = factory.LazyFunction(lambda: GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 60)))


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Район {n}")
    name_kk = factory.Sequence(lambda n: f"Аудан {n}")
    kato = factory.Sequence(lambda n: f"1010{n:05d}")
    kind = District.Kind.URBAN
    population = 350000
    geom = factory.LazyFunction(lambda: GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 5)))


class PrecinctFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Precinct

    district = factory.SubFactory(DistrictFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"мкр. {n + 1}")
    population = 6000
    geom = factory.LazyAttribute(
        lambda o: GEOSGeometry(square_ewkt(*precinct_cell(o.number - 1), 0.5))
    )


class SettlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settlement

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Село {n}")
    population = 1200
    geom = factory.LazyFunction(lambda: GEOSGeometry(point_ewkt(CENTRE_LON + 0.01, CENTRE_LAT)))


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    district = factory.SubFactory(DistrictFactory)
    number = factory.Sequence(lambda n: f"№{n + 1}")
    name = factory.Sequence(lambda n: f"УПП мкр. {n + 1}")
    address = factory.Sequence(lambda n: f"г. Семей, ул. Абая, {n + 1}")
    geom = factory.LazyFunction(lambda: GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT)))
    status = Station.Status.OPERATING
    opened_on = datetime.date(2021, 11, 18)
    reception_hours = "пн–пт 09:00–18:00"
    phone = "+7 7222 52-00-19"


class ModularPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModularPost

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Модульный пост {n + 1}")
    address = "г. Семей, площадь Абая"
    geom = factory.LazyFunction(lambda: GEOSGeometry(point_ewkt(CENTRE_LON + 0.002, CENTRE_LAT)))
    status = ModularPost.Status.OPERATING
    round_the_clock = True
    placement = ModularPost.Placement.SQUARE
    opened_on = datetime.date(2022, 5, 1)


class InspectorFactory(factory.django.DjangoModelFactory):
    """Saved through the service, so the assignment history is written as in production."""

    class Meta:
        model = Inspector

    personnel_number = factory.Sequence(lambda n: f"TN{n:06d}")
    last_name = factory.Iterator(["Ахметов", "Серикбаев", "Иванов", "Жумабеков", "Ким"])
    first_name = factory.Iterator(["Ерлан", "Нурлан", "Алексей", "Данияр", "Виктор"])
    middle_name = factory.Iterator(["Сагатович", "Маратович", "Петрович", "Ерланович", ""])
    rank = Inspector.Rank.CAPTAIN
    position = Inspector.Position.INSPECTOR
    precinct = factory.SubFactory(PrecinctFactory)
    service_phone = "+7 7222 52-00-00"
    personal_phone = "+7 701 000 00 00"
    appointed_on = datetime.date(2020, 1, 15)
    status = Inspector.Status.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return inspector_save(inspector=model_class(*args, **kwargs))


class AssistantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assistant

    inspector = factory.SubFactory(InspectorFactory)
    last_name = "Оспанов"
    first_name = "Арман"
    phone = "+7 702 111 22 33"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    inspector = factory.SubFactory(InspectorFactory)
    precinct = factory.LazyAttribute(lambda o: o.inspector.precinct)
    kind = Meeting.Kind.QUARTERLY_REPORT
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    held_at = factory.LazyAttribute(lambda o: o.scheduled_at)
    status = Meeting.Status.HELD
    place = "Актовый зал школы №5"
    attendees = 45
    minutes = "Отчёт участкового инспектора о работе за квартал."


class CategoryFactory(factory.django.DjangoModelFactory):
    """Found by code: "lighting" is also one of the defaults the migrations seed."""

    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "lighting"
    name = "Освещение"
    sort_order = 10


class ResponsibleBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResponsibleBody

    name = factory.Sequence(lambda n: f"Отдел ЖКХ акимата №{n + 1}")
    kind = ResponsibleBody.Kind.AKIMAT
    phone = "+7 7222 56-00-00"


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    category = factory.SubFactory(CategoryFactory)
    district = factory.SubFactory(DistrictFactory)
    body = factory.SubFactory(ResponsibleBodyFactory)
    deadline_days = 20


class SuggestionFactory(factory.django.DjangoModelFactory):
    """Written straight to the table (any status, no routing, no history); tests of routing and
    transitions record suggestions through meetings.services.suggestion_save instead."""

    class Meta:
        model = Suggestion

    meeting = factory.SubFactory(MeetingFactory)
    text = "Установить освещение во дворе дома №12."
    # Saved even when the suggestion is only built: a category is reference data.
    category = factory.LazyFunction(lambda: CategoryFactory.create())


class CandidateSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.CandidateSite"

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Участок под УПП №{n + 1}")
    geom = factory.LazyFunction(lambda: GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT)))


class OffenceCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.OffenceCount"

    district = factory.SubFactory(DistrictFactory)
    category = factory.LazyFunction(
        lambda: __import__("planning.models").models.OffenceCategory.objects.get(code="total")
    )
    month = datetime.date(2025, 1, 1)
    count = 10
