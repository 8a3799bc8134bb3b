from django.shortcuts import render

from spending import frames, progress
from spending.models import Edition

# Columns of the overview table a reader can sort by: key -> (label, value getter, default order).
SORT_KEYS = {
    "name": lambda row, slug: row["name"],
    "share": lambda row, slug: row["share_of_gdp_pct"],
    "gap": lambda row, slug: row["targets"].get(slug, {}).get("gap_usd_m"),
    "growth": lambda row, slug: (
        row["targets"].get(slug, {}).get("required_real_growth_pct_per_year")
    ),
    "projected": lambda row, slug: row["targets"].get(slug, {}).get("projected_year"),
}


def load_alliance_state(edition):
    """Frames for every member of one edition plus the targets; four queries in all."""
    members = frames.build_members_frame()
    targets = frames.build_targets_frame()
    figures = (
        frames.build_figures_frame(edition)
        if edition
        else frames.frame_from_rows([], frames.FIGURE_COLUMNS)
    )
    return figures, members, targets


def pick_path_target(targets):
    """The target whose path the overview shows: the core GDP floor with the latest deadline."""
    core = [t for t in targets if t["measure"] == "core_share_of_gdp_pct" and t["kind"] == "floor"]
    return max(core, key=lambda t: t["deadline_year"], default=None)


def sort_rows(rows, key, descending, path_slug):
    """Rows sorted by one column; rows without a value go last whichever the direction."""
    getter = SORT_KEYS[key]
    present = [row for row in rows if getter(row, path_slug) is not None]
    absent = [row for row in rows if getter(row, path_slug) is None]
    present.sort(key=lambda row: getter(row, path_slug), reverse=descending)
    return present + absent


def overview(request):
    edition = Edition.objects.newest()
    figures, members, targets = load_alliance_state(edition)
    progress_frame = progress.build_progress_frame(figures, targets)
    summary = progress.summarise_members(
        figures, members, targets, progress=progress_frame
    ).to_dict()
    target_list = progress.to_records(targets)
    path_target = pick_path_target(target_list)
    path_slug = path_target["slug"] if path_target else None

    key = request.GET.get("sort", "name")
    if key not in SORT_KEYS:
        key = "name"
    descending = request.GET.get("dir", "desc" if key == "share" else "asc") == "desc"
    rows = sort_rows(list(summary.values()), key, descending, path_slug)

    counts = progress.count_allies_meeting(progress_frame, figures, members)
    alliance = progress.build_alliance_frame(figures, members)
    headline = build_headline(counts, alliance, target_list)
    return render(
        request,
        "spending/overview.html",
        {
            "edition": edition,
            "rows": rows,
            "targets": target_list,
            "path_target": path_target,
            "sort": key,
            "descending": descending,
            "headline": headline,
            "member_count": len(rows),
            "reporting_count": sum(1 for row in rows if row["reports_figures"]),
        },
    )


def build_headline(counts, alliance, targets):
    """Headline numbers for the newest year: allies meeting each target, alliance totals."""
    if alliance.empty:
        return None
    latest = progress.to_records(alliance.tail(1))[0]
    year = latest["year"]
    per_target = {row["target"]: row for row in progress.to_records(counts[counts["year"] == year])}
    return {
        "year": year,
        "status": latest["status"],
        "alliance": latest,
        "targets": [{**target, **per_target.get(target["slug"], {})} for target in targets],
    }
