"""Effect preview: for each ally-year an upload writes, its share of GDP and each target's verdict
before -> after ("POL 2024 3.75 → 3.79%, 2% still met, 3.5% still met, …").

The share and the verdicts come from the one share formula and verdict function the pages use
(`spending.progress.build_progress_frame`: defence ÷ GDP at constant 2021 prices, else NATO's
published share; met on the value as NATO prints it), run on the figures before and after.
"""

import math

import pandas as pd

from spending import progress
from spending.frames import FIGURE_COLUMNS

# How a verdict moves, (before, after) -> words; None: no value to judge.
MOVES = {
    (True, True): "still met",
    (False, True): "now met",
    (True, False): "no longer met",
    (False, False): "still not met",
    (None, True): "met",
    (None, False): "not met",
    (True, None): "no longer measured",
    (False, None): "no longer measured",
}
SHARE_TARGET_MEASURE = "core_share_of_gdp_pct"


def figure_frame(values_by_key):
    """A figures frame (spending.frames' columns) of {(kind, code, year): {field: value}}."""
    records = [
        {"iso3": code, "year": year, **{name: values.get(name) for name in FIGURE_COLUMNS[2:]}}
        for (_, code, year), values in values_by_key.items()
    ]
    frame = pd.DataFrame.from_records(records, columns=FIGURE_COLUMNS)
    for name in FIGURE_COLUMNS[3:]:
        frame[name] = frame[name].astype("float64")
    frame["year"] = frame["year"].astype("int64")
    return frame


def judged(values_by_key, targets):
    """{(iso3, year, target slug): (value as NATO prints it %, met)} of these figures."""
    if not values_by_key or targets.empty:
        return {}
    frame = progress.build_progress_frame(figure_frame(values_by_key), targets)
    found = {}
    for iso3, year, slug, rounded, met in frame[
        ["iso3", "year", "target", "value_rounded_pct", "met"]
    ].itertuples(index=False):
        value = None if rounded is None or math.isnan(rounded) else float(rounded)
        found[(iso3, int(year), slug)] = (value, None if met is pd.NA else bool(met))
    return found


def target_label(target):
    """ "3.5%" for a GDP target, "20% equipment" for a share of defence."""
    label = f"{float(target.threshold_pct):g}%"
    return label if target.basis == "gdp" else f"{label} {target.measure.split('_')[0]}"


def build_effect(rows, current, before, before_slug, targets):
    """The effect of the rows that would be written: one line per ally-year, share of GDP and
    verdicts before (`before`: that ally-year as stored in `before_slug`) and after."""
    written = [r for r in rows if r["kind"] == "member" and r["result"] in ("new", "changed")]
    after_values, before_values = {}, {}
    for row in written:
        key = ("member", row["code"], row["year"])
        new = {name: pair[1] for name, pair in row["fields"].items()}
        after_values[key] = {**current.get(key, {}), **new}
        if key in before:
            before_values[key] = before[key]
    was, now = judged(before_values, targets), judged(after_values, targets)
    labelled = [(t.slug, target_label(t)) for t in targets.itertuples()]
    share_target = next(
        (t.slug for t in targets.itertuples() if t.measure == SHARE_TARGET_MEASURE), None
    )
    lines = []
    for _, code, year in after_values:
        verdicts = []
        for slug, label in labelled:
            old = was.get((code, year, slug), (None, None))[1]
            new = now.get((code, year, slug), (None, None))[1]
            move = MOVES.get((old, new))
            if move is not None:
                verdicts.append(
                    {"target": slug, "before": old, "after": new, "text": f"{label} {move}"}
                )
        old_share = was.get((code, year, share_target), (None, None))[0]
        new_share = now.get((code, year, share_target), (None, None))[0]
        shares = f"{shown_pct(old_share)} → {shown_pct(new_share)}%"
        lines.append(
            {
                "code": code,
                "year": year,
                "before_pct": old_share,
                "after_pct": new_share,
                "verdicts": verdicts,
                "verdict_changed": any(v["before"] != v["after"] for v in verdicts),
                "text": ", ".join([f"{code} {year} {shares}", *(v["text"] for v in verdicts)]),
            }
        )
    return {"compared_with": before_slug, "lines": lines}


def shown_pct(value):
    return "none" if value is None else f"{value:.2f}"
