from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from members.models import Member
from spending import charts, page_answers
from spending.models import Edition


def member_detail(request, iso3):
    if iso3 != iso3.upper():
        return redirect("member-detail", iso3=iso3.upper(), permanent=True)
    members = list(Member.objects.all())
    member = get_member(iso3, members)
    edition = Edition.objects.newest()
    context = {"member": member, "edition": edition}
    if member.reports_figures and edition:
        context.update(build_member_dashboard(member, edition, members))
    return render(request, "members/member_detail.html", context)


def find_member_chart(iso3, slug):
    """(member, newest edition, chart) of one chart of an ally's page; Http404 saying why not."""
    members = list(Member.objects.all())
    member = get_member(iso3, members)
    edition = Edition.objects.newest()
    if not (member.reports_figures and edition):
        raise Http404(f"NATO publishes no figures for {member.name}.")
    dashboard = build_member_dashboard(member, edition, members)
    chart = next((c for c in dashboard["charts"] if c.slug == slug), None)
    if chart is None:
        raise Http404(f"The page of {member.name} has no chart called {slug!r}.")
    return member, edition, chart


def member_chart_csv(request, iso3, slug):
    """What one chart of the ally dashboard shows, as CSV."""
    member, edition, chart = find_member_chart(iso3, slug)
    response = HttpResponse(charts.chart_csv(chart), content_type="text/csv; charset=utf-8")
    filename = f"{member.iso3}-{slug}-{edition.slug}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def get_member(iso3, members):
    """The member with this ISO3 code among those read, or 404."""
    found = [member for member in members if member.iso3 == iso3.upper()]
    if not found:
        raise Http404(f"No NATO member has the ISO3 code {iso3!r}.")
    return found[0]


def build_member_dashboard(member, edition, members):
    """The member's summary, history and charts, from its answer (spending/page_answers.py:
    the maths done once per data version and code)."""
    state = page_answers.member(member.iso3, edition, members)
    described = state["described"]
    history = described["history"]
    target_list = described["targets"]
    source = charts.source_line({"title": edition.title, "cutoff_on": edition.cutoff_on})
    dashboard = []
    if history:
        dashboard = [
            charts.share_over_time_chart(
                history, described["summary"], target_list, member.name, source
            ),
            charts.spending_usd_chart(history, member.name, source),
            charts.equipment_chart(history, target_list, member.name, source),
            charts.breakdown_chart(history, member.name, source),
        ]
    if state["vintages"]:
        dashboard.append(
            charts.edition_changes_chart(
                state["vintages"], member.name, "Source: NATO, each edition as published."
            )
        )
    # Its row on /revisions/, where two editions hold this ally's figures.
    revisions_row_url = reverse("revisions") + f"#{member.iso3}" if state["vintages"] else None
    return {
        **described,
        "charts": dashboard,
        "chart_source": source,
        "series_breaks": state["series_breaks"],
        "revisions_row_url": revisions_row_url,
    }
