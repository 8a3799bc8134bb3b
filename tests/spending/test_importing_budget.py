# ruff: noqa: E501  (the XML parts of a workbook, verbatim)
"""A small file that expands to a huge table is refused while it is read: the row and cell
budget (IMPORT_MAX_ROWS, IMPORT_MAX_CELLS) stops the reader, not minutes of validation."""

import pytest

from spending.importing import choose_edition, preview_upload
from spending.importing.reading import ReadingBudget
from spending.models import ImportBatch
from tests.spending.import_files import csv_bytes, dump_figures, zip_bytes

pytestmark = pytest.mark.django_db

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>"
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    b"</Relationships>"
)


def tall_workbook(rows, columns=3):
    """An XLSX whose one sheet has `rows` rows of small numbers: tiny zipped, huge as a table."""
    # Cell and row references are optional: without them every row is the same bytes.
    body = (b"<row>" + b"<c><v>1</v></c>" * columns + b"</row>") * rows
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + body + b"</sheetData></worksheet>"
    )
    return zip_bytes(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": ROOT_RELS,
            "xl/workbook.xml": WORKBOOK,
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet,
        }
    )


def errors(batch):
    return [m for m in batch.preview["messages"] if m["level"] == "error"]


def test_a_small_workbook_of_163k_rows_is_refused_while_reading_not_after(monkeypatch):
    content = tall_workbook(163_000, columns=1)
    assert len(content) < 500_000  # like the red team's 435 KB: within every size and zip limit
    before = dump_figures()
    counted = []
    count = ReadingBudget.count
    monkeypatch.setattr(
        ReadingBudget, "count", lambda budget, cells: (counted.append(1), count(budget, cells))
    )
    batch = preview_upload(content, "tall.xlsx", choose_edition("nato-2026"))
    [error] = errors(batch)
    assert "more than 20,000 rows" in error["message"]
    assert error["where"] == "row 20001"
    assert batch.status == ImportBatch.State.INVALID
    assert dump_figures() == before
    # Stopped at the first row past the budget: the other 143k rows are never read, parsed or
    # validated (the seconds this takes are measured in bench/import_bench.py, not here).
    assert len(counted) == 20_001


def test_the_cell_budget_stops_a_wide_sheet_before_the_row_budget(settings):
    settings.IMPORT_MAX_CELLS = 2_000
    batch = preview_upload(tall_workbook(200, columns=20), "wide.xlsx", choose_edition("nato-2026"))
    [error] = errors(batch)
    assert "more than 2,000 cells" in error["message"]
    assert error["where"] == "row 101"


def test_a_csv_past_the_row_budget_is_refused_where_it_passes(settings):
    settings.IMPORT_MAX_ROWS = 50
    content = csv_bytes([["iso3", "year", "status"], *[["POL", "2024", "actual"]] * 60])
    batch = preview_upload(content, "long.csv", choose_edition("nato-2026"))
    [error] = errors(batch)
    assert "more than 50 rows" in error["message"]
    assert error["where"] == "row 51"


def test_a_file_within_the_budget_is_read_whole(settings):
    settings.IMPORT_MAX_ROWS = 61
    content = csv_bytes([["iso3", "year", "status"], *[["POL", "2024", "actual"]] * 60])
    batch = preview_upload(content, "long.csv", choose_edition("nato-2026"))
    assert not any("rows (IMPORT_MAX_ROWS)" in m["message"] for m in errors(batch))
