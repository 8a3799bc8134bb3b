"""NATO's workbook as published goes in with one upload; a block whose metric is not certain is
refused naming the candidates, and nothing is written."""

import csv

import pytest

from spending.importing import apply_batch, choose_edition, preview_upload
from tests.spending.import_files import dump_figures
from tests.spending.nato_workbooks import FIGURES_2026, workbook_2026

pytestmark = pytest.mark.django_db


def shipped_values():
    """The number of values the shipped 2026 edition holds: one line of figures.csv each."""
    with open(FIGURES_2026, newline="", encoding="utf-8") as f:
        return sum(1 for row in csv.DictReader(f) if row["edition"] == "nato-2026")


def values_read(batch):
    return sum(1 for row in batch.preview["rows"] for name in row["fields"] if name != "status")


def test_the_2026_workbook_over_the_shipped_edition_changes_none_of_its_values():
    before = dump_figures()
    batch = preview_upload(workbook_2026(), "def-exp-2026-en.xlsx", choose_edition("nato-2026"))
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert errors == []
    assert values_read(batch) == shipped_values() == 6273
    assert batch.counts["new"] == 0
    assert batch.counts["changed"] == 0
    assert batch.counts["values_changed"] == 0
    assert len(batch.preview["blocks"]) == 15
    apply_batch(batch.pk)
    assert dump_figures() == before
