from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from members.models import Member
from spending.fields import (  # noqa: F401  (the field lists, also read as models.X)
    AMOUNT_FIELDS,
    CHANGE_FIELDS,
    METRIC_FIELDS,
    NEWEST_EDITION_FIRST,
    RELATED_FIELD,
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


def as_aware_datetime(value):
    """A datetime column read with plain SQL: SQLite gives text, PostgreSQL an aware datetime."""
    from datetime import UTC

    from django.utils.dateparse import parse_datetime

    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


class DataVersion(models.Model):
    """One row counting every write to figures, editions, members or targets.

    Caches and ETags key on it, so a new import or an admin's edit is visible at once.
    """

    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    SINGLETON_ID = 1

    def __str__(self):
        return f"data version {self.version}"

    @classmethod
    def lock(cls):
        """Take the data version's row lock until the transaction ends: writers queue here."""
        locked = cls.objects.select_for_update().filter(pk=cls.SINGLETON_ID).values_list("pk")
        if not locked:
            cls.objects.get_or_create(pk=cls.SINGLETON_ID)
            list(locked.all())

    @classmethod
    def bump(cls):
        """Counts one more write and returns the new version.

        Only `spending.writes.record_write()` calls it, in the writing transaction, with the
        answers stored under the new version.
        """
        from django.utils import timezone

        updated = cls.objects.filter(pk=cls.SINGLETON_ID).update(
            version=models.F("version") + 1, changed_at=timezone.now()
        )
        if not updated:
            cls.objects.get_or_create(pk=cls.SINGLETON_ID, defaults={"version": 1})
        return cls.current()[0]

    @classmethod
    def current(cls):
        """(version, changed_at) of the data, (0, None) before anything was loaded; one query.

        Plain SQL: every page and API request asks, and on a cached answer building the ORM
        query cost more than running it.
        """
        from django.db import connection

        table = connection.ops.quote_name(cls._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT version, changed_at FROM {table} WHERE id = %s", [cls.SINGLETON_ID]
            )
            row = cursor.fetchone()
        if row is None:
            return 0, None
        version, changed_at = row
        return version, as_aware_datetime(changed_at)


class StoredAnswer(models.Model):
    """A row of an answer derived from the data, as the API shows it, stored under the data
    version and the code version that computed it.

    Derived data, written by `spending.writes.record_write()` in the same transaction as the
    figures (see spending/answers.py), so reading an answer costs one query instead of the
    whole computation. Rows of any other version are deleted when new ones are stored.
    """

    version = models.PositiveBigIntegerField()
    code_version = models.CharField(max_length=64)
    edition = models.SlugField()
    newest_edition = models.BooleanField()
    # The API's JSON row as text: its key order is the API's (PostgreSQL's jsonb would sort
    # the keys, and a CSV's columns follow them).
    row = models.TextField()

    class Meta:
        abstract = True


class ProgressAnswer(StoredAnswer):
    """One member's progress row of one edition, as of one year (None: its newest year)."""

    year = models.PositiveSmallIntegerField(null=True)
    iso3 = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code_version", "edition", "year", "iso3"],
                name="one_progress_row_per_member_and_year",
            ),
            models.UniqueConstraint(
                fields=["version", "code_version", "edition", "iso3"],
                condition=Q(year__isnull=True),
                name="one_newest_progress_row_per_member",
            ),
        ]
        indexes = [
            models.Index(
                fields=["version", "code_version", "newest_edition", "year", "iso3"],
                name="progress_answer_lookup",
            )
        ]

    def __str__(self):
        return f"{self.iso3} progress ({self.edition}, {self.year or 'newest'}) at v{self.version}"


class AllianceAnswer(StoredAnswer):
    """The alliance's row of one edition and year."""

    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code_version", "edition", "year"],
                name="one_alliance_row_per_year",
            )
        ]

    def __str__(self):
        return f"alliance {self.year} ({self.edition}) at v{self.version}"


