"""Counts kept until a table they read changes (servicepolice/table_versions.py).

The versions come from triggers, so these tests run on PostgreSQL, outside a test transaction
(in one, versions are not trusted and every count is run: the first test checks that too)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting
from servicepolice import table_versions
from servicepolice.table_versions import cached_count, cached_counts_clear, versions
from tests.factories import MeetingFactory, PrecinctFactory

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="table versions are kept by PostgreSQL triggers"
)

LIST = "/api/v1/meetings/?status=held"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cached_counts_clear()
    yield
    cached_counts_clear()


def _counts_run(fn) -> tuple[object, int]:
    """What `fn` returns, and how many COUNT statements it ran."""
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    sqls = [q["sql"].upper() for q in queries.captured_queries]
    return result, sum(sql.startswith("SELECT COUNT(") for sql in sqls)


def _planned(n: int):
    """A precinct with `n` planned meetings, and the query of planned meetings."""
    precinct = PrecinctFactory()
    MeetingFactory.create_batch(n, precinct=precinct, status="planned")
    return precinct, Meeting.objects.filter(status="planned")


@pytest.mark.django_db
def test_inside_a_transaction_every_count_is_run(precinct):
    MeetingFactory.create_batch(2, precinct=precinct, status="planned")
    planned = Meeting.objects.filter(status="planned")
    assert connection.in_atomic_block
    assert versions(["meetings_meeting"]) is None
    for _ in range(2):
        assert _counts_run(lambda: cached_count(planned)) == (2, 1)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_every_model_table_has_the_trigger():
    tables = set(connection.introspection.django_table_names(only_existing=True))
    assert tables and tables <= table_versions.tracked_tables()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_count_is_kept_until_its_table_changes_by_any_means():
    precinct, planned = _planned(3)

    assert _counts_run(lambda: cached_count(planned)) == (3, 1)
    assert _counts_run(lambda: cached_count(planned)) == (3, 0)  # kept

    MeetingFactory(precinct=precinct, status="planned")  # an ORM insert
    assert _counts_run(lambda: cached_count(planned)) == (4, 1)

    Meeting.objects.filter(pk=Meeting.objects.first().pk).update(
        status="cancelled", cancel_reason="перенесена"
    )
    assert _counts_run(lambda: cached_count(planned)) == (3, 1)  # QuerySet.update

    with connection.cursor() as cursor:  # raw SQL, as psql or another program would
        cursor.execute("DELETE FROM meetings_meeting WHERE status = 'planned'")
    assert _counts_run(lambda: cached_count(planned)) == (0, 1)
    assert _counts_run(lambda: cached_count(planned)) == (0, 0)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_the_version_and_the_count():
    precinct, planned = _planned(2)
    before = versions(["meetings_meeting"])
    assert _counts_run(lambda: cached_count(planned)) == (2, 1)

    with pytest.raises(RuntimeError), transaction.atomic():
        MeetingFactory(precinct=precinct, status="planned")
        # Inside the writing transaction nothing is kept or served: it would count its own
        # uncommitted row.
        assert _counts_run(lambda: cached_count(planned)) == (3, 1)
        raise RuntimeError

    assert versions(["meetings_meeting"]) == before
    assert _counts_run(lambda: cached_count(planned)) == (2, 0)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_filters_and_scope_are_part_of_the_key():
    precinct, other = PrecinctFactory(), PrecinctFactory()
    MeetingFactory.create_batch(2, precinct=precinct, status="planned")
    MeetingFactory(precinct=other, status="planned")
    assert cached_count(Meeting.objects.filter(precinct=precinct)) == 2
    assert cached_count(Meeting.objects.filter(precinct=other)) == 1
    assert cached_count(Meeting.objects.none()) == 0
    assert cached_count(Meeting.objects.all()) == 3


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_api_lists_count_once_per_version(api_client):
    precinct = PrecinctFactory()
    MeetingFactory.create_batch(3, precinct=precinct, status="held")

    first, ran = _counts_run(lambda: api_client.get(LIST))
    assert (first.json()["count"], ran) == (3, 1)
    again, ran = _counts_run(lambda: api_client.get(LIST))
    assert (again.json()["count"], ran) == (3, 0)
    assert again.content == first.content

    MeetingFactory(precinct=precinct, status="held")
    more, ran = _counts_run(lambda: api_client.get(LIST))
    assert (more.json()["count"], len(more.json()["results"]), ran) == (4, 4, 1)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_admin_changelist_counts_once_per_version(client, django_user_model):
    user = django_user_model.objects.create_superuser("versions-admin", "", "pw")
    client.force_login(user)
    MeetingFactory.create_batch(2, precinct=PrecinctFactory(), status="held")
    for path in ("/admin/meetings/meeting/", "/admin/meetings/meeting/?status__exact=held"):
        first, ran = _counts_run(lambda p=path: client.get(p))
        assert first.status_code == 200 and ran >= 1
        again, ran = _counts_run(lambda p=path: client.get(p))
        assert again.status_code == 200 and ran == 0
        assert again.context["cl"].result_count == first.context["cl"].result_count == 2


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_kept_overview_follows_a_change_made_without_save(api_client):
    from servicepolice.response_cache import response_cache_clear
    from tests.factories import DistrictFactory

    response_cache_clear()
    district = DistrictFactory(name="Старое имя")
    overview = "/api/v1/districts/?format=geojson&limit=500&simplify=3273"
    names = lambda: {f["properties"]["name"] for f in api_client.get(overview).json()["features"]}  # noqa: E731
    assert names() == {"Старое имя"}
    type(district).objects.filter(pk=district.pk).update(name="Новое имя")  # updated_at stays
    assert names() == {"Новое имя"}
    response_cache_clear()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_admin_filter_choices_and_years_follow_new_rows(client, django_user_model):
    import datetime

    from django.utils import timezone

    user = django_user_model.objects.create_superuser("choices-admin", "", "pw")
    client.force_login(user)
    first_precinct = PrecinctFactory(district__name="Первый район")
    MeetingFactory(precinct=first_precinct, status="planned")
    path = "/admin/meetings/meeting/"
    with CaptureQueriesContext(connection) as cold:
        page = client.get(path).content.decode()
    with CaptureQueriesContext(connection) as warm:
        again = client.get(path).content.decode()
    assert len(warm) < len(cold) and "Первый район" in again
    assert "EXISTS" not in " ".join(q["sql"] for q in warm.captured_queries)

    long_ago = timezone.now() - datetime.timedelta(days=5 * 366)
    MeetingFactory(
        precinct=PrecinctFactory(district__name="Второй район"),
        status="cancelled",
        cancel_reason="перенесена",
        scheduled_at=long_ago,
    )
    page = client.get(path).content.decode()
    assert "Второй район" in page
    assert f"?scheduled_at__year={timezone.localtime(long_ago).year}" in page


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_short_list_keeps_its_keys_in_order_until_a_table_changes():
    from servicepolice.table_versions import cached_page_keys
    from stations.models import Station
    from tests.factories import StationFactory

    for name in ("Б", "В", "Г"):
        StationFactory.create_batch(2, district__name=f"{name} район")
    stations = Station.objects.order_by("district__name", "number", "pk")
    page = slice(1, 4)
    expected = list(stations.values_list("pk", flat=True)[page])
    assert cached_page_keys(stations, page, 6) == expected
    with CaptureQueriesContext(connection) as queries:
        assert cached_page_keys(stations, page, 6) == expected
    assert all(table_versions.WRITE_TABLE in q["sql"] for q in queries.captured_queries)

    first = StationFactory(district__name="А район")  # sorts before every other
    assert cached_page_keys(stations, slice(0, 2), 7)[0] == first.pk
    # A list longer than the limit, or of unknown length, reads its page's keys every time.
    assert cached_page_keys(stations, page, None) == list(
        stations.values_list("pk", flat=True)[page]
    )


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_write_log_is_folded_without_changing_the_version():
    # Statement-level triggers fire for statements that change no row, too: 3,000 cheap
    # writes fold the log at least once but for odds of about 1 in 100,000.
    table = "stations_region"
    before = dict(versions([table]))[table]
    with connection.cursor() as cursor:
        for _ in range(3000):
            cursor.execute(f"UPDATE {table} SET name = name WHERE false")
        cursor.execute(f"SELECT count(*) FROM {table_versions.WRITE_TABLE} WHERE tbl = %s", [table])
        rows = cursor.fetchone()[0]
    assert dict(versions([table]))[table] == before + 3000
    assert rows < 3000
