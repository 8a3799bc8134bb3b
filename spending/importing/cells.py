"""Cells and numbers: member names, years, statuses and values read from one cell, each checked
where it stands.
"""

import difflib
import functools
import math
import re
import unicodedata
from datetime import date

from members.models import Member
from spending.importing.marks import SPACES, UNDECIDED_MARKS, unmarked
from spending.models import (
    AMOUNT_FIELDS,
    RELATED_FIELD,
    SHARE_FIELDS,
    Aggregate,
    Status,
)

FIRST_YEAR = 1949  # the North Atlantic Treaty


NON_NEGATIVE_FIELDS = {*AMOUNT_FIELDS, RELATED_FIELD}


# Names that are neither ISO codes nor the names in members.csv but appear in NATO's tables or
# in common use. NATO writes EL for Greece and UK for the United Kingdom (EU protocol order).
MEMBER_ALIASES = {
    "el": "GRC",
    "uk": "GBR",
    "turkey": "TUR",
    "czech republic": "CZE",
    "slovak republic": "SVK",
    "republic of north macedonia": "MKD",
    "the netherlands": "NLD",
    "great britain": "GBR",
    "united states of america": "USA",
    "the united states": "USA",
}


AGGREGATE_ALIASES = {
    "nato europe and canada": Aggregate.EUROPE_CANADA,
    "nato europe canada": Aggregate.EUROPE_CANADA,
    "nato europe amp canada": Aggregate.EUROPE_CANADA,
    "europe and canada": Aggregate.EUROPE_CANADA,
    "nato total": Aggregate.NATO_TOTAL,
    "total nato": Aggregate.NATO_TOTAL,
    "nato": Aggregate.NATO_TOTAL,
    "nato eur can": Aggregate.EUROPE_CANADA,
}


# How NATO and spreadsheets write "no figure"; a NaN or an infinity is an error, not a gap.
NULL_TEXTS = {"", "-", "–", "—", "..", "...", "n/a", "na", "n.a."}


PLAIN_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,15})?")


def normalise_name(text):
    """Lower-case ASCII words of a name: accents, footnote marks and punctuation dropped."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"\(\s*[^)]*\)", " ", text)  # "(1)", "(a)" footnote marks
    text = re.sub(r"[^a-z ]+", " ", text)
    return " ".join(text.split())


class MemberMatcher:
    """Finds a member or an aggregate from an ISO code, NATO's name or a common name."""

    def __init__(self, members=None):
        members = list(Member.objects.all()) if members is None else members
        self.members = {m.iso3: m for m in members}
        self.names = {}
        for member in members:
            for name in (member.iso2, member.iso3, member.name, member.nato_name):
                if name:
                    self.names[normalise_name(name)] = ("member", member.iso3)
        for alias, iso3 in MEMBER_ALIASES.items():
            if iso3 in self.members:
                self.names[alias] = ("member", iso3)
        for code in Aggregate:
            self.names[normalise_name(code.value)] = ("aggregate", code.value)
            self.names[normalise_name(code.label)] = ("aggregate", code.value)
        for alias, code in AGGREGATE_ALIASES.items():
            self.names[alias] = ("aggregate", code.value)

    @functools.cached_property
    def shown_names(self):
        """{normalised name: the name as NATO or common use writes it} of allies and aggregates."""
        shown_as = {}
        for member in self.members.values():
            for name in (member.nato_name, member.name):
                if name:
                    shown_as.setdefault(normalise_name(name), name)
        for code in Aggregate:
            shown_as.setdefault(normalise_name(code.label), code.label)
        return shown_as

    def suggest(self, text):
        """ ": did you mean “Poland”?" for a name close to an ally's or aggregate's, or ""."""
        shown_as = self.shown_names
        close = difflib.get_close_matches(normalise_name(text), list(shown_as), n=1, cutoff=0.75)
        return f": did you mean “{shown_as[close[0]]}”?" if close else ""

    def match(self, text):
        """("member", ISO3) or ("aggregate", code), or None when nothing matches."""
        if text is None:
            return None
        text = str(text).strip()
        if text.startswith("'"):
            text = text[1:]
        return self.names.get(normalise_name(text))


