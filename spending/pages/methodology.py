"""/methodology/: definitions, formulas, sources, caveats and the targets' texts, in one page.

The formulas are those of spending/progress/ and the README's "How the numbers are computed";
the targets and editions are read from the database, so an admin's edit shows here too.
"""

from django.shortcuts import render

from spending.models import Edition, SeriesBreak, Target


def methodology(request):
    """The methodology page: the newest edition, every target and every series break held."""
    return render(
        request,
        "spending/methodology.html",
        {
            "edition": Edition.objects.newest(),
            "editions": Edition.objects.newest_first(),
            "targets": Target.objects.order_by("display_order", "slug"),
            "breaks": SeriesBreak.objects.select_related("member", "edition"),
        },
    )
