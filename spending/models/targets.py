"""The spending targets and the breaks in a series that growth and trends must not span."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from members.models import Member
from spending.models.figures import Edition


class Basis(models.TextChoices):
    GDP = "gdp", "share of GDP"
    DEFENCE = "defence", "share of defence spending"


class Measure(models.TextChoices):
    CORE_SHARE_OF_GDP = "core_share_of_gdp_pct", "core defence spending, % of GDP"
    EQUIPMENT_SHARE = "equipment_share_pct", "major equipment incl. R&D, % of defence spending"
    TOTAL_SHARE_OF_GDP = (
        "total_share_of_gdp_pct",
        "core plus defence- and security-related spending, % of GDP",
    )


class Kind(models.TextChoices):
    FLOOR = "floor", "floor (at least)"
    CEILING = "ceiling", "ceiling (at most)"


class Target(models.Model):
    """A spending target agreed at a summit; data, editable in the admin."""

    # Slugs such as "core-3.5pct" carry the threshold, dot included.
    slug = models.CharField(
        max_length=50,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9.-]*$", "Use lower-case letters, digits, dots and hyphens."
            )
        ],
    )
    name = models.CharField(max_length=100)
    threshold_pct = models.FloatField()
    basis = models.CharField(max_length=10, choices=Basis.choices)
    measure = models.CharField(max_length=30, choices=Measure.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FLOOR)
    adopted = models.CharField("adopted at", max_length=100)
    adopted_year = models.PositiveSmallIntegerField()
    deadline_year = models.PositiveSmallIntegerField()
    description = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_pct__gt=0, threshold_pct__lte=100),
                name="target_threshold_0_100",
            ),
            models.CheckConstraint(
                condition=Q(deadline_year__gte=models.F("adopted_year")),
                name="target_deadline_after_adoption",
            ),
        ]

    def __str__(self):
        return self.name


class Series(models.TextChoices):
    """The series a break cuts, and with it every measure built on that series."""

    GDP = "gdp", "GDP (the denominator of every share of GDP, and GDP growth)"
    DEFENCE = "defence", "defence expenditure (every share of GDP and of defence)"
    EQUIPMENT = "equipment", "major equipment share of defence spending"


class SeriesBreakQuerySet(models.QuerySet):
    def within_series(self):
        """Breaks inside one member's series (not an edition's change of definition)."""
        return self.filter(member__isnull=False, year__isnull=False)

    def edition_wide(self):
        """Changes of definition that make an edition's figures incomparable with older ones."""
        return self.filter(member__isnull=True, edition__isnull=False)


class SeriesBreak(models.Model):
    """A point where a series changes meaning, so values before and after it are not comparable.

    With a member and a year: that member's series changes from that year on (in every
    edition, or only in `edition` when set); growth, trends and projections never span it.
    With an edition and no member: that edition changed a definition for every ally, so its
    figures are not comparable with older editions' (a revision, not a change in spending).
    """

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="series_breaks"
    )
    series = models.CharField(max_length=12, choices=Series.choices)
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="First year of the new series (with a member)."
    )
    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="series_breaks",
        help_text="Only in this edition; for an edition-wide change, the edition that made it.",
    )
    reason = models.TextField(help_text="Written for readers: what changed and why it matters.")
    source = models.CharField(max_length=300, help_text="Who says so, named for readers.")
    source_url = models.URLField(max_length=500, blank=True)

    objects = SeriesBreakQuerySet.as_manager()

    class Meta:
        ordering = ["member__iso3", "year", "series"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member__isnull=False, year__isnull=False)
                | Q(member__isnull=True, year__isnull=True, edition__isnull=False),
                name="series_break_member_year_or_edition",
            ),
        ]

    def __str__(self):
        where = self.member.iso3 if self.member_id else f"edition {self.edition}"
        return f"{where}: {self.get_series_display()} break" + (
            f" in {self.year}" if self.year else ""
        )
