"""Plausibility, before confirming: each value an upload would write, against the same
ally-year-metric in the newest other edition and against its neighbouring years.

A value 3× or more off either (a 1000× unit slip, a share filed as an amount, personnel in
units rather than thousands) is flagged "implausible"; the confirm step then requires an explicit
acknowledgement of those rows (``apply_batch(..., acknowledge_implausible=True)``).
"""

from spending.importing.messages import ImportRefused
from spending.models import METRIC_FIELDS, Edition

FACTOR = 3
# A real change is a rate that crosses zero (-0.5% then 2.1%): a factor between two says nothing.
NOT_COMPARED = {"nato_real_change_pct"}
# The four categories of Table 8 swing from year to year for real: NATO's 2026 figures move one
# by 3x or more 35 times (Bulgaria's equipment 9.65% in 2018, 59.74% in 2019). They are compared
# with the other edition only, where a block filed as the wrong category still stands out.
NO_NEIGHBOURS = {
    "equipment_share_pct",
    "personnel_share_pct",
    "infrastructure_share_pct",
    "other_share_pct",
}
MAX_NAMED = 10


def other_edition(edition):
    """The newest edition other than `edition` (None: a new edition), or None."""
    others = Edition.objects.all()
    if edition is not None:
        others = others.exclude(pk=edition.pk)
    return others.newest()


def factor(a, b):
    """How many times the larger of two positive values is the smaller; None when either is
    missing or not positive (a 0 has no factor)."""
    if a is None or b is None or a <= 0 or b <= 0:
        return None
    return max(a, b) / min(a, b)


def written_values(rows):
    """(row, metric, value) of every metric value a preview would write (new or changed)."""
    for row in rows:
        if row["result"] not in ("new", "changed"):
            continue
        for name, (old, new) in row["fields"].items():
            compared = name in METRIC_FIELDS and name not in NOT_COMPARED
            if compared and new is not None and old != new:
                yield row, name, new


def flag_implausible(records, rows, current, other, other_slug):
    """Flags of the values 3× or more off the other edition (`other`: {key: {field: value}})
    or off a neighbouring year (in the upload, else as stored in the edition written to)."""
    uploaded = {}
    for record in records:
        for name, value in record.values.items():
            uploaded[(record.kind, record.code, name, record.year)] = value
    cells = {record.key: record.cells for record in records}
    flags = []
    for row, name, value in written_values(rows):
        key = (row["kind"], row["code"], row["year"])
        compared = None
        found = other.get(key, {}).get(name)
        if found is not None:
            compared = {"edition": other_slug, "value": found, "factor": factor(value, found)}
        neighbours = []
        for year in () if name in NO_NEIGHBOURS else (row["year"] - 1, row["year"] + 1):
            near = uploaded.get((row["kind"], row["code"], name, year))
            if near is None:
                near = current.get((row["kind"], row["code"], year), {}).get(name)
            if near is not None:
                neighbours.append({"year": year, "value": near, "factor": factor(value, near)})
        factors = [c["factor"] for c in [compared, *neighbours] if c and c["factor"]]
        if not any(f >= FACTOR for f in factors):
            continue
        flag = {
            "kind": row["kind"],
            "code": row["code"],
            "year": row["year"],
            "metric": name,
            "value": value,
            "where": cells.get(key, {}).get(name, row["where"]),
            "other_edition": compared,
            "neighbours": neighbours,
        }
        flag["text"] = describe_flag(flag)
        flags.append(flag)
    return flags


def describe_flag(flag):
    """ "POL 2024 defence_usd_current_m 34,454,000 is implausible: 1000× edition nato-2026's
    34,454; 2023: 26,475 (1301×); 2025: 44,154 (780×)"."""
    parts = []
    compared = flag["other_edition"]
    if compared:
        times = f" ({compared['factor']:.3g}×)" if compared["factor"] else ""
        parts.append(f"edition {compared['edition']}: {compared['value']:,g}{times}")
    else:
        parts.append("no other edition holds it")
    for near in flag["neighbours"]:
        times = f" ({near['factor']:.3g}×)" if near["factor"] else ""
        parts.append(f"{near['year']}: {near['value']:,g}{times}")
    return (
        f"{flag['code']} {flag['year']} {flag['metric']} {flag['value']:,g} is implausible, "
        f"{FACTOR}× or more off: " + "; ".join(parts)
    )


def refuse_unacknowledged(batch, acknowledged):
    """Raises ImportRefused when the batch holds flagged values and they were not acknowledged;
    records the acknowledgement on the batch otherwise."""
    flags = batch.preview.get("implausible") or []
    if not flags:
        return
    if not acknowledged:
        named = "; ".join(flag["text"] for flag in flags[:MAX_NAMED])
        more = f" and {len(flags) - MAX_NAMED} more" if len(flags) > MAX_NAMED else ""
        raise ImportRefused(
            f"{len(flags)} value{'s are' if len(flags) != 1 else ' is'} flagged implausible: "
            f"{named}{more}. Nothing was written. Check them, then confirm that you have "
            "(admin: tick “I have checked the implausible values”; API: "
            "acknowledge_implausible=true; command: --accept-implausible)."
        )
    batch.preview["implausible_acknowledged"] = True
