"""Builders of upload files for the importer tests: wide and long CSV, XLSX, hostile zips."""

import csv
import io
import zipfile

import openpyxl

from spending.importing import WIDE_COLUMNS
from spending.models import METRIC_FIELDS, RELATED_FIELD, AggregateFigure, Edition, YearlyFigure

# The figures CSV export's columns, in order: the wide layout plus the app's computed share.
EXPORT_COLUMNS = [*WIDE_COLUMNS, "share_of_gdp_pct"]
FIGURE_VALUES = ["member__iso3", "year", "edition__slug", "status", *METRIC_FIELDS, RELATED_FIELD]


def dump_figures():
    """Every stored figure value, member and aggregate rows and editions, in a fixed order."""
    members = list(
        YearlyFigure.objects.order_by("pk").values_list("pk", *FIGURE_VALUES, "source_id", "note")
    )
    aggregates = list(
        AggregateFigure.objects.order_by("pk").values_list(
            "pk", "aggregate", "year", "edition__slug", "status", *METRIC_FIELDS, "note"
        )
    )
    # updated_at is when an edition was last revised: a rollback is a revision too.
    edition_fields = [f.name for f in Edition._meta.concrete_fields if f.name != "updated_at"]
    editions = list(Edition.objects.order_by("pk").values_list(*edition_fields))
    return repr((members, aggregates, editions))


def csv_bytes(rows, delimiter=",", encoding="utf-8"):
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


def export_rows(edition_slug="nato-2026", iso3=None):
    """Rows of the figures CSV export as the API writes it (header first)."""
    queryset = YearlyFigure.objects.filter(edition__slug=edition_slug).order_by(
        "member__iso3", "year"
    )
    if iso3:
        queryset = queryset.filter(member__iso3=iso3)
    rows = [EXPORT_COLUMNS]
    for values in queryset.values_list(*FIGURE_VALUES):
        named = dict(zip(FIGURE_VALUES, values, strict=True))
        defence, gdp = named["defence_usd_const2021_m"], named["gdp_usd_const2021_m"]
        share = 100 * defence / gdp if defence is not None and gdp else None
        rows.append(["" if v is None else v for v in (*values, share)])
    return rows


def export_csv(edition_slug="nato-2026", iso3=None):
    return csv_bytes(export_rows(edition_slug, iso3))


def xlsx_bytes(sheets):
    """An XLSX workbook from {sheet name: rows}."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx_with_entities():
    """A workbook whose sheet XML declares a billion-laughs entity."""
    good = xlsx_bytes({"Data": [["iso3", "year", "status"], ["POL", 2024, "actual"]]})
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    sheet = next(name for name in entries if name.startswith("xl/worksheets/sheet"))
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    body = entries[sheet]
    if body.startswith(b"<?xml"):
        body = body.split(b"?>", 1)[1]
    entries[sheet] = laughs + body
    return zip_bytes(entries)


def pol_2024_personnel(value):
    """The figures CSV export of Poland with its 2024 military personnel set to `value`."""
    rows = export_rows(iso3="POL")
    column = EXPORT_COLUMNS.index("military_personnel_k")
    for row in rows[1:]:
        if row[1] == 2024:
            row[column] = value
    return csv_bytes(rows)
