"""The audit of imports: each upload's batch, its preview and the values it changed."""

from django.db import models
from django.db.models import Q

from members.models import Member
from spending.models.figures import Aggregate, Edition


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
