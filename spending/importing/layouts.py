"""Step 2, parsing: a ``Table`` -> records, in one of three layouts (wide, long, NATO table), chosen
from the header row.
"""

from spending.importing.cells import (
    MemberMatcher,
    clean_text,
    header_key,
    parse_status,
    parse_year,
    read_value,
)
from spending.importing.messages import Message, did_you_mean, shown
from spending.importing.records import TEXT_FIELDS, VALUE_FIELDS, Parsed, Record, cell, locate
from spending.importing.workbook import parse_blocks
from spending.models import (
    METRIC_FIELDS,
    RELATED_FIELD,
    Status,
)

# Columns of the wide layout, in the order of the API's figures CSV export.
WIDE_COLUMNS = ["iso3", "year", "edition", "status", *METRIC_FIELDS, RELATED_FIELD]


WIDE_REQUIRED = ["iso3", "year", "status"]


# Computed by the app from the constant-price amounts; an export carries it, an import ignores it.
WIDE_IGNORED = ["share_of_gdp_pct"]


LONG_REQUIRED = ["iso3", "year", "metric", "value", "status"]


LONG_OPTIONAL = ["edition", *TEXT_FIELDS]


def find_header(table):
    """(index in table.rows, cells) of the first non-empty row, or (None, None)."""
    for index, (_, cells) in enumerate(table.rows):
        if any(clean_text(c) for c in cells):
            return index, cells
    return None, None


def layout_of(names):
    """The layout a header row shows: "long", "wide" or "nato-table"."""
    if "metric" in names or "value" in names:
        return "long"
    if "iso3" in names or ("year" in names and "status" in names):
        return "wide"
    return "nato-table"


def parse_tables(tables, matcher=None, metric=None, edition_slug=None):
    """The records of a CSV file, one sheet, or a workbook: NATO's is read whole, every sheet."""
    matcher = matcher or MemberMatcher()
    # An empty cover sheet says nothing about the layout: the first sheet with a row does.
    filled = [table for table in tables if find_header(table)[1] is not None]
    if len(tables) == 1 or not filled:
        return parse_table(tables[0], matcher, metric, edition_slug)
    first = filled[0]
    header = find_header(first)[1]
    if layout_of([header_key(c) for c in header]) != "nato-table":
        parsed = parse_table(first, matcher, metric, edition_slug)
        others = [table.sheet for table in filled[1:]]
        if others:
            listed = ", ".join(f"“{shown(name)}”" for name in others)
            text = f"only the sheet “{first.sheet}” is read, not {listed}: choose a sheet"
            parsed.messages.append(Message("warning", text))
        return parsed
    parsed = parse_blocks(tables, matcher, metric, whole_workbook=True)
    parsed.messages[:0] = [m for table in tables for m in table.messages]
    if not parsed.records and not parsed.errors:
        parsed.messages.append(Message("error", "The workbook holds no figures."))
    return parsed


def parse_table(table, matcher=None, metric=None, edition_slug=None):
    """The table's records in whichever layout its header shows, with every cell checked."""
    matcher = matcher or MemberMatcher()
    index, header = find_header(table)
    if header is None:
        return Parsed("", [], [*table.messages, Message("error", "The file has no rows.")])
    names = [header_key(c) for c in header]
    layout = layout_of(names)
    if layout == "long":
        parsed = parse_long(table, index, names, matcher, edition_slug)
    elif layout == "wide":
        parsed = parse_wide(table, index, names, matcher, edition_slug)
    else:
        parsed = parse_blocks([table], matcher, metric)
    parsed.messages[:0] = table.messages
    if not parsed.records and not parsed.errors:
        parsed.messages.append(Message("error", "The file has a header but no figures."))
    return parsed


