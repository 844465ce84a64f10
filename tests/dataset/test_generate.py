"""The synthetic dataset generator at its tiny scale: complete, valid, deterministic, careful."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from dataset.scales import SCALES
from dataset.services import DATASET_MODELS, dataset_generate
from meetings.models import Meeting, Suggestion
from officers.models import Assignment, Inspector
from reach.models import CoverageSnapshot
from servicepolice import geo
from stations.models import District, FacilityStatus, ModularPost, Precinct, Station

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]


def fingerprint() -> str:
    """A digest of the generated rows that a rerun with the same seed must reproduce."""
    parts = [
        *(p.geom.wkt for p in Precinct.objects.order_by("district__kato", "number")),
        *(
            f"{s.number}|{s.status}|{s.geom.wkt}"
            for s in Station.objects.order_by("district__kato", "number")
        ),
        *(
            f"{i.personnel_number}|{i.last_name}|{i.status}|{i.appointed_on}"
            for i in Inspector.objects.order_by("personnel_number")
        ),
        *(
            f"{m.kind}|{m.status}|{m.scheduled_at.isoformat()}|{m.place}"
            for m in Meeting.objects.order_by("scheduled_at", "place")
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@pytest.fixture
def tiny():
    return dataset_generate(scale=TINY, seed=7)


def test_every_table_gets_rows(tiny):
    counts = {label.split(".")[1]: n for label, n in tiny.counts.items()}
    assert all(counts[model.__name__] > 0 for model in DATASET_MODELS), counts
    assert counts["Precinct"] == TINY.precincts
    assert counts["Station"] == TINY.stations
    assert counts["ModularPost"] == TINY.posts
    assert counts["CoverageSnapshot"] == counts["District"]


def test_every_row_passes_the_model_rules(tiny):
    failures = []
    for model in DATASET_MODELS:
        if model is CoverageSnapshot:  # derived by reach.services, not a registry row
            continue
        for row in model.objects.all():
            try:
                row.full_clean()
            except ValidationError as exc:
                failures.append((model.__name__, row.pk, exc.message_dict))
    assert failures == []


def test_precincts_tessellate_their_district(tiny):
    for district in District.objects.all():
        shapes = [p.geom for p in Precinct.objects.filter(district=district)]
        assert shapes and all(s.valid and geo.in_kazakhstan(s) for s in shapes)
        union = shapes[0]
        for shape in shapes[1:]:
            union = union.union(shape)
        # No gap: together they are the district; no overlap: their areas add up to it.
        assert union.sym_difference(district.geom).area == pytest.approx(0, abs=1e-12)
        assert sum(s.area for s in shapes) == pytest.approx(district.geom.area, rel=1e-9)
        for a in shapes:
            for b in shapes:
                if a is not b:
                    assert a.intersection(b).area == pytest.approx(0, abs=1e-12)


def test_every_status_and_a_history(tiny):
    assert set(Station.objects.values_list("status", flat=True)) == set(FacilityStatus.values)
    assert set(ModularPost.objects.values_list("status", flat=True)) == set(FacilityStatus.values)
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status.values)
    assert len(set(Suggestion.objects.values_list("status", flat=True))) >= 2
    serving = Inspector.objects.exclude(status=Inspector.Status.DISMISSED)
    assert all(
        Assignment.objects.filter(inspector=i, ended_on__isnull=True).count() == 1 for i in serving
    )


def test_same_seed_same_rows_and_refuses_a_database_with_data(tiny):
    first = fingerprint()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("generate_dataset", "--scale", "tiny", "--seed", "7", verbosity=0)
    call_command(
        "generate_dataset", "--scale", "tiny", "--seed", "7", "--flush", "--no-coverage",
        verbosity=0,
    )  # fmt: skip
    assert fingerprint() == first
    call_command(
        "generate_dataset", "--scale", "tiny", "--seed", "8", "--flush", "--no-coverage",
        verbosity=0,
    )  # fmt: skip
    assert fingerprint() != first
