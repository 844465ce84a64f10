"""Territory and facility rules: each bad input is rejected with its message, nothing saved."""

import datetime

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from servicepolice import geo
from stations import services
from stations.models import ModularPost, Precinct, Region, Station
from stations.validators import (
    MSG_CLOSED_BEFORE_OPENED,
    MSG_CLOSED_DATE_NOT_CLOSED,
    MSG_CLOSED_WITHOUT_DATE,
    MSG_KATO,
    MSG_OUTSIDE_KZ,
    MSG_PRECINCT_OTHER_DISTRICT,
)
from tests.factories import (
    CENTRE_LAT,
    CENTRE_LON,
    DistrictFactory,
    ModularPostFactory,
    PrecinctFactory,
    RegionFactory,
    SettlementFactory,
    StationFactory,
    point_ewkt,
    square_ewkt,
)
from tests.helpers import codes, messages

pytestmark = pytest.mark.django_db

BOWTIE = (
    "SRID=4326;MULTIPOLYGON (((80.20 50.40, 80.24 50.42, 80.24 50.40, 80.20 50.42, 80.20 50.40)))"
)


def test_str_of_each_model():
    station = StationFactory(number="№19", name="мкр. Карагайлы")
    assert str(station) == "УПП №19 мкр. Карагайлы"
    assert str(PrecinctFactory(number=7, name="")) == "Участок №7"
    assert str(station.district.region) == "Абайская область"


@pytest.mark.parametrize("kato", ["12345678", "1234567890", "63000000A", ""])
def test_kato_must_be_nine_digits(kato):
    region = RegionFactory.build(kato=kato)
    with pytest.raises(ValidationError) as exc:
        region.full_clean()
    if kato:
        assert "kato" in codes(exc.value, "kato")
        assert str(MSG_KATO) in messages(exc.value, "kato")
    else:
        assert codes(exc.value, "kato") == ["blank"]


def test_region_outside_kazakhstan_rejected():
    region = RegionFactory.build(kato="999999999", geom=GEOSGeometry(square_ewkt(37.6, 55.7, 5)))
    with pytest.raises(ValidationError) as exc:
        services.region_save(region=region)
    assert messages(exc.value, "geom") == [str(MSG_OUTSIDE_KZ)]
    assert not Region.objects.filter(kato="999999999").exists()


def test_self_intersecting_polygon_rejected_with_place():
    district = DistrictFactory()
    precinct = PrecinctFactory.build(district=district, number=1, geom=GEOSGeometry(BOWTIE))
    with pytest.raises(ValidationError) as exc:
        services.precinct_save(precinct=precinct)
    (message,) = messages(exc.value, "geom")
    assert "Self-intersection" in message
    assert "80.22" in message  # where the two edges cross
    assert Precinct.objects.count() == 0


def test_precinct_outside_district_rejected():
    district = DistrictFactory()  # 10 × 10 km around the centre
    far = GEOSGeometry(square_ewkt(CENTRE_LON + 0.2, CENTRE_LAT, 0.5))
    precinct = PrecinctFactory.build(district=district, number=1, geom=far)
    with pytest.raises(ValidationError) as exc:
        services.precinct_save(precinct=precinct)
    assert codes(exc.value, "geom") == ["outside_district"]
    assert district.name in messages(exc.value, "geom")[0]
    assert Precinct.objects.count() == 0


def test_precinct_touching_the_border_within_tolerance_is_accepted():
    district = DistrictFactory()
    # 5.02 km half-side: about 20 m beyond the district's 5 km edge, inside the 50 m tolerance.
    precinct = PrecinctFactory.build(
        district=district, number=1, geom=GEOSGeometry(square_ewkt(CENTRE_LON, CENTRE_LAT, 5.02))
    )
    services.precinct_save(precinct=precinct)
    assert Precinct.objects.count() == 1


def test_station_point_outside_district_rejected_with_distance():
    district = DistrictFactory()
    point = geo.offset_point(CENTRE_LON, CENTRE_LAT, 5000 + 300, 0)  # ~300 m beyond the edge
    station = StationFactory.build(district=district, geom=point)
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=station)
    (message,) = messages(exc.value, "geom")
    assert district.name in message
    distance = int(message.split("(в ")[1].split(" м")[0])
    assert 250 <= distance <= 350
    assert Station.objects.count() == 0


def test_station_point_just_inside_tolerance_accepted_just_outside_rejected():
    district = DistrictFactory()
    edge_east_m = geo.distance_m(
        GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT)),
        GEOSGeometry(point_ewkt(CENTRE_LON + 5 / 70.9, CENTRE_LAT)),
    )
    inside = geo.offset_point(CENTRE_LON, CENTRE_LAT, edge_east_m + 45, 0)
    outside = geo.offset_point(CENTRE_LON, CENTRE_LAT, edge_east_m + 55, 0)
    services.station_save(station=StationFactory.build(district=district, geom=inside))
    with pytest.raises(ValidationError):
        services.station_save(station=StationFactory.build(district=district, geom=outside))
    assert Station.objects.count() == 1


