"""/tables/: one NATO table of one edition, allies in NATO's order then NATO's aggregates, each
value as stored, estimates headed 2025e; the CSV and XLSX downloads hold exactly the same cells."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "figures.csv"


def published(key, year, metric):
    """The value in the shipped fixtures, read straight from the CSV."""
    with FIXTURES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if (row["iso3"], row["year"], row["metric"]) == (key, str(year), metric):
                return float(row["value"])
    return None


def test_the_html_table_shows_each_value_as_stored_and_marks_estimates(client):
    response = client.get("/tables/?edition=nato-2026&measure=defence_usd_current_m")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Table 2: Defence expenditure, million US dollars, current prices" in body
    for heading in (">2024<", ">2025e<", ">2026e<"):
        assert heading in body
    total_2014 = published("NATO_TOTAL", 2014, "defence_usd_current_m")
    # Stored as a whole number, shown without a decimal, as NATO prints it.
    assert total_2014 == int(total_2014)
    assert f'<td class="num">{int(total_2014):,}</td>' in body
    assert "NATO Europe and Canada</th>" in body
    assert "NATO Total</th>" in body
    assert "Iceland</th>" not in body


def test_the_csv_holds_the_table_exactly(client):
    response = client.get("/tables/?edition=nato-2026&measure=nato_share_of_gdp_pct&format=csv")
    assert response.status_code == 200
    assert "nato-table-3-nato_share_of_gdp_pct-nato-2026.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows[0]
    assert header[0] == "Ally"
    assert header[1] == "2014"
    assert header[-1] == "2026e"
    by_name = {row[0]: row[1:] for row in rows[1:]}
    # The 31 allies with figures, then NATO's two aggregates, last, as NATO prints them.
    assert len(by_name) == 31 + 2
    assert [row[0] for row in rows[-2:]] == ["NATO Europe and Canada", "NATO Total"]
    total = by_name["NATO Total"]
    assert float(total[0]) == published("NATO_TOTAL", 2014, "nato_share_of_gdp_pct")
    poland = by_name["Poland"]
    poland_2024 = float(poland[header.index("2024") - 1])
    assert poland_2024 == published("POL", 2024, "nato_share_of_gdp_pct")
    assert [row[0] for row in rows[1:3]] == ["Albania", "Belgium"]


def test_the_xlsx_holds_the_same_cells_as_the_csv(client):
    query = "/tables/?edition=nato-2026&measure=military_personnel_k"
    text = client.get(query + "&format=csv").content.decode()
    csv_rows = list(csv.reader(io.StringIO(text)))
    response = client.get(query + "&format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    xlsx_rows = list(sheet.iter_rows(values_only=True))
    assert xlsx_rows[0][0].startswith("Table 7: Military personnel, thousands")
    assert [str(cell) for cell in xlsx_rows[1]] == csv_rows[0]
    for xlsx_row, csv_row in zip(xlsx_rows[2:], csv_rows[1:], strict=True):
        assert xlsx_row[0] == csv_row[0]
        assert [("" if cell is None else float(cell)) for cell in xlsx_row[1:]] == [
            ("" if cell == "" else float(cell)) for cell in csv_row[1:]
        ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("measure=share", "measure: &#x27;share&#x27; is not one of"),
        ("edition=nato-1999", "edition: &#x27;nato-1999&#x27; is not held"),
        ("format=pdf", "format: &#x27;pdf&#x27; is not one of html, csv, xlsx"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(client, query, message):
    response = client.get(f"/tables/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_table_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/tables/?measure=equipment_share_pct")


def test_the_downloads_page_lists_every_dataset_with_licence_and_citation(client):
    body = client.get("/downloads/").content.decode()
    assert "/api/v1/figures/?edition=nato-2026&amp;format=csv" in body
    assert "/tables/?edition=nato-2026&amp;measure=other_share_pct&amp;format=xlsx" in body
    assert "Licence note." in body
    assert "Cite as." in body
    assert "data cut-off 3 July 2026" in body


def test_whole_numbers_are_written_as_integers(client):
    text = client.get("/tables/?measure=defence_nc_current_m&format=csv").content.decode()
    albania = next(row for row in csv.reader(io.StringIO(text)) if row[0] == "Albania")
    assert albania[1] == str(int(published("ALB", 2014, "defence_nc_current_m")))
    assert not any(cell.endswith(".0") for cell in albania[1:])
