"""GET /api/v1/scenarios/: what it would take for an ally (or the alliance) to reach a target.

The numbers are `spending.scenario_answers.answer_scenario`'s, the same as the scenario pages.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from spending.api.dataview import DataView
from spending.api.filters import Query, Text, refusals
from spending.api.schema import EDITION_PARAMETER, detail_responses
from spending.api.serializers import PublishedFloatField
from spending.progress import scenarios
from spending.scenario_answers import PARAMETERS, ScenarioError, answer_scenario


def _float(help_text, required=True):
    return PublishedFloatField(allow_null=True, required=required, help_text=help_text)


def _optional(help_text):
    """A number only one of the two answers (member, alliance) has."""
    return _float(help_text, required=False)


class InputsSerializer(serializers.Serializer):
    member = serializers.CharField(allow_null=True, help_text="ISO3; null for the alliance.")
    target = serializers.CharField(help_text="Target slug.")
    threshold_pct = _float("The target's threshold, % of GDP.")
    deadline = serializers.IntegerField(help_text="Year the target is to be reached.")
    ramp = serializers.CharField(help_text="steady or linear.")
    gdp_growth = _float("Real GDP growth asked for, %/yr; null: each ally's own (default).")
    defence_growth = _float("Real growth of defence asked for (pace mode), %/yr; else null.")
    edition = serializers.CharField(help_text="Edition slug of the data.")


class AssumptionSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()
    source = serializers.CharField(help_text="Where the value comes from.")


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    share_of_gdp_pct = _float("Share of GDP on the path, %, unrounded.")
    share_of_gdp_rounded_pct = _float("The same rounded half-up to 2 decimals, %.")
    meets_target = serializers.BooleanField(help_text="Rounded share >= threshold.")
    gdp_usd_const2021_m = _float("GDP_Y0 x (1 + g)^(t - Y0), million USD, 2021 prices.")
    defence_usd_const2021_m = _float("share_t / 100 x GDP_t, million USD, 2021 prices.")
    extra_usd_const2021_m = _float("Defence_t - Defence_Y0, million USD, 2021 prices.")
    defence_nc_const2021_m = _float("Defence in national currency, million, 2021 prices.")
    extra_nc_const2021_m = _float("Extra in national currency, million, 2021 prices.")
    defence_real_growth_pct = _float("Real growth of defence on the year before, %.")


class AllianceYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    allies_counted = serializers.IntegerField()
    allies_meeting_target = serializers.IntegerField(help_text="Rounded share >= threshold.")
    share_of_gdp_pct = _float("The alliance's defence over its GDP, 2021 prices, %.")
    defence_usd_const2021_m = _float("Sum of the allies' defence, million USD, 2021 prices.")
    gdp_usd_const2021_m = _float("Sum of the allies' GDP, million USD, 2021 prices.")
    extra_usd_const2021_m = _float("Sum of the allies' extra, million USD, 2021 prices.")
    us_defence_usd_const2021_m = _float("United States.")
    us_gdp_usd_const2021_m = _float("United States.")
    us_extra_usd_const2021_m = _float("United States.")
    europe_canada_defence_usd_const2021_m = _float("Every ally but the United States.")
    europe_canada_gdp_usd_const2021_m = _float("Every ally but the United States.")
    europe_canada_extra_usd_const2021_m = _float("Every ally but the United States.")


class AllySummarySerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()
    mode = serializers.CharField(help_text="steady, linear or 'already met'.")
    s0 = _float("Share of GDP in Y0, %, unrounded.")
    gdp_growth_pct = _float("Real GDP growth used, %/yr.")
    gdp_growth_assumed = serializers.BooleanField(help_text="0% assumed: none comparable.")
    defence_growth_pct = _float("Real growth of defence on the steady ramp, %/yr.")
    cumulative_extra_usd_const2021_m = _float("Extra over Y0+1..deadline, million USD, 2021.")
    year_reached = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Pace mode only: first year at T at that growth; null: not by 2100.",
    )

    def to_representation(self, instance):
        # year_reached belongs to pace mode only: left out, not null, on a ramp.
        data = super().to_representation(instance)
        return {name: value for name, value in data.items() if name in instance}


class ScenarioSerializer(serializers.Serializer):
    inputs = InputsSerializer(help_text="Every input, as used (defaults filled in).")
    edition_title = serializers.CharField()
    target_name = serializers.CharField()
    sentence = serializers.CharField(help_text="The answer in one sentence.")
    assumptions = AssumptionSerializer(many=True)
    y0 = serializers.IntegerField(allow_null=True, help_text="Newest year with data.")
    deadline_year = serializers.IntegerField()
    threshold_pct = _float("Threshold, % of GDP.")
    # One member.
    iso3 = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    currency = serializers.CharField(required=False)
    mode = serializers.CharField(required=False, help_text="steady, linear, pace, already met.")
    s0 = _optional("Share of GDP in Y0, %, unrounded (member only).")
    already_met = serializers.BooleanField(required=False)
    gdp_growth_pct = _float("Real GDP growth used, %/yr (alliance: null = each ally's own).")
    gdp_growth_assumed = serializers.BooleanField(required=False)
    gdp_growth_note = serializers.CharField(required=False, allow_blank=True)
    defence_growth_pct = _optional("Real growth of defence: steady ramp's or pace's, %/yr.")
    year_reached = serializers.IntegerField(
        required=False, allow_null=True, help_text="Pace mode: first year at T; null: not by 2100."
    )
    deadline_share_of_gdp_pct = _optional("Share of GDP in the deadline year, %.")
    national_currency_per_usd = _optional("Table 1 / Table 2 at constant 2021 prices.")
    extra_in_deadline_year_usd_const2021_m = _optional("Extra in the deadline year, million USD.")
    extra_in_deadline_year_nc_const2021_m = _optional("The same in national currency, million.")
    cumulative_extra_usd_const2021_m = _float("Extra summed over Y0+1..deadline, million USD.")
    cumulative_extra_nc_const2021_m = _optional("The same in national currency, million.")
    years = serializers.ListField(child=serializers.DictField(), help_text="The yearly path.")
    # The alliance.
    allies_below_target = serializers.IntegerField(required=False)
    allies_already_met = serializers.IntegerField(required=False)
    allies_reached_by_deadline = serializers.IntegerField(
        required=False, help_text="Alliance pace mode: allies at T by the deadline year."
    )
    allies_not_reached = serializers.IntegerField(
        required=False, help_text="Alliance pace mode: allies not at T before 2100."
    )
    us_cumulative_extra_usd_const2021_m = _optional("United States, million USD, 2021 prices.")
    europe_canada_cumulative_extra_usd_const2021_m = _optional("Europe and Canada, million USD.")
    allies = AllySummarySerializer(many=True, required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        row_serializer = YearSerializer if instance["inputs"]["member"] else AllianceYearSerializer
        data["years"] = row_serializer(instance["years"], many=True).data
        kept = set(instance)
        return {name: value for name, value in data.items() if name in kept}


# Each given once and not empty; the values are checked by `answer_scenario`, as on the pages.
ScenarioQuery = type("ScenarioQuery", (Query,), {name: Text() for name in PARAMETERS})


@extend_schema(
    summary="What it would take: a path to a target by a deadline",
    description="One member (member=ISO3) or the alliance (no member): the yearly share of "
    "GDP, GDP, defence and extra spending (USD and national currency, 2021 prices) from the "
    "newest year with data to the deadline, and the totals. Ramps: steady (constant real "
    "growth of defence; equals progress/'s required_real_growth_pct_per_year) or linear. "
    "Pace mode (defence_growth): the year the target is reached at that real growth, for one "
    "member or every ally (the alliance counts them each year). Allies "
    "at or above the target keep their spending flat in real terms: extra 0.",
    parameters=[
        OpenApiParameter(
            "member",
            str,
            pattern=r"^[A-Za-z]{3}$",
            description="ISO3 code; absent for the alliance. Not ISL.",
        ),
        OpenApiParameter(
            "target",
            str,
            enum=["guideline-2pct", "core-3.5pct", "total-5pct"],
            description="Default core-3.5pct.",
        ),
        OpenApiParameter(
            "deadline",
            {"type": "integer", "minimum": 2026, "maximum": 2050},
            description="Default the target's (the year after the data if past).",
        ),
        OpenApiParameter("ramp", str, enum=list(scenarios.RAMPS), description="Default steady."),
        OpenApiParameter(
            "gdp_growth",
            {"type": "number", "minimum": -5, "maximum": 10},
            description="Real GDP growth, %/yr; default each ally's own over the "
            "5 years to its newest year.",
        ),
        OpenApiParameter(
            "defence_growth",
            {"type": "number", "minimum": -10, "maximum": 30},
            description="Pace mode: real growth of defence, %/yr (for the alliance, every "
            "ally's: each one's year_reached, and the allies at the target each year).",
        ),
        EDITION_PARAMETER,
    ],
    responses=detail_responses(ScenarioSerializer),
)
class ScenarioView(DataView):
    serializer_class = ScenarioSerializer
    query_class = ScenarioQuery

    def answer(self, request):
        try:
            return answer_scenario(self.read_query())
        except ScenarioError as error:
            raise refusals(error.errors) from error
