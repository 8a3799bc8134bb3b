"""Output shapes of the public API v1: they document and shape, they compute nothing.

Every number is made by `spending.progress` before it gets here.
"""

from rest_framework import serializers

from members.models import FiscalYear
from spending.fields import VALUE_FIELDS
from spending.models import (
    Basis,
    Kind,
    Measure,
    Status,
    YearlyFigure,
)
from spending.precision import round_field

SHARE_HELP = (
    "Defence expenditure as % of GDP computed by the app: 100 x defence (USD, 2021 prices) / "
    "GDP (USD, 2021 prices), NATO's Table 3 definition, not rounded."
)


class PublishedFloatField(serializers.FloatField):
    """A number rounded once, here at the edge, to its field's published precision
    (`spending.precision`): an integer when whole, never float noise."""

    def to_representation(self, value):
        return round_field(self.field_name, value)


def _float(help_text):
    return PublishedFloatField(allow_null=True, help_text=help_text)


def _note(help_text):
    return serializers.CharField(allow_blank=True, help_text=help_text)


def _metric_fields():
    """One nullable float per stored metric, described with its unit from the model."""
    fields = {}
    for name in VALUE_FIELDS:
        verbose = YearlyFigure._meta.get_field(name).verbose_name
        fields[name] = _float(f"{verbose[0].upper()}{verbose[1:]}; null where NATO prints none.")
    return fields


class ErrorSerializer(serializers.Serializer):
    parameter = serializers.CharField(help_text="The query parameter or path part at fault.")
    value = serializers.CharField(allow_null=True, help_text="The value given, if any.")
    message = serializers.CharField(help_text="What was wrong.")
    allowed = serializers.CharField(help_text="What is allowed instead.")


class ProblemSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Summary of the problem.")
    errors = ErrorSerializer(many=True, required=False, help_text="One entry per bad parameter.")


class LinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    figures = serializers.URLField(help_text="This member's figures (figures/?member=).")
    progress = serializers.URLField(help_text="This member's progress (progress/?member=).")
    history = serializers.URLField(help_text="One metric across editions (history/?metric=).")
    page = serializers.URLField(help_text="The member's page on this site.")


class MemberSerializer(serializers.Serializer):
    iso3 = serializers.CharField(help_text="ISO 3166 alpha-3 code, upper case.")
    iso2 = serializers.CharField(help_text="ISO 3166 alpha-2 code, upper case.")
    name = serializers.CharField()
    nato_name = serializers.CharField(help_text="Name in NATO's tables.")
    accession_date = serializers.DateField(help_text="Date the member joined NATO.")
    reports_figures = serializers.BooleanField(
        help_text="False where NATO publishes no figures (Iceland: no armed forces)."
    )
    fiscal_year = serializers.ChoiceField(choices=FiscalYear.choices)
    currency = serializers.CharField(help_text="National currency (ISO 4217).")
    notes = serializers.CharField()
    edition = serializers.CharField(
        allow_null=True, help_text="Slug of the edition the latest figures come from."
    )
    latest_year = serializers.IntegerField(
        allow_null=True, help_text="Newest NATO year with a share of GDP; null for Iceland."
    )
    latest_status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    latest_share_of_gdp_pct = _float(SHARE_HELP)
    latest_share_of_gdp_rounded_pct = _float("The same share rounded half-up to 2 decimals, %.")
    latest_rank = serializers.IntegerField(
        allow_null=True, help_text="Rank among the allies of that year (1 = highest share)."
    )
    links = LinksSerializer()


class EditionSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Identifier used by ?edition=.")
    title = serializers.CharField()
    publisher = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    cutoff_on = serializers.DateField(allow_null=True, help_text="Data cut-off date.")
    price_base_year = serializers.IntegerField(help_text="Base year of constant prices.")
    url = serializers.CharField(help_text="Where NATO publishes this edition.")
    notes = serializers.CharField()
    first_year = serializers.IntegerField(allow_null=True)
    last_year = serializers.IntegerField(allow_null=True)
    figure_count = serializers.IntegerField(help_text="Number of ally-years held.")
    is_newest = serializers.BooleanField(help_text="The default edition of progress/, alliance/.")


class TargetSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="Key of this target in progress/ targets.")
    name = serializers.CharField()
    threshold_pct = PublishedFloatField(help_text="Threshold in % (of GDP or of defence).")
    basis = serializers.ChoiceField(choices=Basis.choices)
    measure = serializers.ChoiceField(choices=Measure.choices)
    kind = serializers.ChoiceField(choices=Kind.choices, help_text="floor: at least; ceiling.")
    adopted = serializers.CharField(help_text="Summit that adopted it.")
    adopted_year = serializers.IntegerField()
    deadline_year = serializers.IntegerField()
    description = serializers.CharField()
    source_url = serializers.CharField()


FigureSerializer = type(
    "FigureSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "One member-year of one edition: every stored metric and the computed share.",
        "iso3": serializers.CharField(),
        "year": serializers.IntegerField(help_text="NATO year (fiscal years labelled by NATO)."),
        "edition": serializers.CharField(help_text="Slug of the edition holding this row."),
        "status": serializers.ChoiceField(choices=Status.choices),
        **_metric_fields(),
        "share_of_gdp_pct": _float(SHARE_HELP),
    },
)


