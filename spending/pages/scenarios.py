"""/scenarios/ (the alliance) and /members/<ISO3>/scenario/: what it would take, as a page.

A plain GET form: the whole state is in the URL, the page works without JavaScript (the charts
draw with it; the table under them holds the same numbers). The numbers are those of
GET /api/v1/scenarios/ with the same query (`spending.scenario_answers`).
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from members.models import Member
from spending import charts
from spending.charts.scenario import scenario_extra_chart, scenario_share_chart
from spending.progress import scenarios
from spending.scenario_answers import (
    DEFAULT_TARGET,
    PARAMETERS,
    RAMP_LABELS,
    ScenarioError,
    answer_scenario,
)

FORM_FIELDS = [name for name in PARAMETERS if name not in ("member", "edition")]


def alliance_scenario(request):
    """The alliance's scenario; a chosen member goes to that member's scenario page."""
    member = request.GET.get("member", "").strip()
    if member:
        rest = {k: v for k, v in request.GET.items() if k != "member" and v != ""}
        url = reverse("member-scenario", args=[member.upper()])
        return redirect(url + (f"?{urlencode(rest)}" if rest else ""))
    return _scenario_page(request, None)


def member_scenario(request, iso3):
    if iso3 != iso3.upper():
        return redirect(reverse("member-scenario", args=[iso3.upper()]) + _query(request.GET))
    return _scenario_page(request, iso3)


def _query(get):
    kept = {k: v for k, v in get.items() if v != ""}
    return f"?{urlencode(kept)}" if kept else ""


def _scenario_page(request, iso3):
    query = {name: request.GET.get(name, "").strip() for name in PARAMETERS}
    query["member"] = iso3 or ""
    members = list(
        Member.objects.filter(reports_figures=True).order_by("name").values("iso3", "name")
    )
    context = {
        "members": members,
        "chosen": iso3,
        "state": query,
        "ramps": RAMP_LABELS,
        "targets": [
            ("guideline-2pct", "2% (a floor)"),
            ("core-3.5pct", "3.5% core by 2035"),
            ("total-5pct", "5% in all by 2035"),
        ],
        "default_target": DEFAULT_TARGET,
        "ranges": {
            "deadline": scenarios.DEADLINE_RANGE,
            "gdp_growth": scenarios.GDP_GROWTH_RANGE_PCT,
            "defence_growth": scenarios.DEFENCE_GROWTH_RANGE_PCT,
        },
        "api_url": reverse("api:scenarios") + _query({**request.GET.dict(), "member": iso3 or ""}),
    }
    try:
        answer = answer_scenario(query, with_history=True)
    except ScenarioError as error:
        context["errors"] = error.errors
        return render(request, "spending/scenario.html", context, status=400)
    name = answer.get("name", "NATO allies")
    source = charts.source_line({"title": answer["edition_title"], "cutoff_on": None})
    share_chart = scenario_share_chart(answer["history"], answer, name, source)
    extra_chart = scenario_extra_chart(answer, name, source, answer.get("currency"))
    if request.GET.get("format") == "csv":
        response = HttpResponse(charts.chart_csv(extra_chart), content_type="text/csv")
        filename = f"scenario-{iso3 or 'alliance'}-{answer['inputs']['target']}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    page_url = request.path + _query(request.GET)
    context.update(
        answer=answer,
        name=name,
        charts=[share_chart, extra_chart],
        chart_source=source,
        csv_url=page_url + ("&" if "?" in page_url else "?") + "format=csv",
        page_url=page_url,
        # A number shown as typed: gdp_growth=1 stays "1" in the form, not "1.0".
        state={
            **query,
            **{
                k: f"{v:g}" if isinstance(v, float) else v
                for k, v in answer["inputs"].items()
                if k in FORM_FIELDS
            },
        },
    )
    return render(request, "spending/scenario.html", context)