class ImportBatch(models.Model):
    """One upload of figures (or the undoing of one): its file, its preview and its outcome.

    The preview lives here, in the database, so a preview made on one app server can be
    confirmed on another.
    """

    class State(models.TextChoices):
        INVALID = "invalid", "refused: errors in the file"
        PREVIEWED = "previewed", "previewed, not applied"
        APPLIED = "applied", "applied"
        ROLLED_BACK = "rolled_back", "rolled back"

    class Kind(models.TextChoices):
        UPLOAD = "upload", "upload"
        ROLLBACK = "rollback", "rollback"

    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.UPLOAD)
    status = models.CharField(max_length=12, choices=State.choices)
    # The audit's who: the account while it exists, and its user name copied when the batch is
    # written, so the history still names them after the account is deleted (the key goes null).
    created_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_by_name = models.CharField(max_length=150, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    file_format = models.CharField(max_length=12, blank=True)
    sheet = models.CharField(max_length=100, blank=True)
    metric = models.CharField(max_length=40, blank=True)
    # The edition written to; null once a rolled-back new edition was removed again.
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_batches"
    )
    edition_slug = models.SlugField()
    # The fields of an edition this batch creates on apply; empty for a revision.
    new_edition = models.JSONField(null=True, blank=True)
    created_edition = models.BooleanField(default=False)
    counts = models.JSONField(default=dict)
    preview = models.JSONField(default=dict)
    rolls_back = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rolled_back_by"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "import"
        verbose_name_plural = "imports"
        # Each step of an import is its own right (spending/access.py); the group "Figures
        # importer" (migration 0006) holds all three, and is_staff alone grants none.
        permissions = [
            ("preview_import", "Can upload and preview an import"),
            ("apply_import", "Can apply a previewed import"),
            ("rollback_import", "Can roll back an applied import"),
        ]

    def __str__(self):
        if self.kind == self.Kind.ROLLBACK:
            return f"Import #{self.pk}: rollback of #{self.rolls_back_id}"
        return f"Import #{self.pk}: {self.file_name} into {self.edition_slug}"

    def save(self, *args, **kwargs):
        # Copying the names here covers every path that records a who (upload, apply, rollback,
        # admin, API, command) without each having to remember it; the name is the one the
        # account had when it acted, kept if the account is renamed later.
        copied = []
        for key in ("created_by", "applied_by"):
            user = getattr(self, key) if getattr(self, f"{key}_id") else None
            if user is not None and not getattr(self, f"{key}_name"):
                setattr(self, f"{key}_name", user.get_username())
                copied.append(f"{key}_name")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *copied}
        super().save(*args, **kwargs)

    @property
    def uploaded_by(self):
        """Who uploaded: the user name, marked when the account is gone; or the command line."""
        return who(self.created_by_id, self.created_by_name)

    @property
    def confirmed_by(self):
        """Who applied: the user name, marked when the account is gone; or the command line."""
        return who(self.applied_by_id, self.applied_by_name)


def who(user_id, name):
    if not name:
        return "the command line"
    return name if user_id else f"{name} (account deleted)"


class ImportChange(models.Model):
    """One value an applied batch wrote, with the value it replaced, so it can be undone."""

    class Action(models.TextChoices):
        UPDATE = "update", "update"
        CREATE = "create", "row created"
        DELETE = "delete", "row deleted"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aggregate = models.CharField(max_length=12, choices=Aggregate.choices, blank=True)
    year = models.PositiveSmallIntegerField()
    field = models.CharField(max_length=40)
    action = models.CharField(max_length=6, choices=Action.choices, default=Action.UPDATE)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(aggregate=""))
                | (Q(member__isnull=True) & ~Q(aggregate="")),
                name="import_change_member_or_aggregate",
            ),
            models.UniqueConstraint(
                fields=["batch", "member", "aggregate", "year", "field"],
                name="unique_import_change_per_cell",
            ),
        ]

    def __str__(self):
        who = self.member_id or self.aggregate
        return f"{who} {self.year} {self.field}: {self.old_value!r} → {self.new_value!r}"
