from django.db import models


class FiscalYear(models.TextChoices):
    # NATO labels a fiscal year by the calendar year holding most of its months
    # ("Note to readers", Defence Expenditure of NATO Countries 2014-2026).
    CALENDAR = "calendar", "January–December"
    APRIL_MARCH = "april-march", "April–March (NATO year Y = fiscal year Y/Y+1)"
    OCTOBER_SEPTEMBER = (
        "october-september",
        "October–September (NATO year Y = fiscal year ending September Y)",
    )


class MemberQuerySet(models.QuerySet):
    def reporting(self):
        """Allies for which NATO publishes figures (all but Iceland)."""
        return self.filter(reports_figures=True)

    def by_code(self, code):
        """The member with this ISO3 code, any case."""
        return self.get(iso3=code.upper())


class Member(models.Model):
    iso2 = models.CharField("ISO 3166 alpha-2", max_length=2, unique=True)
    iso3 = models.CharField("ISO 3166 alpha-3", max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    nato_name = models.CharField("name in NATO's tables", max_length=100, blank=True)
    nato_order = models.PositiveSmallIntegerField(
        "row in NATO's tables", null=True, blank=True, unique=True
    )
    accession_date = models.DateField()
    accession_event = models.CharField(max_length=200, blank=True)
    currency = models.CharField("national currency (ISO 4217)", max_length=3, blank=True)
    currency_basis = models.CharField(max_length=200, blank=True)
    fiscal_year = models.CharField(
        max_length=20, choices=FiscalYear.choices, default=FiscalYear.CALENDAR
    )
    reports_figures = models.BooleanField(
        default=True,
        help_text="False where NATO publishes no figures (Iceland: no armed forces).",
    )
    notes = models.TextField(blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(iso3__regex=r"^[A-Z]{3}$"), name="member_iso3_upper"
            ),
            models.CheckConstraint(
                condition=models.Q(iso2__regex=r"^[A-Z]{2}$"), name="member_iso2_upper"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def accession_year(self):
        return self.accession_date.year
