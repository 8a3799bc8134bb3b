"""NATO's tables as published: every sheet, every block, each block's metric told for certain.

A sheet holds one or more blocks, stacked or side by side: a subtitle row (text in the block's
first column only), a header row (that column empty, years across, ``2025e`` for an estimate),
the allies and aggregates, a blank row. A sheet's first lines are its title and unit line; a
``Notes:`` row closes it. A block's metric comes from the title, unit line and subtitle together
(``titles.resolve_metric``) or the block is refused naming the candidates; its rows are read by
the one-table reader (``nato_tables.parse_nato_table``). A whole workbook holds each metric once.
"""

import re
from dataclasses import dataclass, field, fields

from spending.importing.cells import clean_text
from spending.importing.messages import Message, shown
from spending.importing.nato_tables import YEAR_HEADER, parse_nato_table
from spending.importing.reading import Table
from spending.importing.records import VALUE_FIELDS, Parsed
from spending.importing.titles import METRICS, UNITS, resolve_metric
from spending.models import METRIC_FIELDS, Status

NOTES_START = re.compile(r"^(notes?|sources?|footnotes?)\s*[:.]?\s*$", re.I)
# What a header row's first cell may say: NATO leaves it empty, hand-made copies name the column.
HEADER_LABEL = re.compile(r"^(countr(y|ies)|all(y|ies)|members?|nations?|years?)\W*$", re.I)
FIGURE = re.compile(r"^[-+−]?[\d\s.,’']*\d[\d\s.,’']*%?$")
NO_HEADER = (
    "No header row found: expected the wide columns (iso3, year, status, metrics…), the long "
    "columns (iso3, year, metric, value, status) or a NATO table with a row of years."
)
# Where NATO's workbook prints each metric, for a message about a workbook missing one.
NATO_PLACES = {
    "defence_nc_current_m": "Table 1, “Current prices”",
    "defence_nc_const2021_m": "Table 1, “Constant 2021 prices”",
    "defence_usd_current_m": "Table 2, “Current prices and exchange rates”",
    "defence_usd_const2021_m": "Table 2, “Constant 2021 prices and exchange rates”",
    "nato_share_of_gdp_pct": "Table 3, “Share of real GDP (%)”",
    "nato_real_change_pct": "Table 3, “Annual real change (%)”",
    "gdp_usd_current_m": "Table 5, “Current prices and exchange rates”",
    "gdp_usd_const2021_m": "Table 5, “Constant 2021 prices and exchange rates”",
    "gdp_per_capita_const2021_kusd": "Table 6, “GDP per capita (thousand US dollars)”",
    "defence_per_capita_const2021_usd": "Table 6, “… per capita (US dollars)”",
    "military_personnel_k": "Table 7, “Thousands”",
    "equipment_share_pct": "Table 8a, “Equipment (a)”",
    "personnel_share_pct": "Table 8a, “Personnel (b)”",
    "infrastructure_share_pct": "Table 8b, “Infrastructure (c)”",
    "other_share_pct": "Table 8b, “Other (d)”",
}


@dataclass
class SpanTable(Table):
    """A block's columns of a sheet read as a table of its own; places name the sheet's cells."""

    offset: int = 0

    def where(self, number, col=None):
        return super().where(number, None if col is None else col + self.offset)


@dataclass
class Block:
    """One table of figures within a sheet: its header row, its columns, its lines of text."""

    header: int  # index in the sheet's rows
    first_col: int  # the names column
    end_col: int  # one past the last column
    subtitle: list = field(default_factory=list)
    last: int = 0  # index of the last row

    def overlaps(self, other):
        return self.first_col < other.end_col and other.first_col < self.end_col


def texts(cells, start=0, end=None):
    return [clean_text(c) for c in cells[start:end]]


def has_figures(cells, start=1, end=None):
    """Whether any cell after the names column holds a number."""
    return any(FIGURE.match(text) for text in texts(cells, start, end) if text)


def is_text_only(cells, start=0, end=None):
    row = texts(cells, start, end)
    return bool(row and row[0]) and not any(row[1:])


