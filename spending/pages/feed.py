"""/feeds/editions.atom: one entry per edition held and one per applied revision of an edition.

Django's syndication framework writes the Atom; this module only picks the entries. An
edition's entry gives its cut-off, when it was loaded and how many allies met 2%, 3.5% and 5%
in its newest year; a revision's entry says what changed, never who changed it.
"""

from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from spending import frames, progress
from spending.models import Edition, ImportBatch, ImportChange

HEADLINE_TARGETS = ("guideline-2pct", "core-3.5pct", "total-5pct")


class EditionsFeed(Feed):
    feed_type = Atom1Feed
    title = "NATO Spending Tracker: editions and revisions"
    subtitle = (
        "A new entry when an edition of NATO's Defence Expenditure of NATO Countries is loaded, "
        "or an edition held is revised."
    )
    author_name = "NATO Spending Tracker"

    def link(self):
        return reverse("overview")

    def feed_url(self):
        return reverse("editions-feed")

    def items(self):
        editions = [_edition_entry(edition) for edition in Edition.objects.newest_first()]
        revisions = [_revision_entry(batch) for batch in _applied_revisions()]
        return sorted(editions + revisions, key=lambda entry: entry["updated"], reverse=True)

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["description"]

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return item["guid"]

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item["updated"]

    def item_pubdate(self, item):
        return item["updated"]


def _applied_revisions():
    """Applied uploads into an edition that existed already, newest first, with counts."""
    return (
        ImportBatch.objects.filter(
            kind=ImportBatch.Kind.UPLOAD,
            status=ImportBatch.State.APPLIED,
            created_edition=False,
            edition__isnull=False,
        )
        .select_related("edition")
        .order_by("-applied_at")
    )


def _loaded_at(edition):
    """When the edition was loaded: the applied import that created it, else its last save."""
    batch = (
        ImportBatch.objects.filter(edition=edition, created_edition=True, applied_at__isnull=False)
        .order_by("applied_at")
        .values_list("applied_at", flat=True)
        .first()
    )
    return batch or edition.updated_at


def _edition_entry(edition):
    loaded = _loaded_at(edition)
    figures = frames.build_figures_frame(edition)
    targets = frames.build_targets_frame()
    members = frames.build_members_frame()
    counts_text = "no figures"
    if not figures.empty:
        year = int(figures["year"].max())
        counts = progress.count_allies_meeting(
            progress.build_progress_frame(figures, targets), figures, members
        )
        counts = counts[counts["year"] == year].set_index("target")
        names = targets.set_index("slug")["threshold_pct"]
        parts = [
            f"{int(counts.loc[slug, 'allies_met'])} of {int(counts.loc[slug, 'allies_with_data'])}"
            f" allies at {float(names[slug]):g}%"
            for slug in HEADLINE_TARGETS
            if slug in counts.index
        ]
        counts_text = f"In {year}: " + ", ".join(parts) + " (5%: core defence only)."
    cutoff = f"data cut-off {edition.cutoff_on:%-d %B %Y}" if edition.cutoff_on else "no cut-off"
    return {
        "title": f"Edition loaded: {edition.title}",
        "description": f"{edition.title} ({edition.slug}), {cutoff}; loaded "
        f"{loaded:%-d %B %Y}. {counts_text}",
        "link": reverse("api:figures") + f"?edition={edition.slug}",
        "guid": f"tag:nato-spending-tracker,2026:edition:{edition.slug}",
        "updated": _aware(loaded, edition.cutoff_on),
    }


def _revision_entry(batch):
    changes = ImportChange.objects.filter(batch=batch)
    members = sorted(
        {iso3 for iso3 in changes.values_list("member__iso3", flat=True) if iso3 is not None}
    )
    fields = sorted(set(changes.values_list("field", flat=True)))
    count = changes.count()
    return {
        "title": f"Revision of {batch.edition.title}: {count} value{'s' * (count != 1)} changed",
        "description": f"{count} value{'s' * (count != 1)} of edition {batch.edition.slug} "
        f"changed on {batch.applied_at:%-d %B %Y}: "
        + (", ".join(members) or "aggregates only")
        + (f"; fields: {', '.join(fields)}." if fields else "."),
        "link": reverse("api:figures") + f"?edition={batch.edition.slug}",
        "guid": f"tag:nato-spending-tracker,2026:revision:{batch.pk}",
        "updated": batch.applied_at,
    }


def _aware(moment, fallback_date):
    if moment is not None:
        return moment
    return datetime.combine(fallback_date, time(), tzinfo=UTC)
