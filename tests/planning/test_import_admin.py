"""Offence counts from CSV/XLSX (command and admin), and the planning admin."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from planning import services
from planning.importing import offence_counts_import
from planning.models import CandidateSite, FacilityKind, OffenceCount, SitingPlan
from stations.models import Station
from tests.factories import CandidateSiteFactory, PrecinctFactory, point_ewkt, precinct_cell

pytestmark = pytest.mark.django_db


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def test_csv_import_saves_every_row_and_updates_on_second_run(precinct):
    kato = precinct.district.kato
    text = (
        "district;precinct;category;month;count\n"
        f"{kato};{precinct.number};total;2025-01;12\n"
        f"{kato};;theft;02.2025;7\n"
        f"{kato};{precinct.number};Кражи;2025-03;3\n"
    )
    report = offence_counts_import(name="o.csv", file=csv_file(text))
    assert report.saved and report.created == 3 and report.errors == []
    row = OffenceCount.objects.get(category__code="theft", month=datetime.date(2025, 2, 1))
    assert row.precinct is None and row.district == precinct.district and row.count == 7
    again = offence_counts_import(name="o.csv", file=csv_file(text.replace(";12", ";15")))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert OffenceCount.objects.get(category__code="total").count == 15
    # The audit history: created, then changed, each through the import door.
    total = OffenceCount.objects.get(category__code="total")
    versions = total.history.order_by("history_id")
    assert [(v.history_type, v.count, v.history_door) for v in versions] == [
        ("+", 12, "import"),
        ("~", 15, "import"),
    ]


def test_a_bad_row_saves_nothing_and_each_error_names_its_row(precinct):
    kato = precinct.district.kato
    text = (
        "district,precinct,category,month,count\n"
        f"{kato},{precinct.number},total,2025-01,12\n"
        f"999999999,,total,2025-01,1\n"
        f"{kato},77,total,2025-13,-4\n"
        f"{kato},{precinct.number},nope,2025-01,1\n"
        f"{kato},{precinct.number},total,2025-01,9\n"
    )
    report = offence_counts_import(name="o.csv", file=csv_file(text))
    assert not report.saved
    assert OffenceCount.objects.count() == 0
    errors = dict(report.errors)
    assert set(errors) == {3, 4, 5, 6}
    assert "999999999" in errors[3]
    assert "участка №77" in errors[4] and "2025-13" in errors[4] and "-4" in errors[4]
    assert "nope" in errors[5]
    assert "строку 2" in errors[6]


def test_xlsx_import_and_command(tmp_path, precinct):
    book = Workbook()
    sheet = book.active
    sheet.append(["район", "участок", "категория", "месяц", "количество"])
    sheet.append([precinct.district.kato, precinct.number, "robbery", datetime.date(2025, 4, 1), 2])
    path = tmp_path / "o.xlsx"
    book.save(path)
    out = io.StringIO()
    call_command("import_offences", str(path), stdout=out)
    assert "создано 1" in out.getvalue()
    assert OffenceCount.objects.get().category.code == "robbery"


def test_command_reports_missing_columns(tmp_path, precinct):
    path = tmp_path / "o.csv"
    path.write_text("district,count\n1,2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="category, month"):
        call_command("import_offences", str(path))


def test_admin_import_page_shows_row_errors_and_saves_nothing(admin_client_logged, precinct):
    url = reverse("admin:planning_offencecount_import")
    assert admin_client_logged.get(url).status_code == 200
    upload = io.BytesIO(b"district,precinct,category,month,count\n000,,total,2025-01,1\n")
    upload.name = "bad.csv"
    response = admin_client_logged.post(url, {"file": upload})
    assert response.status_code == 200
    assert "000" in response.content.decode()
    assert 'id="import-errors"' in response.content.decode()
    assert OffenceCount.objects.count() == 0
    good = io.BytesIO(
        f"district,precinct,category,month,count\n{precinct.district.kato},,total,2025-01,5\n".encode()
    )
    good.name = "good.csv"
    response = admin_client_logged.post(url, {"file": good})
    assert response.status_code == 302
    assert OffenceCount.objects.get().count == 5


def test_admin_pages_open(admin_client_logged, precinct):
    site = CandidateSiteFactory(district=precinct.district)
    plan = services.siting_plan_run(
        params=services.PlanInput(
            district=precinct.district,
            facility_kind=FacilityKind.STATION,
            new_sites=1,
            radius_m=800,
        )
    )
    for name, args in [
        ("admin:planning_offencecategory_changelist", []),
        ("admin:planning_offencecount_changelist", []),
        ("admin:planning_offencecount_add", []),
        ("admin:planning_candidatesite_changelist", []),
        ("admin:planning_candidatesite_change", [site.pk]),
        ("admin:planning_sitingplan_changelist", []),
        ("admin:planning_sitingplan_change", [plan.pk]),
    ]:
        assert admin_client_logged.get(reverse(name, args=args)).status_code == 200, name


def test_admin_candidate_outside_district_is_a_form_error(admin_client_logged, district):
    response = admin_client_logged.post(
        reverse("admin:planning_candidatesite_add"),
        {
            "district": district.pk,
            "name": "Далеко",
            "kind": "",
            "geom": point_ewkt(81.5, 50.4),
            "note": "",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not CandidateSite.objects.exists()


def test_admin_action_builds_planned_stations(admin_client_logged, district):
    PrecinctFactory(district=district, number=1)
    CandidateSiteFactory(
        district=district, geom=f"SRID=4326;POINT ({precinct_cell(0)[0]} {precinct_cell(0)[1]})"
    )
    plan = services.siting_plan_run(
        params=services.PlanInput(
            district=district, facility_kind=FacilityKind.STATION, new_sites=1, radius_m=800
        )
    )
    url = reverse("admin:planning_sitingplan_changelist")
    response = admin_client_logged.post(
        url, {"action": "build_facilities", "_selected_action": [plan.pk]}, follow=True
    )
    assert response.status_code == 200
    station = Station.objects.get()
    assert station.status == Station.Status.PLANNED
    assert plan.sites.get().station == station
    # A second run says so and creates nothing.
    response = admin_client_logged.post(
        url, {"action": "build_facilities", "_selected_action": [plan.pk]}, follow=True
    )
    assert "уже созданы" in response.content.decode()
    assert Station.objects.count() == 1
    assert SitingPlan.objects.count() == 1


def test_xlsx_with_a_bad_row_saves_nothing(precinct):
    book = Workbook()
    sheet = book.active
    sheet.append(["district", "precinct", "category", "month", "count"])
    sheet.append([precinct.district.kato, precinct.number, "total", "2025-01", 3])
    sheet.append([precinct.district.kato, precinct.number, "total", datetime.date(2025, 2, 15), 3])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    report = offence_counts_import(name="o.xlsx", file=data)
    assert not report.saved
    assert [number for number, _m in report.errors] == [3]
    assert OffenceCount.objects.count() == 0


def test_unknown_file_type_is_refused(precinct):
    from planning.importing import OffenceImportError

    with pytest.raises(OffenceImportError, match="CSV и XLSX"):
        offence_counts_import(name="o.txt", file=io.BytesIO(b"x"))


def test_command_dry_run_checks_and_saves_nothing(tmp_path, precinct):
    path = tmp_path / "o.csv"
    path.write_text(
        f"district,precinct,category,month,count\n{precinct.district.kato},,total,2025-01,5\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_offences", str(path), "--dry-run", stdout=out)
    assert "ошибок нет" in out.getvalue()
    assert OffenceCount.objects.count() == 0
    with pytest.raises(CommandError, match="не найден"):
        call_command("import_offences", str(tmp_path / "missing.csv"))