def header_blocks(index, cells):
    """The blocks whose header is this row (several when side by side), or []: a row whose
    first cell is empty or a column label, with years after it and no figure among them."""
    row = texts(cells)
    if not row or (row[0] and not HEADER_LABEL.match(row[0])):
        return []
    filled = [col for col, text in enumerate(row) if text and col > 0]
    years = [col for col in filled if YEAR_HEADER.match(row[col])]
    others = [col for col in filled if col not in years]
    if not years or len(others) > len(years) or any(FIGURE.match(row[c]) for c in others):
        return []
    starts = [0]
    for before, col in zip(filled, filled[1:], strict=False):
        if col - before > 1:  # an empty column between years: the next block's names column
            starts.append(col - 1)
    ends = [*starts[1:], len(cells)]
    return [Block(index, start, end) for start, end in zip(starts, ends, strict=True)]


def find_blocks(table, matcher):
    """(blocks, the sheet's title lines, messages): every block with its subtitle and rows."""
    blocks, messages, notes_at = [], [], None
    for index, (number, cells) in enumerate(table.rows):
        found = header_blocks(index, cells) if notes_at is None else []
        if found:
            blocks += found
        elif (
            blocks
            and notes_at is None
            and is_text_only(cells)
            and NOTES_START.match(clean_text(cells[0]))
        ):
            notes_at = index
        elif (notes_at is not None or not blocks) and has_figures(cells):
            place = "after the notes" if notes_at is not None else "above any header row of years"
            messages.append(
                Message(
                    "error",
                    f"holds figures {place}, in no table: a table starts with a header row of "
                    "years (its first cell empty)",
                    where=table.where(number),
                    value=shown(clean_text(cells[0]) if cells else ""),
                )
            )
    end = len(table.rows) if notes_at is None else notes_at
    top = blocks[0].header if blocks else end
    preamble = [texts(cells)[0] for _, cells in table.rows[:top] if cells and clean_text(cells[0])]
    for block in blocks:
        above = [b for b in blocks if b.header < block.header and b.overlaps(block)]
        below = [b.header for b in blocks if b.header > block.header and b.overlaps(block)]
        stop = min(below, default=end)
        block.last = max(
            [i for i in range(block.header + 1, stop) if row_belongs(table, i, block, matcher)],
            default=block.header,
        )
        if above:
            block.subtitle = subtitle_above(table, block, max(b.last for b in above) + 1)
        elif block.first_col > 0:
            block.subtitle = subtitle_above(table, block, 0)
    if blocks and len(preamble) >= (2 if len(blocks) > 1 else 3) and not blocks[0].subtitle:
        blocks[0].subtitle = [preamble.pop()]  # the row under the title and unit line
    return blocks, preamble, messages


def row_belongs(table, index, block, matcher):
    """Whether a row below a header is one of its block's rows (not the next one's subtitle)."""
    cells = table.rows[index][1]
    row = texts(cells, block.first_col, block.end_col)
    if not any(row):
        return False
    return any(row[1:]) or matcher.match(row[0]) is not None


def subtitle_above(table, block, first):
    """The text-only lines right above a block's header, from row index `first` on."""
    lines = []
    for index in range(block.header - 1, first - 1, -1):
        cells = table.rows[index][1]
        row = texts(cells, block.first_col, block.end_col)
        if not any(row):
            if lines:
                break
            continue
        if not is_text_only(cells, block.first_col, block.end_col):
            break
        lines.insert(0, row[0])
    return lines


def choose_metric(texts_said, chosen, where):
    """(metric, messages) for a block: the one its texts name, or the user's fitting choice."""
    metric, candidates, conflicts = resolve_metric(texts_said)
    said = "; ".join(f"“{shown(text, 100)}”" for text in texts_said) or "no title line"
    if conflicts:
        parts = [
            f"{dim}: " + " but ".join(f"“{shown(t, 60)}” says {', '.join(sorted(v))}" for t, v in s)
            for dim, s in conflicts
        ]
        text = "the block's title lines contradict each other (" + "; ".join(parts) + ")"
        return None, [Message("error", text, where=where)]
    if chosen:
        if chosen not in VALUE_FIELDS:
            return None, [Message("error", f"“{shown(chosen)}” is not a metric name.")]
        if candidates and chosen not in candidates:
            text = f"the chosen metric {chosen} does not fit {said}, which names " + " or ".join(
                candidates
            )
            return None, [Message("error", text, where=where)]
        return chosen, []
    if metric:
        return metric, []
    if len(candidates) == len(METRICS):
        text = f"The metric of this NATO table cannot be told from the title {said}: choose one."
    else:
        text = (
            f"the metric cannot be told for certain from {said}: it could be "
            + " or ".join(candidates)
            + "; a subtitle row above its header must say which, as in NATO's workbook (or "
            "upload the block alone and choose its metric)"
        )
    return None, [Message("error", text, where=where)]


