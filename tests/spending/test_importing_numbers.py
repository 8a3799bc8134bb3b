"""Numbers read as written: one decimal and one grouping mark per file, decided from its content
and stated in the preview; Windows-1252 text read as Excel saves it."""

import pytest

from spending.importing import ImportRefused, apply_batch, choose_edition, preview_upload
from spending.models import ImportBatch, YearlyFigure
from tests.spending.import_files import csv_bytes, dump_figures, xlsx_bytes

pytestmark = pytest.mark.django_db

TABLE_1 = ["Table 1: Defence expenditure"], ["Million national currency"], ["Current prices"]
TABLE_3 = ["Table 3: Core defence expenditure as a share of GDP"], ["Share of real GDP (%)"]
WIDE_HEAD = ["iso3", "year", "status", "defence_usd_current_m", "nato_share_of_gdp_pct"]
LONG_HEAD = ["iso3", "year", "metric", "value", "status"]
NC = {"metric": "defence_nc_current_m"}
SHARE = {"metric": "nato_share_of_gdp_pct"}


def table_1(*rows, delimiter=",", encoding="utf-8"):
    return csv_bytes([*TABLE_1, ["", "2014", "2015"], *rows], delimiter, encoding)


def table_3(*rows, delimiter=","):
    return csv_bytes([*TABLE_3, ["", "2023", "2024"], *rows], delimiter)


# (case id, file name, content, options, {(iso3, year, metric): value} or an error fragment)
NUMBERS = [
    (
        "thousands commas with decimal points elsewhere in the file",
        "t1.csv",
        table_1(["Albania", "18,788", "16,671"], ["Belgium", "4,256.5", "4,200.25"]),
        NC,
        {("ALB", 2014): 18 * 1000 + 788, ("ALB", 2015): 16 * 1000 + 671, ("BEL", 2014): 4256.5},
    ),
    (
        "thousands commas shown by a number in millions",
        "t1.csv",
        table_1(["Albania", "18,788", "16,671"], ["United States", "1,234,567", "1,300,000"]),
        NC,
        {("ALB", 2014): 18788, ("USA", 2014): 1_234_567, ("USA", 2015): 1_300_000},
    ),
    (
        "thousands commas and nothing to tell them from decimal commas",
        "t1.csv",
        table_1(["Albania", "18,788", "16,671"]),
        NC,
        "“18,788” is ambiguous",
    ),
    (
        "semicolon CSV: dot thousands, comma decimals",
        "t1.csv",
        table_1(["Albania", "18.788", "16.671,5"], delimiter=";"),
        NC,
        {("ALB", 2014): 18788, ("ALB", 2015): 16671 + 5 / 10},
    ),
    (
        "semicolon CSV: decimal commas in shares",
        "t3.csv",
        table_3(["Poland", "4,12", "4,48"], delimiter=";"),
        SHARE,
        {("POL", 2023): 412 / 100, ("POL", 2024): 448 / 100},
    ),
    (
        "decimal points and decimal commas in one file",
        "t3.csv",
        table_3(["Poland", "4.12", "4,48"]),
        SHARE,
        "both “.” and “,” as the decimal mark",
    ),
    (
        "comma thousands in one cell, dot thousands in another",
        "t1.csv",
        table_1(["Albania", "18,788.5", "16.671,5"], delimiter=";"),
        NC,
        "both “.” and “,” as the decimal mark",
    ),
    (
        "spaces as thousands separators",
        "t1.csv",
        table_1(["Albania", "18 788", "16\u00a0671"]),
        NC,
        {("ALB", 2014): 18788, ("ALB", 2015): 16671},
    ),
    (
        "Indian digit grouping",
        "t1.csv",
        table_1(["Albania", "1,23,456", "16671"]),
        NC,
        "“1,23,456” is not a number",
    ),
    (
        "wide CSV: a thousands comma with decimal points elsewhere",
        "w.csv",
        csv_bytes([WIDE_HEAD, ["POL", "2024", "actual", "34,454", "3.75"]]),
        {},
        {
            ("POL", 2024, "defence_usd_current_m"): 34454,
            ("POL", 2024, "nato_share_of_gdp_pct"): 375 / 100,
        },
    ),
    (
        "long semicolon CSV: dot thousands, comma decimal",
        "l.csv",
        csv_bytes(
            [LONG_HEAD, ["POL", "2024", "defence_usd_current_m", "34.454,5", "actual"]],
            delimiter=";",
        ),
        {},
        {("POL", 2024, "defence_usd_current_m"): 34454 + 5 / 10},
    ),
    (
        "XLSX numbers stored as numbers",
        "t1.xlsx",
        xlsx_bytes({"Table 1": [*TABLE_1, [None, 2014, 2015], ["Albania", 18788, 16671]]}),
        NC,
        {("ALB", 2014): 18788, ("ALB", 2015): 16671},
    ),
    (
        "XLSX text cells with decimal commas",
        "t3.xlsx",
        xlsx_bytes({"Table 3": [*TABLE_3, [None, 2023, 2024], ["Poland", "4,12", "4,48"]]}),
        SHARE,
        {("POL", 2023): 412 / 100, ("POL", 2024): 448 / 100},
    ),
    (
        "XLSX text cell with an undecidable comma",
        "t1.xlsx",
        xlsx_bytes({"Table 1": [*TABLE_1, [None, 2014, 2015], ["Albania", "18,788", 16671]]}),
        NC,
        "“18,788” is ambiguous",
    ),
]


