"""Which metric a block of a NATO table holds, told from its title, unit line and subtitle.

Each text is read for clues, dimension by dimension (subject, measure, category, currency, price
basis, scale); the texts of one block are taken together: a dimension's value is what every text
that speaks of it agrees on. A metric is a candidate when it fits every stated clue; the block's
metric is the one candidate left, or nothing: never the first rule that happens to match (NATO's
titles change from one edition to the next: "Defence expenditure" in 2025, "Core defence
expenditure" in 2026, and one title often names two tables, "… as a share of GDP and annual real
change"). Pure: no Django.
"""

import re
import unicodedata

# Dimensions a metric must match when a text states them (a block saying "Equipment" is not
# military personnel), and qualifiers that only rule out a metric stating something else.
DEFINING = ("subject", "measure", "category")
QUALIFIERS = ("currency", "basis", "scale")

# (dimension, value, pattern) on normalised text (lower case, "defense" spelled "defence").
CLUES = [
    ("measure", "share_gdp", r"\b(share|percentage|per ?cent|%) of (real |nominal )?gdp\b"),
    ("measure", "real_change", r"\b(real|annual) (change|growth)\b"),
    ("measure", "per_capita", r"\bper (capita|head)\b"),
    (
        "measure",
        "share_defence",
        r"\bby (main )?categor|\bdistribution\b|"
        r"\b(share|percentage|per ?cent|%) of (total |core )?defence\b",
    ),
    ("subject", "defence", r"\bdefence\b"),
    ("subject", "gdp", r"\bgdp\b|\bgross domestic product\b"),
    ("subject", "military_personnel", r"\bmilitary personnel\b|\barmed forces personnel\b"),
    ("category", "equipment", r"\bequipment\b"),
    ("category", "personnel", r"(?<!military )\bpersonnel\b"),
    ("category", "infrastructure", r"\binfrastructure\b"),
    ("category", "other", r"^other\b"),
    ("currency", "nc", r"\bnational currenc"),
    ("currency", "usd", r"\bus ?dollars?\b|\busd\b|\bus\$|\bexchange rates?\b"),
    ("basis", "constant", r"\bconstant\b|\b(19|20)\d\d prices\b|\breal\b"),
    ("basis", "current", r"\bcurrent\b"),
    ("scale", "million", r"\bmillions?\b|\bmn\b"),
    ("scale", "thousand", r"\bthousands?\b|\b000s?\b"),
    ("scale", "percent", r"%|\bper ?cent\b|\bpercentage\b"),
]
# Phrases whose GDP is a denominator, not the subject ("defence expenditure as a share of GDP").
NOT_A_SUBJECT = re.compile(r"\b(share|percentage|per ?cent|%) of (real |nominal )?gdp\b")
TABLE_NUMBER = re.compile(r"^table\s*\d+\s*[a-z]?\s*[:.\-–]\s*")

# What each metric is, in the same dimensions, with the unit shown in the preview.
METRICS = {
    "defence_nc_current_m": (
        "defence amount - nc current million",
        "million national currency, current prices",
    ),
    "defence_nc_const2021_m": (
        "defence amount - nc constant million",
        "million national currency, constant 2021 prices",
    ),
    "defence_usd_current_m": (
        "defence amount - usd current million",
        "million US dollars, current prices and exchange rates",
    ),
    "defence_usd_const2021_m": (
        "defence amount - usd constant million",
        "million US dollars, constant 2021 prices and exchange rates",
    ),
    "nato_share_of_gdp_pct": (
        "defence share_gdp - - constant percent",
        "% of GDP (constant 2021 prices)",
    ),
    "nato_real_change_pct": ("defence real_change - - constant percent", "% annual real change"),
    "gdp_usd_current_m": (
        "gdp amount - usd current million",
        "million US dollars, current prices and exchange rates",
    ),
    "gdp_usd_const2021_m": (
        "gdp amount - usd constant million",
        "million US dollars, constant 2021 prices and exchange rates",
    ),
    "gdp_per_capita_const2021_kusd": (
        "gdp per_capita - usd constant thousand",
        "thousand US dollars per head, constant 2021 prices",
    ),
    "defence_per_capita_const2021_usd": (
        "defence per_capita - usd constant one",
        "US dollars per head, constant 2021 prices",
    ),
    "military_personnel_k": (
        "military_personnel amount - - - thousand",
        "thousands of military personnel",
    ),
    "equipment_share_pct": (
        "defence share_defence equipment - - percent",
        "% of defence expenditure",
    ),
    "personnel_share_pct": (
        "defence share_defence personnel - - percent",
        "% of defence expenditure",
    ),
    "infrastructure_share_pct": (
        "defence share_defence infrastructure - - percent",
        "% of defence expenditure",
    ),
    "other_share_pct": ("defence share_defence other - - percent", "% of defence expenditure"),
}
DIMENSIONS = ("subject", "measure", "category", "currency", "basis", "scale")
UNITS = {metric: unit for metric, (_, unit) in METRICS.items()}


def describe(metric):
    """{dimension: value} of a metric; a missing value ("-") means the metric has none."""
    words = METRICS[metric][0].split()
    return {dim: word for dim, word in zip(DIMENSIONS, words, strict=True) if word != "-"}


def normalise(text):
    """Lower-case text with accents folded, "defense" spelled "defence", the table number off."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = re.sub(r"\bdefen[cs]e\b", "defence", text)
    text = " ".join(text.split())
    return TABLE_NUMBER.sub("", text)


def text_clues(text):
    """{dimension: {values}} a text states."""
    text = normalise(text)
    clues = {}
    for dim, value, pattern in CLUES:
        searched = NOT_A_SUBJECT.sub(" ", text) if dim == "subject" else text
        if re.search(pattern, searched):
            clues.setdefault(dim, set()).add(value)
    return clues


def combine(texts):
    """({dimension: {values}} every text agrees on, [(dimension, [(text, values)])] in conflict)."""
    combined, said, conflicts = {}, {}, []
    for text in texts:
        for dim, values in text_clues(text).items():
            said.setdefault(dim, []).append((text, values))
            combined[dim] = combined[dim] & values if dim in combined else set(values)
    for dim, values in combined.items():
        if not values:
            conflicts.append((dim, said[dim]))
    return combined, conflicts


def fits(metric, clues):
    """Whether a metric fits every clue: defining ones it must have, qualifiers it may lack."""
    described = describe(metric)
    for dim, values in clues.items():
        if dim in DEFINING and described.get(dim, "none") not in values:
            return False
        if dim in QUALIFIERS and dim in described and described[dim] not in values:
            return False
    return True


def resolve_metric(texts, metrics=None):
    """(metric or None, candidates, conflicts): the one metric the texts together name."""
    clues, conflicts = combine([t for t in texts if t])
    if conflicts:
        return None, [], conflicts
    candidates = [m for m in (metrics or METRICS) if fits(m, clues)]
    return (candidates[0] if len(candidates) == 1 else None), candidates, []
