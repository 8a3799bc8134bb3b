"""Revisions between editions: spending/progress/revisions.py, /revisions/ and /api/v1/revisions/.

The real-data tests compare the 2025 edition (the shared file, loaded here when the fixtures
do not hold it yet) with the 2026 edition (fixtures/figures.csv); every expected number is
computed in this file from the two CSV files with the csv module and plain arithmetic.
"""

import csv
import html
import io
import math
import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from members.models import Member
from spending import progress
from spending.models import Edition, YearlyFigure
from tests.api.conftest import results

SHARED_2025 = Path("/work/shared/data/nato/figures_2025_edition.csv")
FIXTURES_2026 = Path(__file__).parents[2] / "fixtures" / "figures.csv"
# The shared file's metric names -> the app's.
METRICS_2025 = {
    "defexp_share_gdp_pct": "nato_share_of_gdp_pct",
    "equipment_share_pct": "equipment_share_pct",
}


def printed(value):
    """A share as NATO prints it: half-up to 2 decimals."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))


# --- The maths, on hand-made frames


def frame(*rows):
    columns = ["iso3", "year", "edition", "status", "defence_usd_const2021_m"]
    columns += ["gdp_usd_const2021_m", "nato_share_of_gdp_pct"]
    table = pd.DataFrame(list(rows), columns=columns)
    for name in columns[4:]:
        table[name] = table[name].astype("float64")
    table["gdp_usd_current_m"] = table["gdp_usd_const2021_m"]
    return table


def test_a_revision_is_the_newer_printed_share_minus_the_older_largest_first():
    figures = frame(
        # 2026: from the amounts, 4.2503% prints 4.25; 2025: NATO's printed share only.
        ("POL", 2025, "new", "estimate", 42.503, 1000.0, math.nan),
        ("POL", 2025, "old", "estimate", math.nan, math.nan, 4.48),
        ("DEU", 2024, "new", "actual", 21.0, 1000.0, math.nan),
        ("DEU", 2024, "old", "actual", math.nan, math.nan, 2.12),
        # Held by one edition only: no revision.
        ("DEU", 2026, "new", "estimate", 27.0, 1000.0, math.nan),
    )

    revisions = progress.build_revisions(figures, ["new", "old"], {"new": "Core from now."})

    assert list(revisions["iso3"]) == ["POL", "DEU"]
    poland = revisions.iloc[0]
    assert poland["previous_share_of_gdp_rounded_pct"] == 4.48
    assert poland["share_of_gdp_rounded_pct"] == 4.25
    assert poland["revision_pp"] == pytest.approx(4.25 - 4.48)
    assert poland["share_of_gdp_pct"] == pytest.approx(4.2503)
    assert (poland["edition"], poland["previous_edition"]) == ("new", "old")
    assert bool(poland["definition_changed"]) is True
    assert poland["definition_note"] == "Core from now."
    assert revisions.iloc[1]["revision_pp"] == pytest.approx(2.1 - 2.12)


def test_without_a_second_edition_there_is_no_revision():
    figures = frame(("POL", 2025, "new", "estimate", 42.5, 1000.0, math.nan))

    assert progress.build_revisions(figures, ["new"]).empty
    assert progress.order_allies_by_revision(progress.build_revisions(figures, ["new"])) == []


def test_an_edition_without_a_definition_change_is_not_marked():
    figures = frame(
        ("FRA", 2020, "new", "actual", 20.0, 1000.0, math.nan),
        ("FRA", 2020, "old", "actual", 20.0, 1000.0, math.nan),
    )

    (row,) = progress.to_records(progress.build_revisions(figures, ["new", "old"]))

    assert row["revision_pp"] == 0
    assert row["definition_changed"] is False
    assert row["definition_note"] == ""


def test_allies_are_ordered_by_their_largest_revision():
    figures = frame(
        ("FRA", 2020, "new", "actual", 20.0, 1000.0, math.nan),
        ("FRA", 2020, "old", "actual", 21.0, 1000.0, math.nan),
        ("ITA", 2020, "new", "actual", 15.0, 1000.0, math.nan),
        ("ITA", 2020, "old", "actual", 10.0, 1000.0, math.nan),
        ("ITA", 2021, "new", "actual", 15.0, 1000.0, math.nan),
        ("ITA", 2021, "old", "actual", 15.0, 1000.0, math.nan),
    )

    revisions = progress.build_revisions(figures, ["new", "old"])

    assert progress.order_allies_by_revision(revisions) == ["ITA", "FRA"]


# --- The real editions


def read_shares_2025():
    """{(iso3, year): (share %, status)} of the members in the shared 2025 edition file."""
    shares = {}
    with SHARED_2025.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["metric"] == "defexp_share_gdp_pct" and not row["iso3"].startswith("NATO"):
                shares[(row["iso3"], int(row["year"]))] = (float(row["value"]), row["status"])
    return shares


def read_shares_2026():
    """{(iso3, year): share %} of fixtures/figures.csv: 100 x defence / GDP at 2021 prices."""
    amounts = {}
    with FIXTURES_2026.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["metric"] in ("defence_usd_const2021_m", "gdp_usd_const2021_m"):
                key = (row["iso3"], int(row["year"]))
                amounts.setdefault(key, {})[row["metric"]] = float(row["value"])
    return {
        key: 100 * row["defence_usd_const2021_m"] / row["gdp_usd_const2021_m"]
        for key, row in amounts.items()
        if not key[0].startswith("NATO")
    }


@pytest.fixture
def edition_2025(db):
    """The 2025 edition: as loaded by the fixtures where they hold it, else from the shared
    file here, every value as published."""
    if Edition.objects.filter(slug="nato-2025").exists():
        return Edition.objects.get(slug="nato-2025")
    edition = Edition.objects.create(
        slug="nato-2025",
        title="Defence Expenditure of NATO Countries (2014-2025)",
        publisher="NATO Public Diplomacy Division",
        cutoff_on=date(2025, 6, 3),
        price_base_year=2021,
    )
    members = {member.iso3: member for member in Member.objects.all()}
    rows = {}
    with SHARED_2025.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] not in members:
                continue
            key = (row["iso3"], int(row["year"]))
            figure = rows.setdefault(
                key,
                YearlyFigure(
                    edition=edition, member=members[key[0]], year=key[1], status=row["status"]
                ),
            )
            setattr(figure, METRICS_2025[row["metric"]], float(row["value"]))
    YearlyFigure.objects.bulk_create(rows.values())
    return edition


def expected_revisions():
    """{(iso3, year): (2025 printed, 2026 printed, revision)} for every shared ally-year."""
    old, new = read_shares_2025(), read_shares_2026()
    shared = sorted(set(old) & set(new))
    return {
        key: (printed(old[key][0]), printed(new[key]), printed(new[key]) - printed(old[key][0]))
        for key in shared
    }


def test_the_shared_files_share_most_ally_years_and_poland_2025():
    expected = expected_revisions()

    # 31 allies x 2014-2024, plus the 2025 estimates the 2025 edition's reports published.
    assert len(expected) == 31 * 11 + 16
    assert expected[("POL", 2025)][:2] == (4.48, 4.25)


@pytest.mark.django_db
def test_the_api_answers_every_shared_ally_year_largest_first(client, edition_2025):
    expected = expected_revisions()

    rows = results(client.get("/api/v1/revisions/?page_size=1000"))

    assert len(rows) == len(expected)
    for row in rows:
        old, new, revision = expected[(row["iso3"], row["year"])]
        assert row["previous_share_of_gdp_rounded_pct"] == old
        assert row["share_of_gdp_rounded_pct"] == new
        assert row["revision_pp"] == pytest.approx(revision, abs=1e-9)
        assert (row["edition"], row["previous_edition"]) == ("nato-2026", "nato-2025")
        assert row["definition_changed"] is True
        assert "core defence expenditure" in row["definition_note"]
    sizes = [abs(row["revision_pp"]) for row in rows]
    assert sizes == sorted(sizes, reverse=True)
    poland = next(row for row in rows if (row["iso3"], row["year"]) == ("POL", 2025))
    assert (poland["previous_status"], poland["status"]) == ("estimate", "estimate")
    assert poland["revision_pp"] == -0.23


@pytest.mark.django_db
def test_the_api_csv_and_one_member_give_the_same_numbers(client, edition_2025):
    every = results(client.get("/api/v1/revisions/?page_size=1000"))
    poland = results(client.get("/api/v1/revisions/?member=pol"))
    table = list(
        csv.DictReader(io.StringIO(client.get("/api/v1/revisions/?format=csv").content.decode()))
    )

    assert poland == [row for row in every if row["iso3"] == "POL"]
    assert len(table) == len(every)
    assert [(r["iso3"], int(r["year"]), r["revision_pp"]) for r in table] == [
        (r["iso3"], r["year"], str(r["revision_pp"])) for r in every
    ]


@pytest.mark.django_db
def test_an_unknown_member_is_a_400_naming_it(client, edition_2025):
    response = client.get("/api/v1/revisions/?member=POL,XXX")

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "member"
    assert response.json()["errors"][0]["value"] == "XXX"


def page_cells(content):
    """{(iso3, year): cell text} of the /revisions/ heatmap."""
    cells = {}
    for iso3, row in re.findall(r'<tr id="([A-Z]{3})">(.*?)</tr>', content, re.S):
        for year, cell in re.findall(r'data-year="(\d{4})"[^>]*>(.*?)</td>', row, re.S):
            text = html.unescape(re.sub(r"<[^>]+>", " ", cell))
            cells[(iso3, int(year))] = " ".join(text.split())
    return cells


def signed(points):
    rounded = round(points, 2)
    if rounded == 0:
        return "0.00"
    return f"+{rounded:.2f}" if rounded > 0 else f"−{-rounded:.2f}"


@pytest.mark.django_db
def test_the_page_shows_both_editions_for_every_shared_ally_year(client, edition_2025):
    expected = expected_revisions()

    response = client.get("/revisions/")

    assert response.status_code == 200
    content = response.content.decode()
    cells = page_cells(content)
    assert set(cells) == set(expected)
    for key, (old, new, revision) in expected.items():
        assert cells[key].startswith(f"{signed(revision)} {old:.2f} → {new:.2f}"), key
    assert "Change of definition:" in content
    assert "est." in cells[("POL", 2025)]
    # Allies with the largest revision first.
    allies = re.findall(r'<tr id="([A-Z]{3})">', content)
    largest = {
        iso3: max(round(abs(r), 2) for (code, _), (_, _, r) in expected.items() if code == iso3)
        for iso3 in allies
    }
    assert [largest[iso3] for iso3 in allies] == sorted(largest.values(), reverse=True)


@pytest.mark.django_db
def test_the_page_and_the_api_show_the_same_numbers(client, edition_2025):
    cells = page_cells(client.get("/revisions/").content.decode())
    rows = results(client.get("/api/v1/revisions/?page_size=1000"))

    for row in rows:
        text = cells[(row["iso3"], row["year"])]
        assert text.startswith(
            f"{signed(row['revision_pp'])} {row['previous_share_of_gdp_rounded_pct']:.2f} → "
            f"{row['share_of_gdp_rounded_pct']:.2f}"
        )


@pytest.mark.django_db
def test_an_ally_page_links_to_its_row_and_every_page_to_the_revisions(client, edition_2025):
    content = client.get("/members/POL/").content.decode()

    assert 'href="/revisions/#POL"' in content
    assert 'href="/revisions/">Revisions</a>' in content


@pytest.mark.django_db
def test_with_one_edition_the_page_says_there_is_nothing_to_compare(client):
    if Edition.objects.count() > 1:
        pytest.skip("the fixtures hold two editions")

    content = client.get("/revisions/").content.decode()

    assert "Only one edition is held" in content
    assert "/revisions/#" not in client.get("/members/POL/").content.decode()
