"""A file's decimal and thousands marks, decided once for the whole file from what its cells show.

A cell such as "4,48" or "16.671,5" can only be read one way and tells the file's decimal mark;
"18,788" or "1.234" alone could be either. One decided mark then reads every cell, so a thousands
separator is never read as a decimal mark; a file that shows both marks as decimals is refused,
and an undecided "18,788" is an error rather than a guess. Spaces (plain, no-break, thin) and
apostrophes are thousands separators in every file. XLSX numbers stored as numbers carry no mark.
"""

import re
from dataclasses import dataclass

from spending.importing.messages import Message, shown

SPACES = re.compile(r"[\s\u00a0\u202f\u2009’']")
# The mark each shape shows: the decimal mark it proves, and the grouping mark if it has one.
SHAPES = [
    (re.compile(r"\d{1,3}(,\d{3})+\.\d+"), ".", ","),  # 18,788.5
    (re.compile(r"\d{1,3}(\.\d{3})+,\d+"), ",", "."),  # 18.788,5
    (re.compile(r"\d{1,3}(,\d{3}){2,}"), ".", ","),  # 1,234,567: the comma groups
    (re.compile(r"\d{1,3}(\.\d{3}){2,}"), ",", "."),  # 1.234.567: the dot groups
    (re.compile(r"\d+,(\d{1,2}|\d{4,})|0,\d+|\d{4,},\d+"), ",", ""),  # 4,48  0,125  1234,567
    (re.compile(r"\d+\.(\d{1,2}|\d{4,})|0\.\d+|\d{4,}\.\d+|\.\d+"), ".", ""),  # 4.48  1234.567
]
# "18,788" or "1.234": a decimal or a thousands mark, the file has to tell.
UNDECIDED = re.compile(r"\d{1,3}([.,])\d{3}")
MAX_NAMED = 3


@dataclass(frozen=True)
class NumberMarks:
    """The decimal mark of a file ("." or ","; None when no cell shows one) and its thousands
    mark ("," or "." or "" for none besides spaces)."""

    decimal: str | None = "."
    grouping: str = ","
    example: str = ""  # a cell that showed the decimal mark, and where

    def describe(self):
        if self.decimal is None:
            return "no decimal mark in any number"
        text = f"decimal mark “{self.decimal}”"
        text += f", thousands mark “{self.grouping}”" if self.grouping else ", no thousands mark"
        return text + (f" (as in {self.example})" if self.example else "")


# A file whose cells show no decimal mark: "18,788" and "1.234" are refused as ambiguous.
UNDECIDED_MARKS = NumberMarks(decimal=None, grouping="")


def number_body(value):
    """A text cell reduced to the digits and marks that decide its reading, or None."""
    if not isinstance(value, str):
        return None
    text = SPACES.sub("", value.strip().lstrip("'")).removesuffix("%")
    text = text.lstrip("+-−")
    return text if text and text[0] in "0123456789." and text[-1].isdigit() else None


def shown_mark(value):
    """What a cell shows about the marks: (decimal, grouping), "undecided" or None."""
    body = number_body(value)
    if body is None or ("," not in body and "." not in body):
        return None
    for shape, decimal, grouping in SHAPES:
        if shape.fullmatch(body):
            return decimal, grouping
    return "undecided" if UNDECIDED.fullmatch(body) else None


def decide_marks(tables):
    """(NumberMarks, messages) for the cells of every table of one file."""
    seen = {".": [], ",": []}
    grouping = {".": set(), ",": set()}
    undecided = []
    for table in tables:
        for number, cells in table.rows:
            for col, value in enumerate(cells):
                found = shown_mark(value)
                if found is None:
                    continue
                place = f"“{shown(value)}” at {table.where(number, col)}"
                if found == "undecided":
                    undecided.append(place)
                    continue
                decimal, mark = found
                seen[decimal].append(place)
                if mark:
                    grouping[decimal].add(mark)
    messages = []
    if seen["."] and seen[","]:
        named = "; ".join(seen["."][:MAX_NAMED] + seen[","][:MAX_NAMED])
        messages.append(
            Message(
                "error",
                f"Numbers use both “.” and “,” as the decimal mark ({named}): use one mark "
                "throughout the file.",
            )
        )
    if not seen["."] and not seen[","]:
        return NumberMarks(None, "", ""), messages
    # With both in use (refused above) the more frequent one reads the cells, so each cell of
    # the other kind is named by its own error.
    decimal = "." if len(seen["."]) >= len(seen[","]) else ","
    other = "," if decimal == "." else "."
    mark = other if grouping[decimal] or undecided else ""
    return NumberMarks(decimal, mark, seen[decimal][0]), messages


def unmarked(body, marks):
    """The number text of a cell body read with the file's marks; ValueError when it cannot be."""
    if marks.decimal is None:
        found = UNDECIDED.fullmatch(body)
        if found:
            whole = body.replace(found.group(1), "")
            raise ValueError(
                f"is ambiguous: nothing in the file shows whether “{found.group(1)}” is its "
                f"decimal or its thousands mark; write {whole} without a thousands mark, or "
                "give the other numbers their decimals"
            )
        if "," in body:
            raise ValueError("is not a number")
        return body
    decimal = marks.decimal
    group = "," if decimal == "." else "."
    if group in body:
        if not re.fullmatch(rf"\d{{1,3}}(\{group}\d{{3}})+(\{decimal}\d+)?", body):
            raise ValueError(
                f"is not a number with this file's marks: “{group}” only groups thousands "
                f"here, and the decimal mark is “{decimal}”"
            )
        body = body.replace(group, "")
    if body.count(decimal) > 1:
        raise ValueError("is not a number")
    return body.replace(",", ".")
