from django.http import Http404
from django.shortcuts import redirect, render

from members.models import Member
from spending import progress
from spending.models import Edition
from spending.views import load_alliance_state


def member_detail(request, iso3):
    if iso3 != iso3.upper():
        return redirect("member-detail", iso3=iso3.upper(), permanent=True)
    try:
        member = Member.objects.by_code(iso3)
    except Member.DoesNotExist:
        raise Http404(f"No NATO member has the ISO3 code {iso3!r}.") from None
    edition = Edition.objects.newest()
    context = {"member": member, "edition": edition}
    if member.reports_figures and edition:
        figures, members, targets = load_alliance_state(edition)
        context.update(progress.describe_member(figures, members, targets, member.iso3))
    return render(request, "members/member_detail.html", context)
