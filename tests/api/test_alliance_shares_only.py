"""An edition holding only NATO's shares (the shipped 2025 edition) still answers alliance/:
each year's allies meeting each share target with the denominator, and no sums."""

import csv
from pathlib import Path

import pytest

from tests.api.conftest import results

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def published_shares():
    """{year: [shares, 2 decimals as NATO prints them]} of the allies of that year (from their
    accession year on, as the alliance counts them) in the 2025 edition's file."""
    with open(FIXTURES / "members.csv", newline="", encoding="utf-8") as f:
        joined = {row["iso3"]: int(row["accession_date"][:4]) for row in csv.DictReader(f)}
    shares = {}
    with open(FIXTURES / "figures_2025_edition.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            year = int(row["year"])
            if row["metric"] != "nato_share_of_gdp_pct" or row["iso3"].startswith("NATO"):
                continue
            shares.setdefault(year, [])
            if year >= joined[row["iso3"]]:
                shares[year].append(round(float(row["value"]), 2))
    return shares


def test_the_shares_only_edition_counts_allies_at_each_share_target_every_year(client):
    rows = {row["year"]: row for row in results(client.get("/api/v1/alliance/?edition=nato-2025"))}
    shares = published_shares()

    assert sorted(rows) == sorted(shares) == list(range(2014, 2026))
    for year, values in shares.items():
        for slug, threshold in (("guideline-2pct", 2), ("core-3.5pct", 3.5)):
            counts = rows[year]["targets"][slug]
            assert counts["allies_with_data"] == len(values), (year, slug)
            assert counts["allies_met"] == sum(v >= threshold for v in values), (year, slug)
        # No amounts are held, so nothing is summed: null, never 0.
        assert rows[year]["defence_usd_const2021_m"] is None
        assert rows[year]["allies_with_data"] == 0
    assert rows[2025]["status"] == "estimate"
    assert rows[2023]["status"] == "actual"
    assert rows[2025]["targets"]["guideline-2pct"]["allies_with_data"] == 16
