"""The NATO table layout: one block of NATO's tables (allies down, years across), its metric
told by ``workbook`` from the title lines.
"""

import re

from spending.importing.cells import clean_text, parse_year, read_value
from spending.importing.messages import Message, shown
from spending.importing.records import Parsed, Record, cell, locate
from spending.models import (
    Status,
)

YEAR_HEADER = re.compile(r"^(\d{4})(?:\.0)?\s*([eE])?[\s*†‡¹²³⁴⁵⁶⁷⁸⁹⁰()\d]*$")


def parse_nato_table(table, matcher, metric):
    """One block of NATO's print layout, its metric known: names down the first column, years
    (2025e = estimate) across in its first row (``workbook`` finds the blocks and their metric)."""
    messages = []
    number, cells = table.rows[0]
    year_cols, seen_years = [], {}
    for col, raw in enumerate(cells[1:], start=1):
        text = clean_text(raw)
        if not text:
            continue
        found = YEAR_HEADER.match(text)
        if not found:
            messages.append(
                Message(
                    # A column the importer does not know is refused, never ignored.
                    "error",
                    "is not a year: a NATO table's header holds years only (2024, or 2025e "
                    "for an estimate)",
                    where=table.where(number, col) if table.sheet else table.where(number),
                    value=shown(text),
                )
            )
            continue
        try:
            year = parse_year(found.group(1))
        except ValueError as error:
            messages.append(
                Message(
                    "error",
                    str(error),
                    where=table.where(number, col) if table.sheet else table.where(number),
                    value=shown(text),
                )
            )
            continue
        if year in seen_years:
            messages.append(
                Message(
                    "error",
                    f"year {year} appears twice in the header",
                    where=table.where(number, col) if table.sheet else table.where(number),
                    value=shown(text),
                )
            )
            continue
        seen_years[year] = col
        status = Status.ESTIMATE if found.group(2) else Status.ACTUAL
        year_cols.append((col, year, status.value))
    marks = table.marks
    records, seen_rows = [], {}
    for number, cells in table.rows[1:]:
        name = clean_text(cell(cells, 0))
        raws = [(col, year, status, cell(cells, col)) for col, year, status in year_cols]
        has_values = any(clean_text(raw) for *_, raw in raws)
        if not name and not has_values:
            continue
        found = matcher.match(name)
        if found is None:
            if has_values:
                messages.append(
                    Message(
                        "error",
                        "is not a NATO member or aggregate" + matcher.suggest(name),
                        where=table.where(number, 0) if table.sheet else table.where(number),
                        value=shown(name),
                    )
                )
            continue  # a title, section or footnote line
        if not has_values:
            continue  # an ally NATO prints no figure for in this table: nothing to change
        kind, code = found
        if code in seen_rows:
            messages.append(
                Message(
                    "error",
                    f"{code} appears twice in the table (first at {seen_rows[code]})",
                    where=table.where(number),
                    value=shown(name),
                )
            )
            continue
        seen_rows[code] = table.where(number)
        for col, year, status, raw in raws:
            where, column = locate(table, number, col, str(year))
            value, reason = read_value(metric, raw, marks)
            if reason:
                messages.append(
                    Message(
                        "error",
                        reason,
                        where=where,
                        column=column,
                        value=shown(raw),
                        key=(kind, code, year),
                    )
                )
                continue
            if value is None:
                continue  # NATO prints nothing: no change
            record = Record(kind, code, year, where=where)
            record.values = {"status": status, metric: value}
            record.cells = {metric: where, "status": where}
            records.append(record)
    return Parsed("nato-table", records, messages, metric=metric)
