"""Editions (vintages) and their yearly figures, of allies and of NATO's aggregates."""

from django.db import models
from django.db.models import Q

from members.models import Member
from spending.fields import (
    AMOUNT_FIELDS,
    NEWEST_EDITION_FIRST,
    SHARE_FIELDS,
    newest_edition_first,
)


class Status(models.TextChoices):
    ACTUAL = "actual", "actual"
    ESTIMATE = "estimate", "estimate"


class EditionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by(*NEWEST_EDITION_FIRST)

    def newest(self):
        """The newest edition by data cut-off date, or None."""
        return self.newest_first().first()

    def years_held(self):
        """(slug, first year, last year) of each edition, newest first; years None where an
        edition holds no figures. One query, each edition's years read from the ends of the
        (edition, year) index, not a scan."""
        held = YearlyFigure.objects.filter(edition=models.OuterRef("pk")).values("year")
        return list(
            self.newest_first()
            .annotate(
                first_year=models.Subquery(held.order_by("year")[:1]),
                last_year=models.Subquery(held.order_by("-year")[:1]),
            )
            .values_list("slug", "first_year", "last_year")
        )


class Edition(models.Model):
    """One publication of figures: a vintage, never spliced with another."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    published_on = models.DateField(null=True, blank=True)
    cutoff_on = models.DateField("data cut-off", null=True, blank=True)
    price_base_year = models.PositiveSmallIntegerField()
    url = models.URLField(max_length=500, blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = list(NEWEST_EDITION_FIRST)

    def __str__(self):
        return self.title


def _figure_constraints(prefix):
    checks = [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 0}) | Q(**{f"{name}__isnull": True}),
            name=f"{prefix}_{name}_not_negative",
        )
        for name in AMOUNT_FIELDS
    ]
    checks += [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": 0, f"{name}__lte": 100})
            | Q(**{f"{name}__isnull": True}),
            name=f"{prefix}_{name}_0_100",
        )
        for name in SHARE_FIELDS
    ]
    return checks


class Figures(models.Model):
    """The metrics NATO publishes per ally-year; null where NATO prints none."""

    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices)
    defence_nc_current_m = models.FloatField(
        "defence, million national currency, current prices", null=True, blank=True
    )
    defence_nc_const2021_m = models.FloatField(
        "defence, million national currency, 2021 prices", null=True, blank=True
    )
    defence_usd_current_m = models.FloatField(
        "defence, million USD, current prices and exchange rates", null=True, blank=True
    )
    defence_usd_const2021_m = models.FloatField(
        "defence, million USD, 2021 prices and exchange rates", null=True, blank=True
    )
    nato_share_of_gdp_pct = models.FloatField(
        "NATO's published share of GDP, % (Table 3)", null=True, blank=True
    )
    nato_real_change_pct = models.FloatField(
        "NATO's published annual real change, % (Table 3)", null=True, blank=True
    )
    gdp_usd_current_m = models.FloatField("GDP, million USD, current prices", null=True, blank=True)
    gdp_usd_const2021_m = models.FloatField("GDP, million USD, 2021 prices", null=True, blank=True)
    gdp_per_capita_const2021_kusd = models.FloatField(
        "GDP per capita, thousand USD, 2021 prices", null=True, blank=True
    )
    defence_per_capita_const2021_usd = models.FloatField(
        "defence per capita, USD, 2021 prices", null=True, blank=True
    )
    military_personnel_k = models.FloatField("military personnel, thousands", null=True, blank=True)
    equipment_share_pct = models.FloatField(
        "equipment incl. related R&D, % of defence", null=True, blank=True
    )
    personnel_share_pct = models.FloatField("personnel, % of defence", null=True, blank=True)
    infrastructure_share_pct = models.FloatField(
        "infrastructure, % of defence", null=True, blank=True
    )
    other_share_pct = models.FloatField("other, % of defence", null=True, blank=True)

    class Meta:
        abstract = True


class YearlyFigureQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)

    def for_member(self, iso3):
        return self.filter(member__iso3=iso3.upper())

    def newest_vintage_first(self, *then):
        """Ordered by `then`, each member-year's figures from the newest edition first."""
        return self.order_by(*then, *newest_edition_first("edition__"))

    def newest_vintage_of_outer(self):
        """Subquery: the newest edition holding the outer figure's member-year, never spliced."""
        return (
            self.filter(member=models.OuterRef("member"), year=models.OuterRef("year"))
            .newest_vintage_first()
            .values("edition")[:1]
        )

    def matching(
        self, iso3s=None, years=None, year_min=None, year_max=None, status=None, edition=None
    ):
        """The figures the API's filters select; a filter left at None selects everything."""
        queryset = self
        if iso3s:
            queryset = queryset.filter(member__iso3__in=iso3s)
        if years:
            queryset = queryset.filter(year__in=years)
        if year_min is not None:
            queryset = queryset.filter(year__gte=year_min)
        if year_max is not None:
            queryset = queryset.filter(year__lte=year_max)
        if status:
            queryset = queryset.filter(status=status)
        if edition:
            queryset = queryset.filter(edition__slug=edition)
        return queryset


class YearlyFigure(Figures):
    """One ally's figures for one NATO year in one edition."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="figures")
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="figures")
    related_usd_current_m = models.FloatField(
        "defence- and security-related spending, million USD, current prices",
        null=True,
        blank=True,
        help_text="The Hague 2025 'up to 1.5% of GDP' category. Not published by NATO yet.",
    )
    source_id = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    # Derived: True where no newer edition holds this member-year. Set for every row by
    # `spending.writes.record_write()` in each writing transaction (the API's figures/ default).
    newest = models.BooleanField(default=False, editable=False)

    objects = YearlyFigureQuerySet.as_manager()

    class Meta:
        ordering = ["member__name", "year"]
        # An edition's first and last year, read from the index's ends.
        indexes = [models.Index(fields=["edition", "year"], name="figure_edition_year")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "edition"], name="unique_figure_per_member_year_edition"
            ),
            models.CheckConstraint(
                condition=Q(related_usd_current_m__gte=0) | Q(related_usd_current_m__isnull=True),
                name="figure_related_usd_current_m_not_negative",
            ),
            *_figure_constraints("figure"),
        ]

    def __str__(self):
        return f"{self.member.iso3} {self.year} ({self.edition.slug})"


class Aggregate(models.TextChoices):
    NATO_TOTAL = "NATO_TOTAL", "NATO Total"
    EUROPE_CANADA = "NATO_EUR_CAN", "NATO Europe and Canada"


class AggregateFigure(Figures):
    """NATO's own published aggregate rows, kept to check the app's sums against."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="aggregates")
    aggregate = models.CharField(max_length=12, choices=Aggregate.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["aggregate", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["aggregate", "year", "edition"], name="unique_aggregate_per_year_edition"
            ),
            *_figure_constraints("aggregate"),
        ]

    def __str__(self):
        return f"{self.get_aggregate_display()} {self.year} ({self.edition.slug})"
