"""/revisions/: how NATO revised each ally's share of GDP between two editions, as a heatmap."""

from django.shortcuts import render

from spending import answers
from spending.models import Edition

# Shading by the size of a revision (points), each direction on its own scale; the sign is
# also written, so the table reads without colour.
STEPS_PP = (0.1, 0.3)


def revision_css(revision_pp):
    """The heatmap class of a revision: rev-zero, rev-up-1..3 or rev-down-1..3."""
    if revision_pp is None or revision_pp == 0:
        return "rev-zero"
    step = 1 + sum(abs(revision_pp) >= edge for edge in STEPS_PP)
    return f"rev-{'up' if revision_pp > 0 else 'down'}-{step}"


def revision_tables(rows):
    """One table per pair of editions: its years (newest first), and one row per ally (largest
    revision first) with a cell per year, None where the ally-year is not in both editions."""
    titles = dict(Edition.objects.values_list("slug", "title"))
    pairs = {}
    for row in rows:
        pair = pairs.setdefault(
            (row["edition"], row["previous_edition"]),
            {
                "edition": row["edition"],
                "edition_title": titles.get(row["edition"], row["edition"]),
                "previous_edition": row["previous_edition"],
                "previous_title": titles.get(row["previous_edition"], row["previous_edition"]),
                "definition_note": row["definition_note"],
                "allies": {},
            },
        )
        # Rows come largest revision first, so allies are met in that order too.
        ally = pair["allies"].setdefault(
            row["iso3"], {"iso3": row["iso3"], "name": row["name"], "largest": row, "cells": {}}
        )
        ally["cells"][row["year"]] = {**row, "css": revision_css(row["revision_pp"])}
    tables = []
    for pair in pairs.values():
        # Newest first: the years a reader looks for are in view on a phone too.
        years = sorted(
            {year for ally in pair["allies"].values() for year in ally["cells"]}, reverse=True
        )
        allies = [
            {**ally, "cells": [ally["cells"].get(year) for year in years]}
            for ally in pair["allies"].values()
        ]
        tables.append({**pair, "years": years, "allies": allies, "count": len(allies)})
    return tables


def revisions(request):
    """Every ally-year held by two editions, both shares and the revision, largest first."""
    rows = answers.revision_rows()
    return render(
        request,
        "spending/revisions.html",
        {
            "tables": revision_tables(rows),
            "largest": rows[:10],
            "row_count": len(rows),
            "steps": STEPS_PP,
        },
    )
