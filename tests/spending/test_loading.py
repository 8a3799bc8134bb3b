import csv
import datetime
from pathlib import Path

import pytest

from members.models import FiscalYear, Member
from spending.importing import load_fixtures
from spending.models import AggregateFigure, Edition, Target, YearlyFigure

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"

pytestmark = pytest.mark.django_db


def test_it_loads_all_32_allies_with_iceland_not_reporting():
    assert Member.objects.count() == 32
    assert Member.objects.reporting().count() == 31
    iceland = Member.objects.get(iso3="ISL")
    assert iceland.reports_figures is False
    assert not iceland.figures.exists()
    assert "no armed forces" in iceland.notes


def test_it_loads_the_2026_edition_with_every_ally_year_and_both_aggregates():
    edition = Edition.objects.get(slug="nato-2026")
    assert edition.cutoff_on == datetime.date(2026, 7, 3)
    assert edition.price_base_year == 2021
    assert YearlyFigure.objects.filter(edition=edition).count() == 403
    assert AggregateFigure.objects.filter(edition=edition).count() == 26
    assert Edition.objects.newest() == edition


def test_it_keeps_every_published_value_exactly():
    poland_2026 = YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3="POL", year=2026)
    assert poland_2026.nato_share_of_gdp_pct == 4.68
    assert poland_2026.status == "estimate"
    germany_2026 = YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="DEU", year=2026
    )
    assert germany_2026.defence_nc_current_m == 124660
    usa_2026 = YearlyFigure.objects.get(edition__slug="nato-2026", member__iso3="USA", year=2026)
    assert usa_2026.defence_usd_current_m == 1032849


def test_it_leaves_missing_values_empty_rather_than_zero():
    netherlands_2026 = YearlyFigure.objects.get(
        edition__slug="nato-2026", member__iso3="NLD", year=2026
    )
    assert netherlands_2026.personnel_share_pct is None
    assert netherlands_2026.equipment_share_pct is not None
    assert YearlyFigure.objects.filter(related_usd_current_m__isnull=False).count() == 0


def test_each_edition_marks_only_its_last_two_years_as_estimates():
    for slug, years in (("nato-2026", {2025, 2026}), ("nato-2025", {2024, 2025})):
        estimates = set(
            YearlyFigure.objects.filter(edition__slug=slug, status="estimate")
            .values_list("year", flat=True)
            .distinct()
        )
        assert estimates == years, slug


def test_the_2025_edition_is_a_second_vintage_holding_every_share_of_its_file():
    with open(FIXTURES_DIR / "figures_2025_edition.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    edition = Edition.objects.get(slug="nato-2025")
    stored = {
        (figure.member.iso3, figure.year): figure
        for figure in YearlyFigure.objects.filter(edition=edition).select_related("member")
    }
    aggregates = {
        (figure.aggregate, figure.year): figure
        for figure in AggregateFigure.objects.filter(edition=edition)
    }
    for row in rows:
        key = (row["iso3"], int(row["year"]))
        figure = aggregates[key] if row["iso3"].startswith("NATO") else stored[key]
        assert getattr(figure, row["metric"]) == float(row["value"]), key
        assert figure.status == row["status"], key
    assert len(stored) == len(
        {
            (r["iso3"], r["year"])
            for r in rows
            if r["iso3"] != "NATO_TOTAL" and r["iso3"] != "NATO_EUR_CAN"
        }
    )
    # Never spliced: the default everywhere stays the 2026 edition.
    assert Edition.objects.newest().slug == "nato-2026"
    assert stored[("POL", 2025)].nato_share_of_gdp_pct == 4.48
    assert stored[("POL", 2025)].defence_usd_const2021_m is None


def test_it_records_fiscal_years_of_canada_the_uk_and_the_us():
    fiscal = dict(Member.objects.values_list("iso3", "fiscal_year"))
    assert fiscal["CAN"] == FiscalYear.APRIL_MARCH
    assert fiscal["GBR"] == FiscalYear.APRIL_MARCH
    assert fiscal["USA"] == FiscalYear.OCTOBER_SEPTEMBER
    assert fiscal["POL"] == FiscalYear.CALENDAR


def test_it_ships_the_four_targets_as_data():
    targets = {t.slug: t for t in Target.objects.all()}
    assert set(targets) == {"guideline-2pct", "equipment-20pct", "core-3.5pct", "total-5pct"}
    assert (targets["guideline-2pct"].threshold_pct, targets["guideline-2pct"].deadline_year) == (
        2.0,
        2024,
    )
    assert targets["equipment-20pct"].basis == "defence"
    assert (targets["core-3.5pct"].threshold_pct, targets["core-3.5pct"].deadline_year) == (
        3.5,
        2035,
    )
    assert targets["total-5pct"].measure == "total_share_of_gdp_pct"
    assert all(t.kind == "floor" for t in targets.values())


def test_loading_again_creates_nothing():
    before = (Member.objects.count(), YearlyFigure.objects.count(), Target.objects.count())
    report = load_fixtures()
    after = (Member.objects.count(), YearlyFigure.objects.count(), Target.objects.count())
    assert before == after
    assert report.created == {}


def test_loading_again_keeps_an_admins_edit_to_a_target():
    Target.objects.filter(slug="core-3.5pct").update(threshold_pct=3.6)
    load_fixtures()
    assert Target.objects.get(slug="core-3.5pct").threshold_pct == 3.6


def test_loading_into_an_empty_database_creates_everything():
    YearlyFigure.objects.all().delete()
    AggregateFigure.objects.all().delete()
    Edition.objects.all().delete()
    Target.objects.all().delete()
    Member.objects.all().delete()
    report = load_fixtures()
    assert report.created["members"] == 32
    # The 2026 edition's 403 ally-years and 26 aggregate rows, the 2025 edition's 358 and 22.
    assert report.created["figure rows"] == 403 + 358
    assert report.created["aggregate rows"] == 26 + 22


def test_loading_ships_luxembourgs_gdp_to_gni_break_in_2023():
    from spending.models import SeriesBreak

    lux = SeriesBreak.objects.within_series().get(member__iso3="LUX")
    assert (lux.series, lux.year, lux.edition) == ("gdp", 2023, None)
    assert "gross national income" in lux.reason
    assert "C7" not in lux.reason
    assert "caveat" not in lux.reason
    core = SeriesBreak.objects.edition_wide().get()
    assert (core.edition.slug, core.series) == ("nato-2026", "defence")


def test_loading_again_keeps_the_breaks_once():
    from spending.models import SeriesBreak

    before = SeriesBreak.objects.count()
    load_fixtures()
    assert SeriesBreak.objects.count() == before == 2