class TargetProgressSerializer(serializers.Serializer):
    met = serializers.BooleanField(
        allow_null=True, help_text="Value rounded half-up to 2 decimals >= threshold (floor)."
    )
    value_pct = _float("The measured value, %.")
    value_rounded_pct = _float("The value as NATO prints it (2 decimals), %.")
    threshold_pct = _float("The target's threshold, %.")
    gap_pp = _float("max(0, threshold - rounded value), percentage points (0 when met).")
    gap_usd_m = _float(
        "max(0, threshold/100 x GDP - defence), million USD at current prices; GDP floors only."
    )
    margin_pp = _float("Met: rounded value - threshold, points above the target; else null.")
    margin_usd_m = _float(
        "Met: defence - threshold/100 x GDP, million USD at current prices above the target; "
        "null when not met or short in current prices; GDP floors only."
    )
    first_year_met = serializers.IntegerField(allow_null=True)
    consecutive_years_met = serializers.IntegerField(allow_null=True)
    required_pp_per_year = _float(
        "(threshold - s0) / years to the deadline, pp per year; null when already met."
    )
    required_pp_note = _note("Why required_pp_per_year is null (e.g. 'already met').")
    required_real_growth_pct_per_year = _float(
        "Yearly real growth of defence spending that reaches the threshold by the deadline "
        "given the last 5 years' GDP growth, %; null when already met or not computable."
    )
    required_real_growth_signed_pct_per_year = _float(
        "The same rate unclipped: negative when already met (the fall the target would allow)."
    )
    required_real_growth_note = _note("Why required_real_growth_pct_per_year is null.")
    gdp_growth_pct = _float(
        "Compound real GDP growth over the 5 years to the base year, %; never across a series "
        "break."
    )
    gdp_growth_note = _note("Why gdp_growth_pct is null (a series break, too few years).")
    trend_slope_pp_per_year = _float(
        "Least-squares slope over the last 6 years, pp per year; never across a series break."
    )
    projected_year = serializers.IntegerField(
        allow_null=True, help_text="Year the trend line reaches the threshold; null if never."
    )
    trend_note = _note("Why there is no trend or projected year ('already met', a break...).")
    break_year = serializers.IntegerField(
        allow_null=True,
        help_text="First year of a new series (e.g. Luxembourg's GNI from 2023) up to the base "
        "year; growth and trends use only years from it on.",
    )
    break_reason = _note("The series break explained for readers, with its source.")
    note = _note("Caveats on the verdict; empty when none.")
    path_note = _note("Caveats on the path figures.")


class ProgressSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()
    reports_figures = serializers.BooleanField()
    edition = serializers.CharField(allow_null=True)
    year = serializers.IntegerField(
        allow_null=True,
        help_text="Year of the values: the requested year, or the member's newest year "
        "with data up to it; null for Iceland.",
    )
    status = serializers.ChoiceField(choices=Status.choices, allow_null=True)
    share_of_gdp_pct = _float(SHARE_HELP)
    share_of_gdp_rounded_pct = _float("The share rounded half-up to 2 decimals, %.")
    equipment_share_pct = _float("Major equipment incl. related R&D, % of defence spending.")
    rank = serializers.IntegerField(allow_null=True)
    note = serializers.CharField(help_text="Why there are no verdicts, when there are none.")
    targets = serializers.DictField(
        child=TargetProgressSerializer(),
        help_text="By target slug; empty where NATO publishes no figures (Iceland).",
    )


class TargetCountSerializer(serializers.Serializer):
    allies_met = serializers.IntegerField()
    allies_with_data = serializers.IntegerField()
    allies_not_met = serializers.IntegerField()


class AllianceSerializer(serializers.Serializer):
    edition = serializers.CharField()
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    allies_with_data = serializers.IntegerField(help_text="Allies of that year with a share.")
    defence_usd_current_m = _float("Sum of the allies' defence, million USD, current prices.")
    defence_usd_const2021_m = _float("The same at 2021 prices, million USD.")
    gdp_usd_current_m = _float("Sum of the allies' GDP, million USD, current prices.")
    gdp_usd_const2021_m = _float("The same at 2021 prices, million USD.")
    share_of_gdp_pct = _float("Alliance defence / alliance GDP at 2021 prices, %.")
    us_defence_usd_current_m = _float("United States, million USD, current prices.")
    us_defence_usd_const2021_m = _float("United States, million USD, 2021 prices.")
    europe_canada_defence_usd_current_m = _float("Europe and Canada, million USD, current.")
    europe_canada_defence_usd_const2021_m = _float("Europe and Canada, million USD, 2021.")
    us_share_of_alliance_defence_pct = _float("US share of alliance defence (current), %.")
    europe_canada_share_of_alliance_defence_pct = _float("Europe and Canada's share, %.")
    us_share_of_gdp_pct = _float("US defence / US GDP at 2021 prices, %.")
    europe_canada_share_of_gdp_pct = _float("Europe and Canada defence / GDP at 2021 prices, %.")
    military_personnel_k = _float("Military personnel, thousands.")
    targets = serializers.DictField(
        child=TargetCountSerializer(), help_text="Allies meeting each target, by target slug."
    )


class HistorySerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    metric = serializers.CharField()
    year = serializers.IntegerField()
    edition = serializers.CharField(help_text="Edition (vintage) holding this value.")
    status = serializers.ChoiceField(choices=Status.choices)
    value = _float("The metric's value in this edition, in the metric's unit.")
    previous_edition = serializers.CharField(
        allow_null=True, help_text="The older edition this value revises, if any."
    )
    previous_value = _float("Its value in the previous edition.")
    revision = _float(
        "value - previous_value, in the metric's unit, rounded as the metric is published "
        "(points of a share: 2 decimals)."
    )

    def to_representation(self, row):
        data = super().to_representation(row)
        # A revision is published at its metric's precision, never as float noise such as
        # -5.9e-05 points between a computed share and NATO's printed one.
        metric = row["metric"]
        name = f"{metric}_revision_pp" if metric.endswith("_pct") else metric
        data["revision"] = round_field(name, row["revision"])
        return data
