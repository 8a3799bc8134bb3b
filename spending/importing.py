"""Writes of figures and reference data: the one way data gets into the database.

The shipped fixtures load through ``load_fixtures``; it is idempotent: what exists already is
kept as it is (an admin's edits to a target survive ``make run``), what is missing is created.
"""

import csv
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from members.models import FiscalYear, Member
from spending.models import (
    METRIC_FIELDS,
    Aggregate,
    AggregateFigure,
    DataVersion,
    Edition,
    Target,
    YearlyFigure,
)

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    def count(self, what, created):
        bucket = self.created if created else self.kept
        bucket[what] = bucket.get(what, 0) + 1

    def lines(self):
        names = sorted(set(self.created) | set(self.kept))
        return [
            f"{name}: {self.created.get(name, 0)} created, {self.kept.get(name, 0)} already there"
            for name in names
        ]


def read_csv_rows(path):
    """The rows of a UTF-8 CSV file as dicts."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def parse_fiscal_year(text):
    """The FiscalYear choice described by a members.csv fiscal-year text."""
    text = text.lower()
    if "april" in text:
        return FiscalYear.APRIL_MARCH
    if "october" in text:
        return FiscalYear.OCTOBER_SEPTEMBER
    return FiscalYear.CALENDAR


def member_defaults(row, extra_note=""):
    """Member field values from one members.csv row plus the project's own note on it."""
    fiscal = row["fiscal_year"]
    notes = [extra_note or row["notes"]]
    if fiscal and fiscal != "calendar":
        notes.append(f"Fiscal year: {fiscal}.")
    return {
        "iso2": row["iso2"],
        "name": row["name"],
        "nato_name": row["nato_name"],
        "nato_order": int(row["nato_table_order"]) if row["nato_table_order"] else None,
        "accession_date": date.fromisoformat(row["accession_date"]),
        "accession_event": row["accession_event"],
        "currency": row["nc_currency"],
        "currency_basis": row["nc_currency_basis"],
        "fiscal_year": parse_fiscal_year(fiscal),
        "reports_figures": row["nato_defexp_published"] == "yes",
        "notes": " ".join(n for n in notes if n),
    }


def parse_value(text):
    """A figure as a float, or None for an empty cell; refuses NaN and infinity."""
    if text is None or text.strip() == "":
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def group_long_rows(rows):
    """Long rows (iso3, year, metric, value, status) grouped into one dict per code-year."""
    grouped = {}
    for row in rows:
        key = (row["iso3"], int(row["year"]))
        entry = grouped.setdefault(key, {"status": row["status"], "note": set()})
        if row["metric"] not in METRIC_FIELDS:
            raise ValueError(f"unknown metric {row['metric']!r} for {key}")
        entry[row["metric"]] = parse_value(row["value"])
        if row["status"] == "estimate":
            entry["status"] = "estimate"
        if row.get("note"):
            entry["note"].add(row["note"])
        entry["source_id"] = row.get("source_id", "")
    return grouped


@transaction.atomic
def load_fixtures(folder=FIXTURES_DIR):
    """Load members, targets, editions and their figures from the fixture CSVs; returns a report."""
    report = LoadReport()
    extra_notes = {row["iso3"]: row["note"] for row in read_csv_rows(folder / "member_notes.csv")}
    for row in read_csv_rows(folder / "members.csv"):
        defaults = member_defaults(row, extra_notes.get(row["iso3"], ""))
        _, created = Member.objects.get_or_create(iso3=row["iso3"], defaults=defaults)
        report.count("members", created)
    for row in read_csv_rows(folder / "targets.csv"):
        slug = row.pop("slug")
        _, created = Target.objects.get_or_create(slug=slug, defaults=row)
        report.count("targets", created)
    editions = {}
    for row in read_csv_rows(folder / "editions.csv"):
        slug = row.pop("slug")
        edition, created = Edition.objects.get_or_create(slug=slug, defaults=row)
        editions[slug] = (edition, created)
        report.count("editions", created)

    rows_by_edition = {}
    for row in read_csv_rows(folder / "figures.csv"):
        rows_by_edition.setdefault(row["edition"], []).append(row)
    members = {m.iso3: m for m in Member.objects.all()}
    for slug, rows in rows_by_edition.items():
        edition, created = editions[slug]
        if not created and (edition.figures.exists() or edition.aggregates.exists()):
            report.count("editions' figures", False)
            continue
        figures, aggregates = [], []
        for (code, year), values in group_long_rows(rows).items():
            values["note"] = " ".join(sorted(values["note"]))
            if code in Aggregate.values:
                values.pop("source_id")
                aggregates.append(
                    AggregateFigure(edition=edition, aggregate=code, year=year, **values)
                )
            else:
                figures.append(
                    YearlyFigure(edition=edition, member=members[code], year=year, **values)
                )
        YearlyFigure.objects.bulk_create(figures)
        AggregateFigure.objects.bulk_create(aggregates)
        report.count("editions' figures", True)
        report.created["figure rows"] = report.created.get("figure rows", 0) + len(figures)
        report.created["aggregate rows"] = report.created.get("aggregate rows", 0) + len(aggregates)
    if report.created:
        DataVersion.bump()
    return report
