"""Hostile and malformed uploads: each gets a clear message and leaves every figure as it was."""

import datetime

import pytest

from spending.importing import ImportRefused, apply_batch, choose_edition, preview_upload
from spending.models import ImportBatch
from tests.spending.import_files import (
    csv_bytes,
    dump_figures,
    xlsx_bytes,
    xlsx_with_entities,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = datetime.date.today().year + 1
WIDE_HEAD = ["iso3", "year", "edition", "status", "defence_usd_current_m", "nato_share_of_gdp_pct"]
LONG_HEAD = ["iso3", "year", "metric", "value", "status"]


def wide(*rows, head=WIDE_HEAD):
    return csv_bytes([head, *rows])


def long(*rows, head=LONG_HEAD):
    return csv_bytes([head, *rows])


def nato_table(title, header, *rows, delimiter=";"):
    return csv_bytes([[title], [], header, *rows], delimiter=delimiter)


HOSTILE = [
    # (case id, file name, content, upload options, expected message fragment)
    ("empty file", "f.csv", b"", {}, "The file is empty"),
    ("only blank lines", "f.csv", b"\n\n  \n", {}, "The file is empty"),
    ("header without rows", "f.csv", wide(), {}, "has a header but no figures"),
    (
        "no header row",
        "f.csv",
        b"hello world\nthis is not a table\n",
        {},
        "No header row found",
    ),
    (
        "unknown member",
        "f.csv",
        wide(["XXX", "2024", "", "actual", "1", "2"]),
        {},
        "Line 2, column iso3: “XXX” is not a NATO member",
    ),
    (
        "script tag as a member",
        "f.csv",
        wide(["<script>alert(1)</script>", "2024", "", "actual", "1", "2"]),
        {},
        "“<script>alert(1)</script>” is not a NATO member",
    ),
    (
        "Iceland values",
        "f.csv",
        wide(["ISL", "2024", "", "actual", "100", "1"]),
        {},
        "Iceland has no armed forces",
    ),
    (
        "year before the treaty",
        "f.csv",
        wide(["POL", "1948", "", "actual", "1", "2"]),
        {},
        "column year: “1948” is outside 1949",
    ),
    (
        "year after next year",
        "f.csv",
        wide(["POL", str(NEXT_YEAR + 1), "", "actual", "1", "2"]),
        {},
        f"is outside 1949..{NEXT_YEAR}",
    ),
    (
        "year not a number",
        "f.csv",
        wide(["POL", "20x5", "", "actual", "1", "2"]),
        {},
        "“20x5” is not a year",
    ),
    (
        "amount not a number",
        "f.csv",
        wide(["POL", "2024", "", "actual", "lots", "2"]),
        {},
        "column defence_usd_current_m: “lots” is not a number",
    ),
    (
        "negative amount",
        "f.csv",
        wide(["POL", "2024", "", "actual", "-5", "2"]),
        {},
        "“-5” is negative",
    ),
    (
        "infinite amount",
        "f.csv",
        wide(["POL", "2024", "", "actual", "inf", "2"]),
        {},
        "“inf” is not a finite number",
    ),
    (
        "amount overflowing to infinity",
        "f.csv",
        wide(["POL", "2024", "", "actual", "1e400", "2"]),
        {},
        "“1e400” is not a finite number",
    ),
    (
        "NaN amount",
        "f.csv",
        wide(["POL", "2024", "", "actual", "NaN", "2"]),
        {},
        "“NaN” is not a finite number",
    ),
    (
        "share above 100",
        "f.csv",
        wide(["POL", "2024", "", "actual", "1", "150"]),
        {},
        "column nato_share_of_gdp_pct: “150” is outside 0–100",
    ),
    (
        "negative share",
        "f.csv",
        wide(["POL", "2024", "", "actual", "1", "-0.5"]),
        {},
        "“-0.5” is outside 0–100",
    ),
    (
        "same member-year twice",
        "f.csv",
        wide(["POL", "2024", "", "actual", "1", "2"], ["PL", "2024", "", "actual", "1", "2"]),
        {},
        "Line 3: POL 2024 appears twice in the file (first at line 2)",
    ),
    (
        "same long cell twice",
        "f.csv",
        long(
            ["POL", "2024", "defence_usd_current_m", "1", "actual"],
            ["POL", "2024", "defence_usd_current_m", "2", "actual"],
        ),
        {},
        "POL 2024 defence_usd_current_m appears twice in the file (first at line 2)",
    ),
    (
        "missing status column",
        "f.csv",
        csv_bytes([["iso3", "year", "defence_usd_current_m"], ["POL", "2024", "1"]]),
        {},
        "Line 1: Required column(s) missing: status",
    ),
    (
        "long without a value column",
        "f.csv",
        csv_bytes([["iso3", "year", "metric", "status"], ["POL", "2024", "gdp", "actual"]]),
        {},
        "Required column(s) missing: value",
    ),
    (
        "unknown metric",
        "f.csv",
        long(["POL", "2024", "tanks", "5", "actual"]),
        {},
        "column metric: “tanks” is not a metric name",
    ),
    (
        "unknown status",
        "f.csv",
        wide(["POL", "2024", "", "maybe", "1", "2"]),
        {},
        "column status: “maybe” is not a status",
    ),
    (
        "empty status",
        "f.csv",
        wide(["POL", "2024", "", "", "1", "2"]),
        {},
        "the status must be actual or estimate",
    ),
    (
        "repeated header column",
        "f.csv",
        csv_bytes([["iso3", "year", "status", "year"], ["POL", "2024", "actual", "2024"]]),
        {},
        "“year” appears twice in the header",
    ),
    (
        "ambiguous thousands comma",
        "f.csv",
        wide(["POL", "2024", "", "actual", "1,234", "2"]),
        {},
        "“1,234” is ambiguous",
    ),
    (
        "source id too long",
        "f.csv",
        csv_bytes(
            [
                [*LONG_HEAD, "source_id"],
                ["POL", "2024", "gdp_usd_current_m", "5", "actual", "S" * 30],
            ]
        ),
        {},
        "is longer than 20 characters",
    ),
    (
        "one bad row among good ones",
        "f.csv",
        wide(
            ["POL", "2024", "", "actual", "1", "2"],
            ["DEU", "2024", "", "actual", "1", "2"],
            ["FRA", "2024", "", "actual", "x", "2"],
        ),
        {},
        "Line 4, column defence_usd_current_m: “x” is not a number",
    ),
    (
        "XLSX under a .csv name",
        "f.csv",
        xlsx_bytes({"Data": [["iso3", "year", "status"]]}),
        {},
        "zip or XLSX file under a .csv name",
    ),
    ("binary under a .csv name", "f.csv", b"\x00\x01\x02garbage\x00", {}, "binary file"),
    (
        "UTF-16 CSV",
        "f.csv",
        "iso3,year,status\nPOL,2024,actual\n".encode("utf-16"),
        {},
        "binary file, not CSV text (or UTF-16",
    ),
    (
        "CSV under an .xlsx name",
        "f.xlsx",
        wide(["POL", "2024", "", "actual", "1", "2"]),
        {},
        "not an XLSX workbook",
    ),
    (
        "old .xls under an .xlsx name",
        "f.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        {},
        "old Excel .xls file",
    ),
    (
        "zip that is not a workbook",
        "f.xlsx",
        zip_bytes({"hello.txt": b"hi"}),
        {},
        "not an XLSX workbook (no xl/workbook.xml)",
    ),
    (
        "zip with too many entries",
        "f.xlsx",
        zip_bytes({f"x/{i}.xml": b"" for i in range(600)}),
        {},
        "holds 600 files, more than the limit of 500",
    ),
    (
        "zip bomb",
        "f.xlsx",
        zip_bytes({"xl/workbook.xml": b"", "xl/big.xml": b"\x00" * (101 * 1024 * 1024)}),
        {},
        "expands to",
    ),
    (
        "XML entity declarations",
        "f.xlsx",
        xlsx_with_entities(),
        {},
        "declares entities or a DTD, which are refused",
    ),
    (
        "damaged workbook",
        "f.xlsx",
        zip_bytes({"xl/workbook.xml": b"<not really", "[Content_Types].xml": b"<x"}),
        {},
        "cannot be read",
    ),
    (
        "unknown sheet",
        "f.xlsx",
        xlsx_bytes({"Data": [["iso3", "year", "status"], ["POL", 2024, "actual"]]}),
        {"sheet": "Figures"},
        "There is no sheet “Figures”; the sheets are “Data”",
    ),
    (
        "XLSX bad cell named by its reference",
        "f.xlsx",
        xlsx_bytes(
            {
                "Data": [
                    WIDE_HEAD,
                    ["POL", 2024, "", "actual", 1, 2],
                    ["DEU", "twenty", "", "actual", 1, 2],
                ]
            }
        ),
        {},
        "Sheet “Data”, cell B3, column year: “twenty” is not a year",
    ),
    ("not a table file", "figures.txt", b"iso3,year\n", {}, "is neither a .csv nor an .xlsx"),
    (
        "NATO table with no metric in its title",
        "f.csv",
        nato_table("Table 9: Something", ["", "2023", "2024"], ["Poland", "3,8", "4,1"]),
        {},
        "cannot be told from the title",
    ),
    (
        "NATO table with a year twice",
        "f.csv",
        nato_table(
            "Table 3: Defence expenditure as a share of GDP (%)",
            ["", "2023", "2024", "2024e"],
            ["Poland", "3,8", "4,1", "4,2"],
        ),
        {},
        "year 2024 appears twice in the header",
    ),
    (
        "NATO table with one ally under two names",
        "f.csv",
        nato_table(
            "Table 3: Defence expenditure as a share of GDP (%)",
            ["", "2023", "2024"],
            ["Greece", "3,8", "4,1"],
            ["EL", "3,8", "4,1"],
        ),
        {},
        "GRC appears twice in the table (first at line 4)",
    ),
    (
        "NATO table with an unknown country",
        "f.csv",
        nato_table(
            "Table 3: Defence expenditure as a share of GDP (%)",
            ["", "2023", "2024"],
            ["Atlantis", "3,8", "4,1"],
        ),
        {},
        "Line 4: “Atlantis” is not a NATO member or aggregate",
    ),
]


@pytest.mark.parametrize(
    ("file_name", "content", "options", "expected"),
    [case[1:] for case in HOSTILE],
    ids=[case[0] for case in HOSTILE],
)
def test_a_hostile_upload_is_refused_with_its_message_and_changes_nothing(
    file_name, content, options, expected
):
    before = dump_figures()
    choice = choose_edition("nato-2026")
    batch = preview_upload(content, file_name, choice, **options)
    messages = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert any(expected in message for message in messages), messages
    assert batch.status == ImportBatch.State.INVALID
    with pytest.raises(ImportRefused):
        apply_batch(batch.pk)
    assert dump_figures() == before


def test_there_are_at_least_thirty_hostile_cases():
    assert len(HOSTILE) >= 30


def test_a_file_larger_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    before = dump_figures()
    content = wide(*[["POL", "2024", "", "actual", "1", "2"]] * 10)
    batch = preview_upload(content, "big.csv", choose_edition("nato-2026"))
    assert "more than the limit of 100 bytes" in batch.preview["messages"][0]["message"]
    assert batch.status == ImportBatch.State.INVALID
    assert dump_figures() == before


def test_every_error_of_a_file_is_reported_at_once():
    content = wide(
        ["XXX", "2024", "", "actual", "1", "2"],
        ["POL", "1900", "", "actual", "1", "2"],
        ["DEU", "2024", "", "actual", "-1", "200"],
        ["ISL", "2024", "", "actual", "1", ""],
    )
    batch = preview_upload(content, "f.csv", choose_edition("nato-2026"))
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert len(errors) == 5, errors
    assert batch.counts["errors"] == 5


def test_an_unknown_column_is_an_error_and_a_member_before_accession_a_warning():
    # An unknown column was once a warning and ignored: a misspelt metric then vanished
    # silently (issue 10), so it is refused now, with a suggestion where one is close.
    content = csv_bytes(
        [
            ["iso3", "year", "status", "gdp_usd_current_m", "colour"],
            ["FIN", "2014", "actual", "1000", "blue"],
        ]
    )
    batch = preview_upload(content, "f.csv", choose_edition("nato-2026"))
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert batch.status == ImportBatch.State.INVALID
    assert any("“colour” is not a known column" in e for e in errors)

    content = csv_bytes(
        [["iso3", "year", "status", "gdp_usd_current_m"], ["FIN", "2014", "actual", "1000"]]
    )
    batch = preview_upload(content, "f.csv", choose_edition("nato-2026"))
    warnings = [m["message"] for m in batch.preview["messages"] if m["level"] == "warning"]
    assert batch.status == ImportBatch.State.PREVIEWED
    assert any("Finland joined NATO in 2023" in w for w in warnings)


def test_a_file_with_thousands_of_errors_lists_the_first_thousand_and_counts_the_rest():
    content = wide(*[["XXX", str(year), "", "actual", "1", "2"] for year in range(1950, 2026)] * 20)
    batch = preview_upload(content, "f.csv", choose_edition("nato-2026"))
    messages = batch.preview["messages"]
    assert batch.counts["errors"] == 1520
    assert len(messages) == 1001
    assert "… and 520 more messages (520 errors) not listed" in messages[-1]["message"]
