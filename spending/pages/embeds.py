"""/embed/…: one chart alone, with its title, source line and a link back, for other sites' frames.

Each embed takes the same state as its page (the overview's ?year=, the compare page's whole
query), and only these pages may be framed, from any site: their Content-Security-Policy says
frame-ancestors *, and they send no X-Frame-Options. Every other page keeps refusing frames.
"""

from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from members.views import find_member_chart
from spending import charts
from spending.views import build_compare, build_overview_chart, compare_query, edition_record


def frameable(view):
    """The view's pages may be framed by any site (and only its pages)."""
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))


def render_embed(request, chart, page_url, edition, csv_url=None, errors=(), status=200):
    return render(
        request,
        "spending/embed.html",
        {
            "chart": chart,
            "chart_source": charts.source_line(edition_record(edition)),
            "page_url": request.build_absolute_uri(page_url),
            "csv_url": csv_url,
            "errors": errors,
        },
        status=status,
    )


@frameable
def overview_chart_embed(request, slug):
    """One chart of the overview, for the ?year= chosen as on the overview."""
    edition, year, chart, error = build_overview_chart(request.GET, slug)
    page_url = reverse("overview") + (f"?year={year}" if "year" in request.GET else "")
    if error:
        return render_embed(request, None, page_url, edition, errors=[error], status=400)
    csv_url = reverse("overview-chart-csv", args=[slug]) + f"?year={year}"
    return render_embed(request, chart, f"{page_url}#{chart.element_id}", edition, csv_url)


@frameable
def member_chart_embed(request, iso3, slug):
    """One chart of an ally's page."""
    member, edition, chart = find_member_chart(iso3, slug)
    page_url = reverse("member-detail", args=[member.iso3]) + f"#{chart.element_id}"
    csv_url = reverse("member-chart-csv", args=[member.iso3, slug])
    return render_embed(request, chart, page_url, edition, csv_url)


@frameable
def compare_embed(request):
    """The compare chart for the same query as /compare/."""
    edition, _members, _years, state, errors, chart = build_compare(request.GET)
    query = compare_query(state)
    page_url = reverse("compare") + f"?{query}"
    if errors or chart is None:
        errors = errors or ["member: choose at least one ally."]
        return render_embed(request, None, page_url, edition, errors=errors, status=400)
    csv_url = page_url + "&" + urlencode({"format": "csv"})
    return render_embed(request, chart, page_url, edition, csv_url)