def check_columns(table, number, names, required, known):
    """Messages for missing, repeated and unknown header columns."""
    messages = []
    missing = [name for name in required if name not in names]
    if missing:
        messages.append(
            Message(
                "error",
                "required column(s) missing: " + ", ".join(missing),
                where=table.where(number),
            )
        )
    seen = set()
    for col, name in enumerate(names):
        if not name:
            continue
        if name in seen:
            messages.append(
                Message(
                    "error",
                    "appears twice in the header",
                    where=table.where(number, col),
                    value=name,
                )
            )
        seen.add(name)
        if name not in known:
            # An unknown column is refused, never ignored: it may be a misspelt metric.
            suggestion = did_you_mean(name, known) or (
                "; the columns are " + ", ".join(sorted(known))
            )
            messages.append(
                Message(
                    "error",
                    "is not a known column" + suggestion,
                    where=table.where(number, col),
                    value=name,
                )
            )
    return messages


def read_key(table, number, cells, cols, matcher, messages):
    """(kind, code, year) from a row's iso3 and year cells, or None after adding the errors."""
    code_cell, year_cell = cell(cells, cols["iso3"]), cell(cells, cols["year"])
    found = matcher.match(code_cell)
    where, column = locate(table, number, cols["iso3"], "iso3")
    ok = True
    if found is None:
        text = clean_text(code_cell)
        reason = (
            "is not a NATO member" + matcher.suggest(text)
            if text
            else "is empty; every row needs a member"
        )
        messages.append(Message("error", reason, where=where, column=column, value=shown(text)))
        ok = False
    try:
        year = parse_year(year_cell)
    except ValueError as error:
        where, column = locate(table, number, cols["year"], "year")
        messages.append(
            Message("error", str(error), where=where, column=column, value=shown(year_cell))
        )
        ok = False
    return (found[0], found[1], year) if ok else None


def data_rows(table, header_index):
    """The (line number, cells) of the rows under the header, blank rows skipped."""
    for number, cells in table.rows[header_index + 1 :]:
        if any(clean_text(c) for c in cells):
            yield number, cells


def read_status(table, number, cells, cols, messages):
    """The row's status, or None after adding the error."""
    raw = cell(cells, cols["status"])
    try:
        return parse_status(raw)
    except ValueError as error:
        where, column = locate(table, number, cols["status"], "status")
        messages.append(Message("error", str(error), where=where, column=column, value=shown(raw)))
        return None


def twice(what, first, where):
    """The error for a value that the file gives a second time."""
    return Message("error", f"{what} appears twice in the file (first at {first})", where=where)


def note_edition(table, number, cells, cols, edition_slug, mismatched):
    if edition_slug and "edition" in cols:
        value = clean_text(cell(cells, cols["edition"]))
        if value and value != edition_slug:
            mismatched.setdefault(value, table.where(number))


def edition_warning(mismatched, edition_slug):
    return [
        Message(
            "warning",
            f"the file's edition column says “{shown(slug)}” but the figures go into edition "
            f"“{edition_slug}”",
            where=f"from {where}",
        )
        for slug, where in mismatched.items()
    ]


def read_header(table, header_index, names, required, known):
    """({column name: first position}, messages) of a header row; (None, messages) on errors."""
    messages = check_columns(table, table.rows[header_index][0], names, required, known)
    if any(m.level == "error" for m in messages):
        return None, messages
    cols = {}
    for col, name in enumerate(names):
        cols.setdefault(name, col)
    return cols, messages