def new_value(batch, iso3, year, metric):
    row = next(r for r in batch.preview["rows"] if (r["code"], r["year"]) == (iso3, year))
    return row["fields"][metric][1]


@pytest.mark.parametrize(
    ("file_name", "content", "options", "expected"),
    [case[1:] for case in NUMBERS],
    ids=[case[0] for case in NUMBERS],
)
def test_a_number_is_read_as_written_or_refused_with_nothing_written(
    file_name, content, options, expected
):
    before = dump_figures()
    batch = preview_upload(content, file_name, choose_edition("nato-2026"), **options)
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    if isinstance(expected, str):
        assert any(expected in error for error in errors), errors
        assert batch.status == ImportBatch.State.INVALID
        with pytest.raises(ImportRefused):
            apply_batch(batch.pk)
        assert dump_figures() == before
        return
    assert errors == []
    for key, value in expected.items():
        iso3, year, *metric = key
        metric = metric[0] if metric else options["metric"]
        assert new_value(batch, iso3, year, metric) == pytest.approx(value, abs=1e-9), key


def test_an_ambiguous_cell_is_named_with_its_place():
    batch = preview_upload(table_1(["Albania", "18,788", "16,671"]), "t1.csv", **choice(), **NC)
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    # The header is line 4, Albania line 5; 2014 is its second column.
    assert any(e.startswith("Line 5, column 2014: “18,788” is ambiguous") for e in errors), errors
    assert any("“16,671”" in e for e in errors)


def test_mixed_decimal_marks_name_a_cell_of_each():
    batch = preview_upload(table_3(["Poland", "4.12", "4,48"]), "t3.csv", **choice(), **SHARE)
    text = next(
        m["message"] for m in batch.preview["messages"] if "as the decimal mark" in m["message"]
    )
    assert "“4.12” at line 4" in text
    assert "“4,48” at line 4" in text


def choice():
    return {"choice": choose_edition("nato-2026")}


MARKS = [
    # (case id, file name, content, options, decimal mark, grouping mark)
    ("dot decimals", "t3.csv", table_3(["Poland", "4.12", "4.48"]), SHARE, ".", ""),
    (
        "comma thousands",
        "t1.csv",
        table_1(["Albania", "18,788", "16,671"], ["Belgium", "4,256.5", "4,200.25"]),
        NC,
        ".",
        ",",
    ),
    (
        "comma decimals, dot thousands",
        "t1.csv",
        table_1(["Albania", "18.788", "16.671,5"], delimiter=";"),
        NC,
        ",",
        ".",
    ),
]