def read_block(table, block, metric, matcher):
    """The block's cells read by the one-table reader, as a Parsed of one metric."""
    rows = table.rows[block.header : block.last + 1]
    # The sheet's reading choices (number marks and the like) hold for each of its blocks.
    span = SpanTable(**{f.name: getattr(table, f.name) for f in fields(table)})
    span.rows = [(n, cells[block.first_col : block.end_col]) for n, cells in rows]
    span.messages, span.offset = [], block.first_col
    return parse_nato_table(span, matcher, metric)


def summary(table, block, metric, parsed):
    """The preview's line for a block: where it is, what it holds and how many values."""
    estimates = sorted({r.year for r in parsed.records if r.values["status"] == Status.ESTIMATE})
    header_cells = texts(table.rows[block.header][1], block.first_col + 1, block.end_col)
    printed = [text for text in header_cells if text]
    return {
        "sheet": table.sheet or "",
        "rows": f"{table.rows[block.header][0]}–{table.rows[block.last][0]}",
        "subtitle": " / ".join(block.subtitle),
        "metric": metric,
        "unit": UNITS.get(metric, ""),
        "years": f"{printed[0]}–{printed[-1]}" if printed else "",
        "estimates": ", ".join(f"{year}e" for year in estimates),
        "allies": len({r.code for r in parsed.records if r.kind == "member"}),
        "aggregates": len({r.code for r in parsed.records if r.kind == "aggregate"}),
        "values": len(parsed.records),
    }


def parse_blocks(tables, matcher, metric=None, whole_workbook=False):
    """Every block of these tables (a CSV, one sheet or a whole workbook) as one Parsed."""
    messages, blocks, records, held = [], [], {}, {}
    for table in tables:
        found, sheet_lines, found_messages = find_blocks(table, matcher)
        messages += found_messages
        if not found:
            if not whole_workbook:
                messages.append(Message("error", NO_HEADER))
            elif not found_messages:
                blocks.append({"sheet": table.sheet, "metric": "", "note": "no table: not read"})
            continue
        if metric and len(found) > 1:
            where = table.where(table.rows[found[1].header][0])
            text = (
                f"a metric can be chosen only for a table of one block; this one has {len(found)}"
            )
            messages.append(Message("error", text, where=where))
            continue
        for block in found:
            where = table.where(table.rows[block.header][0])
            chosen, refusals = choose_metric([*sheet_lines, *block.subtitle], metric, where)
            messages += refusals
            if chosen is None:
                continue
            if chosen in held:
                first = held[chosen]
                text = f"the block holds {chosen} again (first in {first}); each metric comes once"
                messages.append(Message("error", text, where=where))
                continue
            held[chosen] = where
            parsed = read_block(table, block, chosen, matcher)
            messages += parsed.messages
            blocks.append(summary(table, block, chosen, parsed))
            merge(records, parsed.records)
    if whole_workbook:
        missing = [name for name in METRIC_FIELDS if name not in held]
        if missing and held:
            listed = "; ".join(f"{name} ({NATO_PLACES[name]})" for name in missing)
            text = (
                f"The workbook has no block for {listed}: NATO's workbook holds all "
                f"{len(METRIC_FIELDS)} metrics. Upload the missing table, or choose a sheet to "
                "load one table."
            )
            messages.append(Message("error", text))
    chosen_metric = next(iter(held)) if len(held) == 1 else ""
    parsed = Parsed("nato-table", list(records.values()), messages, metric=chosen_metric)
    parsed.blocks = blocks
    return parsed


def merge(records, found):
    """Adds one block's records to the records by member-year: one record holds every metric."""
    for record in found:
        kept = records.setdefault(record.key, record)
        if kept is record:
            continue
        status = record.values.pop("status")
        record.cells.pop("status", None)
        if status == Status.ESTIMATE:
            kept.values["status"] = status  # a member-year with an estimate is an estimate
        kept.values.update(record.values)
        kept.cells.update(record.cells)
