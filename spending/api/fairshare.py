"""GET /api/v1/fair-share/: each ally's share of the alliance's defence spending against its
share of the alliance's GDP, per year, and the United States against Europe and Canada.

The numbers are `spending.progress.build_fair_share_frame`'s (through
`spending.answers.fair_share_rows`), the same as the overview's fair-share chart. Computed per
request from one edition's figures: three queries with the data version.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from spending import answers, frames
from spending.api.dataview import ListView
from spending.api.filters import EditionQuery
from spending.api.schema import EDITION_PARAMETER, list_parameters, list_responses
from spending.api.serializers import PublishedFloatField
from spending.models import Status
from spending.progress.fairshare import FAIR_SHARE_COLUMNS, GROUPS

ROW_KINDS = [("ally", "a member"), ("group", "the United States, or Europe and Canada")]


def _float(help_text):
    return PublishedFloatField(allow_null=True, help_text=help_text)


def _share(measure, basis, rounded=False):
    prices = "current prices" if basis == "current" else "2021 prices"
    what = "defence spending" if measure == "defence" else "GDP"
    text = f"Share of the alliance's {what}, USD at {prices}, %"
    return _float(text + (", rounded to 2 decimals." if rounded else ", unrounded."))


class FairShareSerializer(serializers.Serializer):
    edition = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.ChoiceField(
        choices=ROW_KINDS, help_text="ally (a member) or group (US; Europe and Canada)."
    )
    iso3 = serializers.CharField(allow_null=True, help_text="The member; null for a group.")
    name = serializers.CharField()
    group = serializers.ChoiceField(
        choices=list(GROUPS.items()), help_text="The group, or the ally's group."
    )
    status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    counted = serializers.BooleanField(
        help_text="In the alliance's sums that year (an ally from its accession, with amounts)."
    )
    allies_counted = serializers.IntegerField(
        allow_null=True, help_text="Group rows: allies summed; null for an ally."
    )
    defence_usd_current_m = _float("Defence, million USD, current prices.")
    defence_usd_const2021_m = _float("Defence, million USD, 2021 prices.")
    gdp_usd_current_m = _float("GDP, million USD, current prices.")
    gdp_usd_const2021_m = _float("GDP, million USD, 2021 prices.")
    share_of_gdp_pct = _float("Defence / GDP at 2021 prices, %, unrounded.")
    share_of_alliance_defence_current_pct = _share("defence", "current")
    share_of_alliance_defence_current_rounded_pct = _share("defence", "current", True)
    share_of_alliance_gdp_current_pct = _share("gdp", "current")
    share_of_alliance_gdp_current_rounded_pct = _share("gdp", "current", True)
    share_of_alliance_defence_const2021_pct = _share("defence", "const2021")
    share_of_alliance_defence_const2021_rounded_pct = _share("defence", "const2021", True)
    share_of_alliance_gdp_const2021_pct = _share("gdp", "const2021")
    share_of_alliance_gdp_const2021_rounded_pct = _share("gdp", "const2021", True)
    fair_share_ratio_current = _float(
        "Share of alliance defence / share of alliance GDP, current prices (> 1: more than "
        "its economy's weight)."
    )
    fair_share_ratio_const2021 = _float("The same at 2021 prices.")
    defence_per_capita_const2021_usd = _float(
        "NATO Table 6, USD per head at 2021 prices; null for a group (NATO prints none here)."
    )
    note = serializers.CharField(
        allow_blank=True, help_text="Why a row is not counted (Iceland: not applicable)."
    )


@extend_schema(
    summary="Fair share: shares of the alliance's defence spending and GDP, by year",
    description="For each year of one edition (default: the newest), one row per member "
    "(kind ally) and one for the United States and one for Europe and Canada (kind group): "
    "shares of the alliance's defence spending and of its GDP at current and 2021 prices and "
    "their ratio. Allies count from their accession year, as alliance/ sums. Iceland: NATO "
    "publishes no figures, so its rows hold nulls and a note (not applicable), never zeros, "
    "and it is in neither sum. The allies' shares, like the two groups', add up to 100%.",
    parameters=list_parameters(
        OpenApiParameter("year", int, description="One year only."), EDITION_PARAMETER
    ),
    responses=list_responses(FairShareSerializer),
)
class FairShareList(ListView):
    serializer_class = FairShareSerializer
    query_class = EditionQuery
    csv_columns = ["edition", *FAIR_SHARE_COLUMNS]
    csv_filename = "nato-fair-share.csv"

    def answer(self, request):
        members = frames.build_members_frame()
        slug = request.query_params.get("edition") or None
        editions, edition, figures = frames.build_edition_figures_frames(slug)
        years = sorted(figures["year"].unique())
        year = self.read_query(editions=list(editions["slug"]), years=years).get("year")
        if year is not None:
            figures = figures[figures["year"] == year]
        return answers.fair_share_rows(edition, figures, members)
