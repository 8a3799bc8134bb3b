"""The figure and target field lists and the newest-edition ordering, each defined once.

Pure names: no Django, so that models, frames, importing, the API and the benchmarks all
import them from here.
"""

# Every figure field, in NATO's table order, with its unit in the name.
# Amounts must be >= 0; shares of GDP or of defence spending must lie in 0..100.
AMOUNT_FIELDS = [
    "defence_nc_current_m",
    "defence_nc_const2021_m",
    "defence_usd_current_m",
    "defence_usd_const2021_m",
    "gdp_usd_current_m",
    "gdp_usd_const2021_m",
    "gdp_per_capita_const2021_kusd",
    "defence_per_capita_const2021_usd",
    "military_personnel_k",
]
SHARE_FIELDS = [
    "nato_share_of_gdp_pct",
    "equipment_share_pct",
    "personnel_share_pct",
    "infrastructure_share_pct",
    "other_share_pct",
]
CHANGE_FIELDS = ["nato_real_change_pct"]
METRIC_FIELDS = [
    "defence_nc_current_m",
    "defence_nc_const2021_m",
    "defence_usd_current_m",
    "defence_usd_const2021_m",
    "nato_share_of_gdp_pct",
    "nato_real_change_pct",
    "gdp_usd_current_m",
    "gdp_usd_const2021_m",
    "gdp_per_capita_const2021_kusd",
    "defence_per_capita_const2021_usd",
    "military_personnel_k",
    "equipment_share_pct",
    "personnel_share_pct",
    "infrastructure_share_pct",
    "other_share_pct",
]
# Not published by NATO yet: the Hague "up to 1.5%" defence- and security-related spending.
RELATED_FIELD = "related_usd_current_m"
# Every value a figure row holds: the metrics, then the related spending.
VALUE_FIELDS = [*METRIC_FIELDS, RELATED_FIELD]
# The metrics whose history across editions the API gives: the stored ones and the computed share.
HISTORY_METRICS = [*VALUE_FIELDS, "share_of_gdp_pct"]

# The target fields the API lists (targets/) and the ones the maths reads (frames).
TARGET_FIELDS = [
    "slug",
    "name",
    "threshold_pct",
    "basis",
    "measure",
    "kind",
    "adopted",
    "adopted_year",
    "deadline_year",
    "description",
    "source_url",
]
TARGET_MATHS_FIELDS = [
    "slug",
    "name",
    "threshold_pct",
    "basis",
    "measure",
    "kind",
    "adopted",
    "deadline_year",
    "description",
]

# Newest edition first: by data cut-off, then publication, then the later row. An edition
# restates every year it holds, so "the newest edition" of a member-year is the first in it.
NEWEST_EDITION_FIRST = ("-cutoff_on", "-published_on", "-pk")


def newest_edition_first(prefix=""):
    """The newest-edition ordering for a query reaching the edition through `prefix`."""
    return [f"-{prefix}{name[1:]}" for name in NEWEST_EDITION_FIRST]