def clean_text(value):
    """A cell as stripped text, with one spreadsheet-injection escape (a leading ') removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'"):
        text = text[1:].strip()
    return text


def parse_number(value, marks=UNDECIDED_MARKS):
    """A cell as a float, None for an empty cell; ValueError with the reason otherwise.

    `marks` are the file's decimal and thousands marks (spending.importing.marks), decided once
    for the whole file: a cell is never read with marks of its own.
    """
    if value is None:
        return None
    plain = isinstance(value, str) and PLAIN_NUMBER.fullmatch(value)
    if plain and (marks.decimal == "." or "." not in value):
        return float(value)  # the common case, as an export writes it: no clean-up needed
    if isinstance(value, bool):
        raise ValueError("is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        if not isinstance(value, str):
            raise ValueError("is not a number")
        text = clean_text(value)
        if text.casefold() in NULL_TEXTS:
            return None
        # Thousands separators in every file: spaces, thin and no-break spaces, apostrophes.
        text = SPACES.sub("", text.removesuffix("%"))
        text = text.replace("−", "-")  # the minus sign NATO's PDFs print
        sign, body = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
        if re.fullmatch(r"[\d.,]*\d", body) and ("," in body or "." in body):
            body = unmarked(body, marks)
        text = sign + body
        if not re.fullmatch(
            r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|[-+]?(inf|infinity|nan)", text, re.I
        ):
            raise ValueError("is not a number")
        number = float(text)
    if not math.isfinite(number):
        raise ValueError("is not a finite number")
    return number


def read_value(name, raw, marks=UNDECIDED_MARKS):
    """(number or None, reason it is refused or None) for one cell of metric `name`."""
    try:
        value = parse_number(raw, marks)
    except ValueError as error:
        return None, str(error)
    return value, check_value(name, value)


def check_value(name, number):
    """The reason a number cannot be stored in this field, or None when it can."""
    if number is None:
        return None
    if name in NON_NEGATIVE_FIELDS and number < 0:
        return "is negative; an amount must be 0 or more"
    if name in SHARE_FIELDS and not 0 <= number <= 100:
        return "is outside 0–100; a share must be a percentage"
    return None


def parse_year(value):
    """A year cell as an int in FIRST_YEAR..next year; ValueError with the reason otherwise."""
    if isinstance(value, bool) or value is None:
        raise ValueError("is not a year")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("is not a whole year")
        value = int(value)
    if isinstance(value, str):
        text = clean_text(value)
        if not re.fullmatch(r"\d{4}", text):
            raise ValueError("is not a year (four digits expected)")
        value = int(text)
    if not isinstance(value, int):
        raise ValueError("is not a year")
    last = date.today().year + 1
    if not FIRST_YEAR <= value <= last:
        raise ValueError(f"is outside {FIRST_YEAR}..{last}")
    return value


STATUS_WORDS = {
    "actual": Status.ACTUAL,
    "a": Status.ACTUAL,
    "estimate": Status.ESTIMATE,
    "estimated": Status.ESTIMATE,
    "e": Status.ESTIMATE,
}


def parse_status(value):
    """A status cell as "actual" or "estimate"; ValueError with the reason otherwise."""
    text = clean_text(value).casefold()
    if not text:
        raise ValueError("is empty; the status must be actual or estimate")
    if text not in STATUS_WORDS:
        raise ValueError("is not a status; write actual or estimate")
    return STATUS_WORDS[text].value


def header_key(value):
    """A header cell as a column name: stripped, lower-case, BOM and a leading ' removed."""
    return clean_text(value).lstrip("\ufeff").strip().casefold()
