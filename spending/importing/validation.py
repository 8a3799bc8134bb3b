"""Step 3, validation: checks across rows (Iceland, accession, duplicates, the reported share)."""

from members.models import Member
from spending.importing.messages import Message
from spending.importing.records import VALUE_FIELDS

# NATO prints its share of GDP rounded to 2 decimals; more than this apart is worth a look.
SHARE_TOLERANCE_PP = 0.05


def validate_records(parsed, current=None):
    """Adds the checks across rows to parsed.messages: Iceland, accession, reported share."""
    members = {m.iso3: m for m in Member.objects.all()}
    current = current or {}
    kept = []
    for record in parsed.records:
        if record.kind != "member":
            kept.append(record)
            continue
        member = members[record.code]
        given = {k: v for k, v in record.values.items() if k in VALUE_FIELDS and v is not None}
        if not member.reports_figures:
            if given:
                parsed.messages.append(
                    Message(
                        "error",
                        f"{member.name} has no armed forces and NATO publishes no figures for it: "
                        "it is shown as not applicable, so no value can be stored for it",
                        where=record.where,
                        column=", ".join(sorted(given)),
                        key=record.key,
                    )
                )
            else:
                parsed.messages.append(
                    Message(
                        "warning",
                        f"{member.name} {record.year} has no values and is skipped",
                        where=record.where,
                    )
                )
            continue
        kept.append(record)
        if record.year < member.accession_date.year:
            parsed.messages.append(
                Message(
                    "warning",
                    f"{member.name} joined NATO in {member.accession_date.year}; its "
                    f"{record.year} figures are stored but not counted in alliance totals",
                    where=record.where,
                )
            )
    parsed.records = kept
    for record in kept:
        merged = {**current.get(record.key, {}), **record.values}
        reported = merged.get("nato_share_of_gdp_pct")
        defence, gdp = merged.get("defence_usd_const2021_m"), merged.get("gdp_usd_const2021_m")
        touched = {"nato_share_of_gdp_pct", "defence_usd_const2021_m", "gdp_usd_const2021_m"}
        if reported is None or not defence or not gdp or not touched & set(record.values):
            continue
        computed = 100 * defence / gdp
        if abs(computed - reported) > SHARE_TOLERANCE_PP:
            parsed.messages.append(
                Message(
                    "warning",
                    f"{record.code} {record.year}: NATO's reported share {reported:g}% differs "
                    f"from the {computed:.2f}% computed from the constant-price amounts by more "
                    f"than {SHARE_TOLERANCE_PP} points",
                    where=record.cells.get("nato_share_of_gdp_pct", record.where),
                    column="nato_share_of_gdp_pct",
                )
            )
    return parsed
