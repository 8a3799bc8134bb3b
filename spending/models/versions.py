"""The data version every write bumps, and the answers stored under it and the code version."""

from django.db import models
from django.db.models import Q


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


class FigureSummary(models.Model):
    """What the figures hold under a data version, for the figures API to check its parameters
    and count a page's rows without reading the figures.

    One JSON object (spending/answers.py `figure_summary`): the editions newest first with
    their first and last year, the members, and for each edition (and "" for the newest vintage
    of each member-year) each member's rows by status. Derived data, written with the stored
    answers and deleted with them.
    """

    version = models.PositiveBigIntegerField()
    code_version = models.CharField(max_length=64)
    summary = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code_version"], name="one_figure_summary_per_version"
            )
        ]

    def __str__(self):
        return f"figure summary at v{self.version}"


class PageAnswer(models.Model):
    """The maths one page shows (the overview's frames, an ally's summary and history),
    computed once per data version and code and kept for every later cold request.

    `payload` is a pickle (spending/page_answers.py) written and read only by this app, as
    Django's database cache stores its entries; `code_version` also names the pandas version
    that pickled it. Derived data: computed again whenever missing or of other code.
    """

    version = models.PositiveBigIntegerField()
    code_version = models.CharField(max_length=64)
    key = models.CharField(max_length=64)
    payload = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code_version", "key"], name="one_page_answer_per_key"
            )
        ]

    def __str__(self):
        return f"page answer {self.key} at v{self.version}"
