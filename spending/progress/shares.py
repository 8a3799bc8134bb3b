"""Shares of GDP as NATO computes them (Table 3: constant 2021 prices), and NATO's rounding.

NATO, "Defence Expenditure of NATO Countries (2014-2026)", Table 3 note: the share of GDP is
based on constant 2021 prices; NATO prints it rounded to 2 decimals.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from spending.progress.records import is_missing

# Which column of `add_shares` holds each target measure (targets.measure).
MEASURE_COLUMNS = {
    "core_share_of_gdp_pct": "share_of_gdp_pct",
    "equipment_share_pct": "equipment_share_pct",
    "total_share_of_gdp_pct": "total_share_of_gdp_pct",
}


def share_of_gdp_pct(defence, gdp):
    """Defence as % of GDP (same price basis for both); NaN when GDP is missing or 0."""
    # A zero GDP is a data gap, not an infinitely large share.
    if isinstance(gdp, pd.Series):
        return 100 * defence / gdp.astype("float64").where(gdp != 0)
    if is_missing(gdp) or gdp == 0:
        gdp = math.nan
    if isinstance(defence, pd.Series):
        return 100 * defence.astype("float64") / gdp
    if is_missing(defence) or math.isnan(gdp):
        return math.nan
    return 100 * float(defence) / float(gdp)


def share_of_figure(defence_const, gdp_const, reported):
    """One member-year's share of GDP (%) as `add_shares` computes it: from the 2021-price
    amounts, else NATO's printed share where only that was uploaded; None when neither."""
    computed = share_of_gdp_pct(defence_const, gdp_const)
    if not math.isnan(computed):
        return computed
    return None if is_missing(reported) else float(reported)


def round_pct(value):
    """A percentage rounded half-up to 2 decimals as NATO prints it (1.995 -> 2.00), in %."""
    if isinstance(value, pd.Series):
        return value.astype("float64").map(_round_half_up)
    return _round_half_up(value)


def add_shares(figures):
    """Copy of figures with core, related and total shares of GDP (%), `share_source` and
    `related_known`.

    `share_source` is "computed" where the share comes from the constant-price amounts,
    "reported" where only NATO's printed share was uploaded and is used as it is, else None.
    """
    shared = figures.copy()
    if "related_usd_current_m" not in shared:
        # NATO does not publish the Hague "up to 1.5%" spending yet; a frame may omit it.
        shared["related_usd_current_m"] = np.nan
    # Table 3 note: the share of GDP is computed at constant 2021 prices.
    computed = share_of_gdp_pct(shared["defence_usd_const2021_m"], shared["gdp_usd_const2021_m"])
    if "nato_share_of_gdp_pct" in shared:
        reported = shared["nato_share_of_gdp_pct"].astype("float64")
    else:
        reported = pd.Series(np.nan, index=shared.index)
    # An upload of Table 3 alone gives NATO's share without the amounts: use it, and say so.
    use_reported = computed.isna() & reported.notna()
    shared["share_of_gdp_pct"] = computed.where(~use_reported, reported)
    shared["share_source"] = np.where(
        computed.notna(), "computed", np.where(use_reported, "reported", None)
    )
    # No constant-price series exists for related spending, so it is taken at current prices.
    shared["related_share_of_gdp_pct"] = share_of_gdp_pct(
        shared["related_usd_current_m"].astype("float64"), shared["gdp_usd_current_m"]
    )
    shared["related_known"] = shared["related_share_of_gdp_pct"].notna()
    # The Hague Declaration, paras 2-3: 5% = core defence + defence- and security-related.
    # Until the related part is published the total can only be the core part.
    shared["total_share_of_gdp_pct"] = shared["share_of_gdp_pct"] + shared[
        "related_share_of_gdp_pct"
    ].fillna(0.0)
    return shared


def _round_half_up(value):
    """value (%) rounded half-up to 2 decimals; NaN when missing."""
    if is_missing(value):
        return math.nan
    # 15 significant digits (what a spreadsheet keeps) drop float artefacts such as
    # 1.99499999999999 for 1.995 before rounding half-up.
    return float(Decimal(format(float(value), ".15g")).quantize(Decimal("0.01"), ROUND_HALF_UP))
