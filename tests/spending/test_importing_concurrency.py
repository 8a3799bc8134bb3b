"""Two confirms at the same moment: row locks and constraints keep every change (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from spending.importing import ImportRefused, apply_batch, choose_edition, preview_upload
from spending.models import ImportChange, YearlyFigure
from tests.spending.import_files import EXPORT_COLUMNS, csv_bytes, export_rows

pytestmark = pytest.mark.usefixtures("nato_data")


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time and has no row locks: tested on PostgreSQL")


def personnel_file(iso3, year, value):
    rows = export_rows(iso3=iso3)
    column = EXPORT_COLUMNS.index("military_personnel_k")
    for row in rows[1:]:
        if row[1] == year:
            row[column] = value
    return csv_bytes(rows)


def preview(iso3, year, value):
    return preview_upload(personnel_file(iso3, year, value), "f.csv", choose_edition("nato-2026"))


def confirm_at_once(batch_ids):
    """Applies each batch in its own thread and connection, all released together."""
    barrier = threading.Barrier(len(batch_ids))
    outcomes = {}

    def run(index, batch_id):
        try:
            barrier.wait()
            apply_batch(batch_id)
            outcomes[index] = "applied"
        except ImportRefused as refusal:
            outcomes[index] = str(refusal)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(batch_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return [outcomes.get(index) for index in range(len(batch_ids))]


def personnel(iso3, year):
    return YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3=iso3, year=year
    ).military_personnel_k


def test_concurrent_confirms_of_different_figures_both_land():
    first, second = preview("POL", 2024, "250"), preview("DEU", 2024, "190")
    assert confirm_at_once([first.pk, second.pk]) == ["applied", "applied"]
    assert personnel("POL", 2024) == 250
    assert personnel("DEU", 2024) == 190


def test_concurrent_confirms_of_the_same_figure_apply_one_and_refuse_the_other():
    first, second = preview("POL", 2023, "250"), preview("POL", 2023, "260")
    outcomes = confirm_at_once([first.pk, second.pk])
    assert outcomes.count("applied") == 1
    refused = next(o for o in outcomes if o != "applied")
    assert "changed since this preview" in refused
    winner = 250 if outcomes[0] == "applied" else 260
    assert personnel("POL", 2023) == winner


def test_the_same_preview_confirmed_twice_at_once_is_written_once():
    batch = preview("POL", 2022, "250")
    outcomes = confirm_at_once([batch.pk, batch.pk])
    assert outcomes.count("applied") == 1
    assert "already applied" in next(o for o in outcomes if o != "applied")
    assert ImportChange.objects.filter(batch=batch).count() == 1
