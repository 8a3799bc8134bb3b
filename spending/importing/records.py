"""What parsing produces: one ``Record`` per member-year (or aggregate-year), with the cell
references a message needs.
"""

from dataclasses import dataclass, field

from spending.models import (
    METRIC_FIELDS,
    RELATED_FIELD,
)

VALUE_FIELDS = [*METRIC_FIELDS, RELATED_FIELD]


TEXT_FIELDS = ["source_id", "note"]


@dataclass
class Record:
    """The values one file gives for one member-year or aggregate-year."""

    kind: str  # "member" or "aggregate"
    code: str  # ISO3 or the aggregate's code
    year: int
    where: str
    values: dict = field(default_factory=dict)  # field -> float, None or text
    cells: dict = field(default_factory=dict)  # field -> where the value stands

    @property
    def key(self):
        return (self.kind, self.code, self.year)


@dataclass
class Parsed:
    """A parsed upload: its layout, its records and every message found so far."""

    file_format: str
    records: list
    messages: list
    metric: str = ""
    blocks: list = field(default_factory=list)  # NATO tables: one summary per block read

    @property
    def errors(self):
        return [m for m in self.messages if m.level == "error"]


def cell(cells, col):
    return cells[col] if col is not None and col < len(cells) else None


def locate(table, number, col, name):
    """(where, column) for a message about one cell."""
    if table.sheet is None:
        return table.where(number), name
    return table.where(number, col), name