@pytest.mark.parametrize(
    ("file_name", "content", "options", "decimal", "grouping"),
    [case[1:] for case in MARKS],
    ids=[case[0] for case in MARKS],
)
def test_the_preview_states_the_files_decimal_and_grouping_marks(
    file_name, content, options, decimal, grouping
):
    batch = preview_upload(content, file_name, **choice(), **options)
    reading = batch.preview["reading"]
    assert (reading["decimal_mark"], reading["grouping_mark"]) == (decimal, grouping)
    assert f"decimal mark “{decimal}”" in reading["text"]


# Excel's "Save as CSV" on Windows: Windows-1252, an en dash (0x96) for "no figure".
EXCEL_CSV = (
    "Table 7: Military personnel\r\n"
    "Thousands\r\n"
    ";2024;2025e\r\n"
    "Türkiye;355,2;–\r\n"
    "Czech Republic;26,1;27,0\r\n"
    ";;\r\n"
    "Notes: budgets in € are converted at NATO's rates;;\r\n"
).encode("cp1252")


def test_a_windows_1252_csv_reads_accents_the_euro_and_an_en_dash_as_no_figure():
    assert b"\x96" in EXCEL_CSV  # the en dash
    assert b"\x80" in EXCEL_CSV  # the euro sign
    batch = preview_upload(EXCEL_CSV, "t6.csv", **choice(), metric="military_personnel_k")
    assert batch.counts["errors"] == 0, batch.preview["messages"]
    keys = [(r["code"], r["year"]) for r in batch.preview["rows"]]
    assert keys == [("TUR", 2024), ("CZE", 2024), ("CZE", 2025)]
    assert new_value(batch, "TUR", 2024, "military_personnel_k") == 3552 / 10
    assert new_value(batch, "CZE", 2025, "military_personnel_k") == 27
    assert batch.preview["reading"]["encoding"] == "windows-1252"
    assert "Windows-1252" in batch.preview["reading"]["text"]


TURKIYE = ";2024\nTürkiye;355,2\n"
ENCODINGS = [
    ("UTF-8", TURKIYE.encode(), "utf-8"),
    ("UTF-8 with a BOM", b"\xef\xbb\xbf" + TURKIYE.encode(), "utf-8-sig"),
    ("Windows-1252", TURKIYE.encode("cp1252"), "windows-1252"),
]


@pytest.mark.parametrize(
    ("content", "encoding"), [c[1:] for c in ENCODINGS], ids=[c[0] for c in ENCODINGS]
)
def test_the_encoding_is_decided_for_the_file_and_stated(content, encoding):
    batch = preview_upload(content, "t.csv", **choice(), metric="military_personnel_k")
    assert batch.preview["reading"]["encoding"] == encoding
    assert new_value(batch, "TUR", 2024, "military_personnel_k") == 3552 / 10


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_naming_the_line():
    before = dump_figures()
    # 0x81 is undefined in Windows-1252 and invalid alone in UTF-8.
    content = b";2024\nPoland;4\nT\x81rkiye;3\n"
    batch = preview_upload(content, "t.csv", **choice(), metric="military_personnel_k")
    errors = [m["message"] for m in batch.preview["messages"] if m["level"] == "error"]
    assert any("Line 3" in e and "neither UTF-8 nor Windows-1252" in e for e in errors), errors
    assert batch.status == ImportBatch.State.INVALID
    assert dump_figures() == before


def test_a_thousands_comma_in_a_nato_table_csv_matches_the_stored_figure():
    stored = YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="ALB", year=2014
    ).defence_nc_current_m
    text = f"{int(stored):,}"
    assert "," in text
    content = table_1(["Albania", text, ""], ["United States", "1,234,567", ""])
    batch = preview_upload(content, "t1.csv", **choice(), **NC)
    albania = next(r for r in batch.preview["rows"] if r["code"] == "ALB")
    assert albania["result"] == "unchanged"
