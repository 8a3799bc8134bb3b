"""Step 5, applying and rolling back a previewed batch, each in one short transaction with its
audit rows; the derived answers are stored through ``spending.writes``.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Member
from spending import previews, writes
from spending.importing import plausibility
from spending.importing.messages import ImportRefused, shown
from spending.models import (
    AggregateFigure,
    DataVersion,
    Edition,
    ImportBatch,
    ImportChange,
    YearlyFigure,
)

MAX_SHOWN_CONFLICTS = 10


# ImportChange.field of a change that created (or deleted) a whole row.
ROW_FIELD = "*"


def model_for(kind):
    return YearlyFigure if kind == "member" else AggregateFigure


def lock_rows(edition, keys):
    """{(kind, code, year): figure} for these keys, locked (SELECT ... FOR UPDATE)."""
    found = {}
    member_codes = {code for kind, code, _ in keys if kind == "member"}
    aggregate_codes = {code for kind, code, _ in keys if kind == "aggregate"}
    years = {year for *_, year in keys}
    if member_codes:
        rows = (
            YearlyFigure.objects.select_for_update(of=("self",))
            .select_related("member")
            .filter(edition=edition, member__iso3__in=member_codes, year__in=years)
            .order_by("pk")
        )
        for row in rows:
            found[("member", row.member.iso3, row.year)] = row
    if aggregate_codes:
        rows = (
            AggregateFigure.objects.select_for_update()
            .filter(edition=edition, aggregate__in=aggregate_codes, year__in=years)
            .order_by("pk")
        )
        for row in rows:
            found[("aggregate", row.aggregate, row.year)] = row
    return {key: row for key, row in found.items() if key in keys}


def label(key):
    kind, code, year = key
    return f"{code} {year}"


def refuse_conflicts(conflicts, what):
    shown_conflicts = "; ".join(conflicts[:MAX_SHOWN_CONFLICTS])
    more = len(conflicts) - MAX_SHOWN_CONFLICTS
    extra = f" and {more} more" if more > 0 else ""
    raise ImportRefused(f"{what}: {shown_conflicts}{extra}.")


def write_rows(edition, rows, members):
    """Creates and updates figures for preview rows; returns the ImportChange objects."""
    changes, created, updated, update_fields = [], [], [], {"member": set(), "aggregate": set()}
    keys = {(r["kind"], r["code"], r["year"]) for r in rows}
    locked = lock_rows(edition, keys)
    conflicts = []
    for row in rows:
        key = (row["kind"], row["code"], row["year"])
        figure = locked.get(key)
        if row["exists"] != (figure is not None):
            conflicts.append(f"{label(key)} was {'deleted' if row['exists'] else 'added'}")
            continue
        if figure is not None:
            for name, (old, _new) in row["fields"].items():
                if getattr(figure, name) != old:
                    conflicts.append(
                        f"{label(key)} {name} was {shown(old)} in the preview, is now "
                        f"{shown(getattr(figure, name))}"
                    )
    if conflicts:
        refuse_conflicts(
            conflicts,
            "The figures changed since this preview, so nothing was written; upload the file "
            "again for a fresh preview",
        )
    for row in rows:
        if row["result"] not in ("new", "changed"):
            continue
        kind, code, year = row["kind"], row["code"], row["year"]
        who = {"member": members[code]} if kind == "member" else {"aggregate": code}
        figure = locked.get((kind, code, year))
        if figure is None:
            values = {name: new for name, (_, new) in row["fields"].items()}
            created.append(model_for(kind)(edition=edition, year=year, **who, **values))
            action = ImportChange.Action.CREATE
        else:
            for name, (old, new) in row["fields"].items():
                if old != new:
                    setattr(figure, name, new)
                    update_fields[kind].add(name)
            updated.append(figure)
            action = ImportChange.Action.UPDATE
        if action == ImportChange.Action.CREATE:
            # One record per new row: undoing it deletes the row, whatever its fields.
            changes.append(
                ImportChange(year=year, field=ROW_FIELD, action=action, new_value=values, **who)
            )
            continue
        for name, (old, new) in row["fields"].items():
            if old != new:
                changes.append(
                    ImportChange(
                        year=year, field=name, action=action, old_value=old, new_value=new, **who
                    )
                )
    for kind in ("member", "aggregate"):
        model = model_for(kind)
        model.objects.bulk_create([f for f in created if isinstance(f, model)], batch_size=1000)
        to_update = [f for f in updated if isinstance(f, model)]
        if to_update:
            model.objects.bulk_update(to_update, sorted(update_fields[kind]), batch_size=500)
    return changes


def written_values(change):
    """{field: value} an ImportChange wrote: one field, or every field of a created row."""
    if change.field == ROW_FIELD:
        return change.new_value
    return {change.field: change.new_value}


def lock_batch(batches, batch_id, refusal):
    """The batch, row-locked with the data version, unless ``refusal(batch)`` names a reason."""
    batch = batches.select_for_update().get(pk=batch_id)
    reason = refusal(batch)
    if reason:
        raise ImportRefused(reason)
    # Writers queue on the data version's row lock; the version is bumped after the writes.
    DataVersion.lock()
    return batch


def refuse_to_apply(batch):
    """Why a batch cannot be applied, or None."""
    if batch.status == ImportBatch.State.INVALID:
        return "This upload has errors and cannot be applied."
    if batch.status != ImportBatch.State.PREVIEWED:
        return (
            f"Import #{batch.pk} was already {batch.get_status_display()}; nothing was written "
            "again."
        )
    if previews.has_expired(batch):
        return (
            f"This preview is more than {settings.IMPORT_PREVIEW_HOURS} hours old and has expired; "
            "upload the file again to see its changes against today's data."
        )
    return None


def refuse_to_roll_back(batch):
    """Why a batch cannot be rolled back, or None."""
    if batch.kind == ImportBatch.Kind.ROLLBACK:
        return "A rollback cannot be rolled back; import the file again instead."
    if batch.status != ImportBatch.State.APPLIED:
        return (
            f"Import #{batch.pk} is {batch.get_status_display()}: only an applied import can be "
            "rolled back."
        )
    return None


def apply_batch(batch_id, user=None, acknowledge_implausible=False):
    """Writes a previewed batch in one transaction; raises ImportRefused if it cannot, or if it
    holds values flagged implausible that were not acknowledged."""
    try:
        with transaction.atomic():
            batch = lock_batch(ImportBatch.objects.all(), batch_id, refuse_to_apply)
            plausibility.refuse_unacknowledged(batch, acknowledge_implausible)
            if batch.new_edition is not None:
                if Edition.objects.filter(slug=batch.edition_slug).exists():
                    raise ImportRefused(
                        f"Edition “{batch.edition_slug}” was created since this preview; upload "
                        "the file again to revise it."
                    )
                edition = Edition.objects.create(slug=batch.edition_slug, **batch.new_edition)
                batch.edition, batch.created_edition = edition, True
            else:
                edition = batch.edition
                if edition is None:
                    raise ImportRefused(
                        f"Edition “{batch.edition_slug}” no longer exists; nothing was written."
                    )
                Edition.objects.select_for_update().get(pk=edition.pk)
            members = {m.iso3: m for m in Member.objects.all()}
            changes = write_rows(edition, batch.preview["rows"], members)
            for change in changes:
                change.batch = batch
            ImportChange.objects.bulk_create(changes, batch_size=2000)
            if changes:
                edition.save(update_fields=["updated_at"])
            batch.status = ImportBatch.State.APPLIED
            batch.applied_by = user
            batch.applied_at = timezone.now()
            batch.save()
            writes.record_write()
            return batch
    except IntegrityError as error:
        raise ImportRefused(
            "Another import wrote the same figures at the same time, so nothing was written; "
            f"upload the file again for a fresh preview ({type(error).__name__})."
        ) from None


def rollback_batch(batch_id, user=None):
    """Restores every value an applied batch changed; the rollback is a batch of its own."""
    with transaction.atomic():
        batch = lock_batch(ImportBatch.objects.defer("preview"), batch_id, refuse_to_roll_back)
        edition = batch.edition
        changes = list(batch.changes.select_related("member"))
        by_key = {}
        for change in changes:
            kind = "member" if change.member_id else "aggregate"
            code = change.member.iso3 if change.member_id else change.aggregate
            by_key.setdefault((kind, code, change.year), []).append(change)
        locked = lock_rows(edition, set(by_key)) if edition else {}
        conflicts = []
        for key, cell_changes in by_key.items():
            figure = locked.get(key)
            if figure is None:
                conflicts.append(f"{label(key)} no longer exists")
                continue
            for change in cell_changes:
                for name, value in written_values(change).items():
                    if getattr(figure, name) != value:
                        conflicts.append(
                            f"{label(key)} {name} is now {shown(getattr(figure, name))}, not "
                            f"{shown(value)}"
                        )
        if conflicts:
            refuse_conflicts(
                conflicts,
                "Later changes touched the same figures; roll those back first. Nothing was "
                "written",
            )
        undo = ImportBatch.objects.create(
            kind=ImportBatch.Kind.ROLLBACK,
            status=ImportBatch.State.APPLIED,
            created_by=user,
            applied_by=user,
            applied_at=timezone.now(),
            file_name=batch.file_name,
            edition=edition,
            edition_slug=batch.edition_slug,
            rolls_back=batch,
        )
        reverse, deleted, updated = [], [], []
        counts = {"restored_rows": 0, "deleted_rows": 0, "values_changed": 0}
        for key, cell_changes in by_key.items():
            figure = locked[key]
            who = {"member": figure.member} if key[0] == "member" else {"aggregate": key[1]}
            if any(c.action == ImportChange.Action.CREATE for c in cell_changes):
                deleted.append(figure)
                counts["deleted_rows"] += 1
                action = ImportChange.Action.DELETE
            else:
                for change in cell_changes:
                    setattr(figure, change.field, change.old_value)
                updated.append((figure, [c.field for c in cell_changes]))
                counts["restored_rows"] += 1
                action = ImportChange.Action.UPDATE
            for change in cell_changes:
                counts["values_changed"] += len(written_values(change))
                reverse.append(
                    ImportChange(
                        batch=undo,
                        year=key[2],
                        field=change.field,
                        action=action,
                        old_value=change.new_value,
                        new_value=None
                        if action == ImportChange.Action.DELETE
                        else change.old_value,
                        **who,
                    )
                )
        for model in (YearlyFigure, AggregateFigure):
            gone = [f.pk for f in deleted if isinstance(f, model)]
            if gone:
                model.objects.filter(pk__in=gone).delete()
            restored = [f for f, _ in updated if isinstance(f, model)]
            fields = sorted(
                {name for f, names in updated if isinstance(f, model) for name in names}
            )
            if restored:
                model.objects.bulk_update(restored, fields, batch_size=500)
        ImportChange.objects.bulk_create(reverse, batch_size=2000)
        batch.status = ImportBatch.State.ROLLED_BACK
        batch.save(update_fields=["status"])
        if (
            batch.created_edition
            and edition is not None
            and not edition.figures.exists()
            and not edition.aggregates.exists()
        ):
            # The edition came with this batch; undoing it removes it again.
            edition.delete()
            undo.refresh_from_db()
        elif edition is not None:
            edition.save(update_fields=["updated_at"])
        undo.counts = counts
        undo.save(update_fields=["counts"])
        writes.record_write()
        return undo
