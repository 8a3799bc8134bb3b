"""Step 4, preview: each record against the database -> new, changed, unchanged or error, as
django-import-export does, stored on an ``ImportBatch`` for a later apply.
"""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from spending import frames, previews
from spending.importing import effect, plausibility
from spending.importing.layouts import parse_tables
from spending.importing.messages import listed_messages, shown
from spending.importing.reading import TableError, read_tables, reading_of
from spending.importing.records import TEXT_FIELDS, VALUE_FIELDS
from spending.importing.validation import validate_records
from spending.models import (
    METRIC_FIELDS,
    AggregateFigure,
    Edition,
    ImportBatch,
    YearlyFigure,
)


def figure_fields(kind):
    """Fields a record may set on a YearlyFigure ("member") or an AggregateFigure."""
    if kind == "member":
        return ["status", *VALUE_FIELDS, *TEXT_FIELDS]
    return ["status", *METRIC_FIELDS, "note"]


def load_current(edition, records):
    """{(kind, code, year): {field: value}} of the rows these records touch; two queries."""
    current = {}
    if edition is None:
        return current
    members = {r.code for r in records if r.kind == "member"}
    aggregates = {r.code for r in records if r.kind == "aggregate"}
    if members:
        names = figure_fields("member")
        rows = YearlyFigure.objects.filter(edition=edition, member__iso3__in=members).values_list(
            "member__iso3", "year", *names
        )
        for code, year, *values in rows:
            current[("member", code, year)] = dict(zip(names, values, strict=True))
    if aggregates:
        names = figure_fields("aggregate")
        rows = AggregateFigure.objects.filter(
            edition=edition, aggregate__in=aggregates
        ).values_list("aggregate", "year", *names)
        for code, year, *values in rows:
            current[("aggregate", code, year)] = dict(zip(names, values, strict=True))
    return current


def compare(records, current, messages):
    """Preview rows: each record as new, changed, unchanged or error, old and new per field."""
    errors_by_key = {}
    for message in messages:
        if message.level == "error" and message.key:
            errors_by_key.setdefault(message.key, []).append(str(message))
    rows = []
    for record in records:
        allowed = figure_fields(record.kind)
        values = {k: v for k, v in record.values.items() if k in allowed}
        old = current.get(record.key)
        if old is None:
            result = "new"
            fields = {name: [None, value] for name, value in values.items()}
        else:
            fields = {name: [old[name], value] for name, value in values.items()}
            result = "changed" if any(o != n for o, n in fields.values()) else "unchanged"
        if record.key in errors_by_key:
            result = "error"
        rows.append(
            {
                "kind": record.kind,
                "code": record.code,
                "year": record.year,
                "where": record.where,
                "exists": old is not None,
                "result": result,
                "fields": fields,
            }
        )
    return rows


def count_results(rows, messages):
    counts = {"new": 0, "changed": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row["result"]] += 1
    counts["errors"] = sum(1 for m in messages if m.level == "error")
    counts["warnings"] = sum(1 for m in messages if m.level == "warning")
    written = [
        name
        for row in rows
        if row["result"] in ("new", "changed")
        for name, (old, new) in row["fields"].items()
        if old != new
    ]
    counts["values_changed"] = len(written)
    # "values written" counts the figures themselves, not a row's status, source or note.
    counts["values_written"] = sum(1 for name in written if name in VALUE_FIELDS)
    return counts


def build_preview(parsed, edition, review=True):
    """The preview of a parsed upload against one edition (None: a new, empty edition).

    `review` adds the plausibility flags (spending.importing.plausibility) and the effect on
    each ally's share of GDP and verdicts (spending.importing.effect); the shipped
    fixtures, loaded into an empty database, go without.
    """
    current = load_current(edition, parsed.records)
    validate_records(parsed, current)
    rows = compare(parsed.records, current, parsed.messages)
    flags, effects = [], None
    if review:
        other = plausibility.other_edition(edition)
        others = load_current(other, parsed.records)
        slug = other.slug if other else None
        flags = plausibility.flag_implausible(parsed.records, rows, current, others, slug)
        # Before: the edition written to as stored; for a new edition, the newest other one.
        before, before_slug = (current, edition.slug) if edition else (others, slug)
        targets = frames.build_targets_frame()
        effects = effect.build_effect(rows, current, before, before_slug, targets)
    counts = count_results(rows, parsed.messages)
    counts["implausible"] = len(flags)
    return {
        "format": parsed.file_format,
        "metric": parsed.metric,
        "blocks": parsed.blocks,
        "counts": counts,
        "messages": listed_messages(parsed.messages),
        "rows": rows,
        "implausible": flags,
        "effect": effects,
    }


@dataclass
class EditionChoice:
    """The edition an import writes to: an existing one, or the fields of a new one."""

    slug: str
    edition: Edition | None = None
    new_fields: dict | None = None


def choose_edition(
    slug,
    title="",
    cutoff_on=None,
    published_on=None,
    publisher="",
    price_base_year=2021,
    url="",
    notes="",
):
    """The edition named by slug; a new one needs a title and a data cut-off date."""
    slug = (slug or "").strip()
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise ValueError(f"“{shown(slug)}” is not an edition slug (letters, digits, - and _).")
    existing = Edition.objects.filter(slug=slug).first()
    if existing and title:
        raise ValueError(
            f"Edition “{slug}” exists already: leave the new edition's title empty to revise it."
        )
    if existing:
        return EditionChoice(slug, edition=existing)
    if not title:
        raise ValueError(
            f"There is no edition “{slug}”: give a title and a data cut-off date to create it."
        )
    if not cutoff_on:
        raise ValueError(
            "A new edition needs its data cut-off date: pages show the edition with the latest one."
        )
    new_fields = {
        "title": title,
        "publisher": publisher or "NATO Public Diplomacy Division",
        "cutoff_on": str(cutoff_on),
        "published_on": str(published_on) if published_on else None,
        "price_base_year": int(price_base_year or 2021),
        "url": url or "",
        "notes": notes or "",
    }
    return EditionChoice(slug, new_fields=new_fields)


def preview_upload(data, file_name, choice, user=None, sheet=None, metric=None):
    """Reads, checks and previews an upload; returns the stored ImportBatch (nothing applied)."""
    batch = ImportBatch(
        kind=ImportBatch.Kind.UPLOAD,
        created_by=user,
        file_name=Path(file_name or "").name[:255],
        file_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=sheet or "",
        metric=metric or "",
        edition=choice.edition,
        edition_slug=choice.slug,
        new_edition=choice.new_fields,
    )
    try:
        tables = read_tables(data, file_name, sheet)
    except TableError as error:
        preview = {
            "format": "",
            "metric": "",
            "reading": None,
            "counts": {**count_results([], error.messages), "implausible": 0},
            "messages": [m.as_dict() for m in error.messages],
            "rows": [],
            "implausible": [],
            "effect": None,
        }
    else:
        batch.sheet = (tables[0].sheet or "") if len(tables) == 1 else ""
        parsed = parse_tables(tables, metric=metric or None, edition_slug=choice.slug)
        preview = build_preview(parsed, choice.edition)
        preview["reading"] = reading_of(tables)
    batch.preview = preview
    batch.file_format = preview["format"]
    batch.metric = preview["metric"] or ""
    batch.counts = preview["counts"]
    batch.status = (
        ImportBatch.State.INVALID if preview["counts"]["errors"] else ImportBatch.State.PREVIEWED
    )
    batch.save()
    # Every upload tidies up, so stored previews stay bounded without a scheduled job.
    previews.prune_previews()
    previews.keep_newest_previews(user)
    return batch