def test_station_with_swapped_coordinates_is_outside_kazakhstan():
    station = StationFactory.build(
        district=DistrictFactory(), geom=GEOSGeometry(point_ewkt(CENTRE_LAT, CENTRE_LON))
    )
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=station)
    assert str(MSG_OUTSIDE_KZ) in messages(exc.value, "geom")


@pytest.mark.parametrize(
    ("status", "opened_on", "closed_on", "message"),
    [
        ("closed", datetime.date(2022, 1, 1), datetime.date(2021, 1, 1), MSG_CLOSED_BEFORE_OPENED),
        ("closed", datetime.date(2022, 1, 1), None, MSG_CLOSED_WITHOUT_DATE),
        (
            "operating",
            datetime.date(2022, 1, 1),
            datetime.date(2023, 1, 1),
            MSG_CLOSED_DATE_NOT_CLOSED,
        ),
    ],
)
def test_facility_lifecycle_dates(status, opened_on, closed_on, message):
    district = DistrictFactory()
    for factory, save, model, kwarg in (
        (StationFactory, services.station_save, Station, "station"),
        (ModularPostFactory, services.modular_post_save, ModularPost, "post"),
    ):
        obj = factory.build(
            district=district, status=status, opened_on=opened_on, closed_on=closed_on
        )
        with pytest.raises(ValidationError) as exc:
            save(**{kwarg: obj})
        assert str(message) in messages(exc.value, "closed_on")
        assert model.objects.count() == 0


def test_closed_station_with_dates_is_accepted():
    station = services.station_create(
        district=DistrictFactory(),
        number="№3",
        address="г. Семей, ул. Шакарима, 1",
        geom=GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT)),
        status=Station.Status.CLOSED,
        opened_on=datetime.date(2015, 3, 1),
        closed_on=datetime.date(2023, 6, 30),
    )
    assert station.pk


def test_station_precinct_must_be_in_the_same_district():
    other_precinct = PrecinctFactory(district=DistrictFactory())
    station = StationFactory.build(district=DistrictFactory(), precinct=other_precinct)
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=station)
    assert messages(exc.value, "precinct") == [str(MSG_PRECINCT_OTHER_DISTRICT)]


def test_settlement_outside_district_rejected():
    settlement = SettlementFactory.build(
        district=DistrictFactory(), geom=GEOSGeometry(point_ewkt(CENTRE_LON + 1, CENTRE_LAT))
    )
    with pytest.raises(ValidationError) as exc:
        services.settlement_save(settlement=settlement)
    assert codes(exc.value, "geom") == ["outside_district"]


def test_unique_station_number_within_district():
    station = StationFactory(number="№19")
    duplicate = StationFactory.build(district=station.district, number="№19")
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=duplicate)
    assert "уже есть" in exc.value.messages[0]
    # Another district may reuse the number.
    StationFactory(number="№19", district=DistrictFactory())


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "closed", "closed_on": None},
        {
            "opened_on": datetime.date(2022, 1, 1),
            "closed_on": datetime.date(2021, 1, 1),
            "status": "closed",
        },
        {"status": "demolished"},
    ],
)
def test_database_checks_back_the_rules(fields):
    district = DistrictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(
            district=district,
            number="№1",
            address="—",
            geom=GEOSGeometry(point_ewkt(CENTRE_LON, CENTRE_LAT)),
            **fields,
        )


def test_database_unique_constraints():
    precinct = PrecinctFactory(number=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Precinct.objects.create(district=precinct.district, number=5, geom=precinct.geom)
    station = StationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(
            district=station.district, number=station.number, address="—", geom=station.geom
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(
            name="Дубликат", kato=station.district.region.kato, geom=station.district.geom
        )


def test_facility_querysets():
    operating = StationFactory()
    StationFactory(district=operating.district, status=Station.Status.PLANNED)
    assert list(Station.objects.operating()) == [operating]
    assert Station.objects.in_district(operating.district).count() == 2
    assert Station.objects.in_region(operating.district.region).count() == 2


def test_a_point_far_outside_kazakhstan_gets_one_clear_error():
    station = StationFactory.build(district=DistrictFactory(), geom=GEOSGeometry(point_ewkt(0, 0)))
    with pytest.raises(ValidationError) as exc:
        services.station_save(station=station)
    assert messages(exc.value, "geom") == [str(MSG_OUTSIDE_KZ)]