def parse_wide(table, header_index, names, matcher, edition_slug=None):
    """Wide layout: one row per member-year, one column per metric; an empty cell is null."""
    known = set(WIDE_COLUMNS) | set(WIDE_IGNORED)
    cols, messages = read_header(table, header_index, names, WIDE_REQUIRED, known)
    if cols is None:
        return Parsed("wide", [], messages)
    fields = [name for name in VALUE_FIELDS if name in cols]
    marks = table.marks
    records, seen, mismatched = [], {}, {}
    for number, cells in data_rows(table, header_index):
        first_message = len(messages)
        key = read_key(table, number, cells, cols, matcher, messages)
        note_edition(table, number, cells, cols, edition_slug, mismatched)
        record = Record(*key, where=table.where(number)) if key else None
        status = read_status(table, number, cells, cols, messages)
        if record and status is not None:
            record.values["status"] = status
            record.cells["status"] = table.where(number, cols["status"])
        for name in fields:
            raw = cell(cells, cols[name])
            where, column = locate(table, number, cols[name], name)
            value, reason = read_value(name, raw, marks)
            if reason:
                messages.append(
                    Message("error", reason, where=where, column=column, value=shown(raw))
                )
            elif record:
                record.values[name] = value
                record.cells[name] = where
        for message in messages[first_message:]:
            message.key = key
        if record:
            if record.key in seen:
                messages.append(
                    twice(f"{record.code} {record.year}", seen[record.key], record.where)
                )
            else:
                seen[record.key] = record.where
                records.append(record)
    messages += edition_warning(mismatched, edition_slug)
    return Parsed("wide", records, messages)


def parse_long(table, header_index, names, matcher, edition_slug=None):
    """Long layout: one row per member, year and metric (the shape of fixtures/figures.csv)."""
    known = set(LONG_REQUIRED) | set(LONG_OPTIONAL)
    cols, messages = read_header(table, header_index, names, LONG_REQUIRED, known)
    if cols is None:
        return Parsed("long", [], messages)
    marks = table.marks
    by_key, seen, mismatched, notes = {}, {}, {}, {}
    for number, cells in data_rows(table, header_index):
        key = read_key(table, number, cells, cols, matcher, messages)
        note_edition(table, number, cells, cols, edition_slug, mismatched)
        metric_raw = clean_text(cell(cells, cols["metric"]))
        metric = metric_raw.casefold()
        where, column = locate(table, number, cols["metric"], "metric")
        if metric not in VALUE_FIELDS:
            messages.append(
                Message(
                    "error",
                    "is not a metric name" + did_you_mean(metric, VALUE_FIELDS),
                    where=where,
                    column=column,
                    value=shown(metric_raw),
                )
            )
            continue
        status = read_status(table, number, cells, cols, messages)
        raw = cell(cells, cols["value"])
        where, column = locate(table, number, cols["value"], "value")
        value, reason = read_value(metric, raw, marks)
        if reason:
            messages.append(
                Message(
                    "error",
                    f"{reason} ({metric})",
                    where=where,
                    column=column,
                    value=shown(raw),
                    key=key,
                )
            )
            continue
        if key is None or status is None:
            continue
        if (key, metric) in seen:
            messages.append(
                twice(f"{key[1]} {key[2]} {metric}", seen[(key, metric)], table.where(number))
            )
            continue
        seen[(key, metric)] = table.where(number)
        record = by_key.get(key)
        if record is None:
            record = by_key[key] = Record(*key, where=table.where(number))
            record.values["status"] = status
        elif status == Status.ESTIMATE:
            # A member-year with any estimated metric is an estimate (NATO marks the year).
            record.values["status"] = status
        record.values[metric] = value
        record.cells[metric] = where
        note = clean_text(cell(cells, cols.get("note")))
        if note:
            notes.setdefault(key, set()).add(note)
        if "source_id" in cols and key[0] == "member":
            source_id = clean_text(cell(cells, cols["source_id"]))
            if len(source_id) > 20:
                messages.append(
                    Message(
                        "error",
                        "is longer than 20 characters",
                        where=table.where(number),
                        column="source_id",
                        value=shown(source_id),
                    )
                )
            record.values["source_id"] = source_id
    for key, texts in notes.items():
        by_key[key].values["note"] = " ".join(sorted(texts))
    if "note" in cols:
        for record in by_key.values():
            record.values.setdefault("note", "")
    messages += edition_warning(mismatched, edition_slug)
    return Parsed("long", list(by_key.values()), messages)
