"""What an import says: the refusal raised to its caller and the per-line messages of a preview."""

import difflib
import math
import re
from dataclasses import dataclass

# A file with an error on every row would otherwise store and show tens of thousands of them.
MAX_LISTED_MESSAGES = 1000


class ImportRefused(Exception):
    """An apply or rollback that could not be carried out; nothing was written."""


@dataclass
class Message:
    """One finding about the upload: where it is, which column, which value, what is wrong."""

    level: str  # "error" or "warning"
    text: str
    where: str = ""
    column: str = ""
    value: str = ""
    key: tuple | None = None  # the record it belongs to, if any

    def as_dict(self):
        return {
            "level": self.level,
            "where": self.where,
            "column": self.column,
            "value": self.value,
            "text": self.text,
            "message": str(self),
        }

    def __str__(self):
        parts = []
        if self.where:
            parts.append(self.where[:1].upper() + self.where[1:])
        if self.column:
            parts.append(f"column {self.column}")
        head = ", ".join(parts)
        value = f"“{self.value}” " if self.value != "" else ""
        text = f"{value}{self.text}" if value else self.text[:1].upper() + self.text[1:]
        return f"{head}: {text}" if head else text


def shown(value, limit=60):
    """A cell's value as text for a message, cut to a readable length."""
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def did_you_mean(name, choices):
    """ ": did you mean “x”?" naming the closest of `choices` to a name not known, or ""."""
    close = difflib.get_close_matches(name, sorted(choices), n=1, cutoff=0.6)
    return f": did you mean “{close[0]}”?" if close else ""


def line_of(where):
    """The line number a message's place names ("line 12"), or infinity for file-wide ones."""
    found = re.search(r"\bline (\d+)", where)
    return int(found.group(1)) if found else math.inf


def listed_messages(messages):
    """The messages as dicts, errors first, at most MAX_LISTED_MESSAGES and a line for the rest.

    Within each level they follow the file's line order, as the user reads the file.
    """
    ordered = sorted(messages, key=lambda m: (m.level != "error", line_of(m.where)))
    listed = [m.as_dict() for m in ordered[:MAX_LISTED_MESSAGES]]
    rest = ordered[MAX_LISTED_MESSAGES:]
    if rest:
        errors = sum(1 for m in rest if m.level == "error")
        summary = Message(
            "error" if errors else "warning",
            f"… and {len(rest):,} more messages ({errors:,} errors) not listed: fix the ones "
            "above and upload again.",
        )
        listed.append(summary.as_dict())
    return listed
