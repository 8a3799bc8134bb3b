"""The shipped fixtures: members, editions, targets, breaks and figures, through the same parse,
validate and write steps as an upload. Idempotent: what exists is kept (an admin's edits to a
target survive ``make run``), what is missing is created.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from members.models import FiscalYear, Member
from spending import answers, writes
from spending.importing.applying import write_rows
from spending.importing.cells import MemberMatcher, header_key
from spending.importing.layouts import find_header, parse_long
from spending.importing.preview import build_preview
from spending.importing.reading import Table, read_csv_table
from spending.models import (
    Edition,
    SeriesBreak,
    Target,
)

FIXTURES_DIR = Path(__file__).resolve().parents[2] / "fixtures"


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
        # The compiler's source reference ("(S04 quoting ...)") is not for readers.
        told = re.sub(r"\s*\([^)]*\bS\d{2}b?\b[^)]*\)", "", fiscal)
        notes.append(
            f"Fiscal year: {told} (NATO, Defence Expenditure of NATO Countries, note to readers)."
        )
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


def parse_fixture_figures(path, matcher):
    """{edition slug: Parsed} of a long-layout figures CSV; raises ValueError on any error."""
    table = read_csv_table(Path(path).read_bytes())
    header_index, header = find_header(table)
    names = [header_key(c) for c in header]
    edition_col = names.index("edition")
    by_edition = {}
    for number, cells in table.rows[header_index + 1 :]:
        by_edition.setdefault(cells[edition_col], []).append((number, cells))
    parsed = {}
    for slug, rows in by_edition.items():
        part = Table(rows=[table.rows[header_index], *rows], marks=table.marks)
        result = parse_long(part, 0, names, matcher)
        if result.errors:
            raise ValueError("; ".join(str(m) for m in result.errors[:10]))
        parsed[slug] = result
    return parsed


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
    editions, files = {}, {}
    for row in read_csv_rows(folder / "editions.csv"):
        slug = row.pop("slug")
        files.setdefault(row.pop("figures_file"), []).append(slug)
        edition, created = Edition.objects.get_or_create(slug=slug, defaults=row)
        editions[slug] = (edition, created)
        report.count("editions", created)
    for row in read_csv_rows(folder / "series_breaks.csv"):
        _, created = SeriesBreak.objects.get_or_create(
            member=Member.objects.get(iso3=row["iso3"]) if row["iso3"] else None,
            series=row["series"],
            year=int(row["year"]) if row["year"] else None,
            edition=editions[row["edition"]][0] if row["edition"] else None,
            defaults={k: row[k] for k in ("reason", "source", "source_url")},
        )
        report.count("series breaks", created)

    members = list(Member.objects.all())
    by_code = {m.iso3: m for m in members}
    matcher = MemberMatcher(members)
    for name, slugs in files.items():
        parsed_editions = parse_fixture_figures(folder / name, matcher)
        if set(parsed_editions) != set(slugs):
            raise ValueError(
                f"{name} holds editions {sorted(parsed_editions)}, editions.csv names "
                f"{sorted(slugs)} for it"
            )
        for slug, parsed in parsed_editions.items():
            load_edition_figures(editions[slug], parsed, by_code, report)
    if report.created:
        writes.record_write()
    else:
        # A database filled before the answers were stored gets them now.
        answers.store_if_missing()
    return report


def load_edition_figures(edition_created, parsed, by_code, report):
    """Writes one shipped edition's parsed figures unless the edition already holds figures."""
    edition, created = edition_created
    if not created and (edition.figures.exists() or edition.aggregates.exists()):
        report.count("editions' figures", False)
        return
    # The shipped figures go in through the same checks and writes as an upload.
    preview = build_preview(parsed, edition, review=False)
    errors = [m for m in parsed.messages if m.level == "error"]
    if errors:
        raise ValueError("; ".join(str(m) for m in errors[:10]))
    write_rows(edition, preview["rows"], by_code)
    report.count("editions' figures", True)
    for kind, what in (("member", "figure rows"), ("aggregate", "aggregate rows")):
        added = sum(1 for row in preview["rows"] if row["kind"] == kind)
        report.created[what] = report.created.get(what, 0) + added
