"""The published precision of every field, and the one rounding applied at the edge.

The maths keeps full precision; a value is rounded once, where it leaves the app (API JSON,
CSV files, chart CSVs, templates), by `round_field`, with the number of decimals this table
gives its name. Rules of the table:

- shares of GDP and of defence spending: 2 decimals, as NATO prints them (Table 3, Table 8);
- points (a gap, a revision, a yearly rise or slope): 2 decimals, or 3 for yearly rates, whose
  values are often a few hundredths of a point;
- growth rates (% a year): 2 decimals;
- ratios of two shares (the fair-share ratio): 2 decimals;
- USD and national-currency millions: 1 decimal; per-capita amounts: NATO's 1 decimal (kUSD)
  or whole dollars; personnel: 1 decimal (thousands);
- years, ranks and counts: integers;
- FULL (documented beside its rounded twin, e.g. `share_of_gdp_pct` and
  `share_of_gdp_rounded_pct`): the computed value to 15 significant digits, what a spreadsheet
  keeps, which drops float artefacts such as 0.3200000000000003 but no real digit.

A whole number always serialises as an integer (31874, never 31874.0).
"""

import math
from decimal import ROUND_HALF_UP, Decimal

FULL = None
SIGNIFICANT_DIGITS = 15

# Exact names first: they override the suffix rules below.
PRECISIONS = {
    # Unrounded shares, published beside their rounded twins.
    "share_of_gdp_pct": FULL,
    "value_pct": FULL,
    "s0": FULL,
    "total_share_of_gdp_pct": FULL,
    # NATO's printed share as published; the 2025 edition's source keeps full precision.
    "nato_share_of_gdp_pct": FULL,
    "value": FULL,
    "previous_value": FULL,
    "previous_share_of_gdp_pct": FULL,
    "revision": FULL,
    # Points and yearly rates.
    "gap_pp": 2,
    "margin_pp": 2,
    "required_pp_per_year": 3,
    "trend_slope_pp_per_year": 3,
    # Growth, % a year.
    "gdp_growth_pct": 2,
    "required_real_growth_pct_per_year": 2,
    "required_real_growth_signed_pct_per_year": 2,
    "nato_real_change_pct": 2,
    # Amounts.
    "gdp_per_capita_const2021_kusd": 1,
    "defence_per_capita_const2021_usd": 0,
    "military_personnel_k": 1,
    "threshold_pct": 2,
    # Years and counts whose names the suffix rules below do not catch.
    "first_year_met": 0,
    "y0": 0,
    "deadline": 0,
    "year_reached": 0,
    # Scenarios (spending/progress/scenarios.py): inputs as given, the 2021 exchange rate.
    "gdp_growth": FULL,
    "defence_growth": FULL,
    "national_currency_per_usd": FULL,
    "allies_counted": 0,
    "allies_meeting_target": 0,
    "allies_below_target": 0,
    "allies_already_met": 0,
    # Fair share (spending/progress/fairshare.py): shares of the alliance beside rounded twins.
    "share_of_alliance_defence_current_pct": FULL,
    "share_of_alliance_defence_const2021_pct": FULL,
    "share_of_alliance_gdp_current_pct": FULL,
    "share_of_alliance_gdp_const2021_pct": FULL,
    "fair_share_ratio_current": 2,
    "fair_share_ratio_const2021": 2,
}
# (suffix, decimals), first match wins.
SUFFIX_PRECISIONS = [
    ("_rounded_pct", 2),
    ("_revision_pp", 2),
    ("_pp", 2),
    ("_pct", 2),
    ("_m", 1),
    ("year", 0),
    ("_years", 0),
    ("_years_met", 0),
    ("rank", 0),
    ("_count", 0),
    ("allies_met", 0),
    ("allies_with_data", 0),
    ("allies_not_met", 0),
]


# A chart table's column kinds (spending.charts): the decimals the chart itself shows.
KIND_PRECISIONS = {"pct": 2, "amount": 1, "number": 1, "ratio": 2, "count": 0, "year": 0}


class UnknownField(KeyError):
    """A numeric field has no documented precision: add it to PRECISIONS."""


def precision_of(name):
    """Decimals published for field `name` (FULL = 15 significant digits); raises UnknownField."""
    if name in PRECISIONS:
        return PRECISIONS[name]
    for suffix, decimals in SUFFIX_PRECISIONS:
        if name.endswith(suffix):
            return decimals
    raise UnknownField(name)


def round_field(name, value):
    """`value` rounded half-up to the precision of field `name`: an int when whole, a float,
    or None for a missing value; text, booleans and None pass unchanged."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    return _round_to(value, precision_of(name))


def round_of_kind(kind, value):
    """A chart table's cell rounded as its column kind ("pct", "amount"...) is shown; text as is."""
    if kind not in KIND_PRECISIONS:
        return value
    return _round_to(value, KIND_PRECISIONS[kind])


def _round_to(value, decimals):
    if value is None or isinstance(value, (bool, str)):
        return value
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    decimal = Decimal(format(number, f".{SIGNIFICANT_DIGITS}g"))
    if decimals is not FULL:
        decimal = decimal.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if decimal == decimal.to_integral_value():
        return int(decimal)
    return float(decimal)


def round_record(record):
    """A copy of a dict (nested dicts and lists too) with every number rounded by its key."""
    return {name: _round_value(name, value) for name, value in record.items()}


def _round_value(name, value):
    if isinstance(value, dict):
        return round_record(value)
    if isinstance(value, list):
        return [_round_value(name, item) for item in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        return round_field(name, value)
    return value
