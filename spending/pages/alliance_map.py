"""/map/?year=: the alliance on one map, each ally linked to its page, the year in the URL."""

from django.shortcuts import render
from django.urls import reverse

from spending import charts, page_answers, progress
from spending.views import chart_years, edition_record, map_geometry, pick_year


def alliance_map(request):
    """The map for the ?year= chosen (the newest by default); a bad year is a 400 naming it."""
    # The overview's answer holds the map's (spending/page_answers.py).
    state = page_answers.overview()
    edition, members, targets = state["edition"], state["members"], state["targets"]
    years = chart_years(state["figures"])
    year, error = pick_year(request.GET, years)
    chart = csv_url = embed_path = None
    if year is not None:
        source = charts.source_line(edition_record(edition))
        chart = charts.share_map(
            map_geometry(), state["progress"], members, progress.to_records(targets), year, source
        )
        csv_url = reverse("overview-chart-csv", args=["map"]) + f"?year={year}"
        embed_path = reverse("embed-overview-chart", args=["map"]) + (
            f"?year={year}" if "year" in request.GET and not error else ""
        )
    return render(
        request,
        "spending/map.html",
        {
            "edition": edition,
            "chart": chart,
            "chart_source": charts.source_line(edition_record(edition)),
            "csv_url": csv_url,
            "embed_path": embed_path,
            "years": years,
            "year": year,
            "year_error": error,
        },
        status=400 if error else 200,
    )
