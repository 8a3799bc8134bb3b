"""GET /api/v1/revisions/?member=: each ally-year's share of GDP in two editions and the revision.

The rows are `spending.answers.revision_rows` (through `spending.progress.build_revisions`),
the numbers of the /revisions/ page. Computed per request: four queries with the data version
(members, editions with their definition changes, figures of every edition).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from spending import answers, frames
from spending.api.dataview import ListView
from spending.api.filters import MemberQuery
from spending.api.schema import MEMBER_PARAMETER, list_parameters, list_responses
from spending.api.serializers import PublishedFloatField
from spending.models import Status
from spending.progress.revisions import REVISION_COLUMNS


def _float(help_text):
    return PublishedFloatField(allow_null=True, help_text=help_text)


class RevisionSerializer(serializers.Serializer):
    iso3 = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    edition = serializers.CharField(help_text="The newer edition: the one that revised.")
    status = serializers.ChoiceField(choices=Status.choices)
    share_of_gdp_pct = _float("Share of GDP in the newer edition, %, unrounded.")
    share_of_gdp_rounded_pct = _float("The same as NATO prints it (2 decimals), %.")
    previous_edition = serializers.CharField(help_text="The older edition holding that year.")
    previous_status = serializers.ChoiceField(choices=Status.choices)
    previous_share_of_gdp_pct = _float("Share of GDP in the older edition, %, unrounded.")
    previous_share_of_gdp_rounded_pct = _float("The same as NATO prints it (2 decimals), %.")
    revision_pp = _float(
        "share_of_gdp_rounded_pct - previous_share_of_gdp_rounded_pct, percentage points."
    )
    definition_changed = serializers.BooleanField(
        help_text="The newer edition changed the definition for every ally (2026: core "
        "defence expenditure), so part of the revision is the definition."
    )
    definition_note = serializers.CharField(
        allow_blank=True, help_text="What changed, with its source; empty when nothing did."
    )


@extend_schema(
    summary="Revisions between editions: each ally-year's share of GDP in two editions",
    description="One row per ally and year held by an edition and an older one: the share of "
    "GDP in each (unrounded, and as NATO prints it), the revision in points (newer minus older, "
    "as printed) and whether the newer edition changed the definition (the 2026 edition counts "
    "core defence expenditure). Largest revisions first. The numbers of the /revisions/ page.",
    parameters=list_parameters(MEMBER_PARAMETER),
    responses=list_responses(RevisionSerializer),
)
class RevisionList(ListView):
    serializer_class = RevisionSerializer
    query_class = MemberQuery
    csv_columns = ["iso3", "name", *REVISION_COLUMNS[1:]]
    csv_filename = "nato-revisions.csv"

    def answer(self, request):
        members = frames.build_members_frame()
        member = self.read_query(members=set(members["iso3"])).get("member")
        return answers.revision_rows(member, members)
