"""The NATO table layout: one of NATO's tables (allies down, years across), its metric taken
from the title lines.
"""

import re

from spending.importing.cells import clean_text, parse_year, read_value
from spending.importing.messages import Message, shown
from spending.importing.records import VALUE_FIELDS, Parsed, Record, cell, locate
from spending.models import (
    Status,
)

# Title-line words -> metric for the NATO table layout; the first rule whose words all appear
# wins, so the more specific rules come first (NATO's table titles, 2014-2026 edition).
TITLE_RULES = [
    (("per capita", "gdp"), "gdp_per_capita_const2021_kusd"),
    (("per capita",), "defence_per_capita_const2021_usd"),
    (("real change",), "nato_real_change_pct"),
    (("share of gdp",), "nato_share_of_gdp_pct"),
    (("% of gdp",), "nato_share_of_gdp_pct"),
    (("military personnel",), "military_personnel_k"),
    (("equipment",), "equipment_share_pct"),
    (("infrastructure",), "infrastructure_share_pct"),
    (("personnel",), "personnel_share_pct"),
    (("other",), "other_share_pct"),
    (("gdp", "constant"), "gdp_usd_const2021_m"),
    (("gdp", "current"), "gdp_usd_current_m"),
    (("national currency", "constant"), "defence_nc_const2021_m"),
    (("national currency",), "defence_nc_current_m"),
    (("us dollars", "constant"), "defence_usd_const2021_m"),
    (("usd", "constant"), "defence_usd_const2021_m"),
    (("us dollars",), "defence_usd_current_m"),
    (("usd",), "defence_usd_current_m"),
]


YEAR_HEADER = re.compile(r"^(\d{4})(?:\.0)?\s*([eE])?[\s*†‡¹²³⁴⁵⁶⁷⁸⁹⁰()\d]*$")


def metric_from_title(lines):
    """The metric a NATO table title names, or None."""
    text = " ".join(lines).casefold()
    for words, metric in TITLE_RULES:
        if all(word in text for word in words):
            return metric
    return None


def parse_nato_table(table, matcher, metric=None):
    """NATO's print layout: names down the first column, years (2025e = estimate) across."""
    messages, titles, header = [], [], None
    for index, (number, cells) in enumerate(table.rows):
        texts = [clean_text(c) for c in cells]
        years = [t for t in texts[1:] if YEAR_HEADER.match(t)]
        if len(years) >= 1 and years:
            header = (index, number, cells)
            break
        titles += [t for t in texts if t]
    if header is None:
        return Parsed(
            "",
            [],
            [
                Message(
                    "error",
                    "No header row found: expected the wide columns (iso3, year, status, "
                    "metrics…), the long columns (iso3, year, metric, value, status) or a NATO "
                    "table with a row of years.",
                )
            ],
        )
    index, number, cells = header
    title_metric = metric_from_title(titles)
    if metric:
        if metric not in VALUE_FIELDS:
            messages.append(Message("error", f"“{shown(metric)}” is not a metric name."))
            return Parsed("nato-table", [], messages)
    else:
        metric = title_metric
        if metric is None:
            said = f"the title “{shown(' '.join(titles), 100)}”" if titles else "no title line"
            messages.append(
                Message(
                    "error",
                    f"The metric of this NATO table cannot be told from {said}: choose one.",
                )
            )
            return Parsed("nato-table", [], messages)
    year_cols, seen_years = [], {}
    for col, raw in enumerate(cells[1:], start=1):
        text = clean_text(raw)
        if not text:
            continue
        found = YEAR_HEADER.match(text)
        if not found:
            messages.append(
                Message(
                    "warning",
                    "is not a year and its column is ignored",
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
    for number, cells in table.rows[index + 1 :]:
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
                        "is not a NATO member or aggregate",
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
