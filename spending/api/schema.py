"""The OpenAPI description of the endpoints' parameters and responses (drf-spectacular)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

from spending.api import serializers
from spending.api.filters import DEFAULT_PAGE_SIZE, ISO3_PATTERN, MAX_PAGE, MAX_PAGE_SIZE


def list_parameters(*parameters):
    """OpenAPI parameters of a list: its own, then format, page and page_size."""
    return [
        *parameters,
        OpenApiParameter(
            "format", str, enum=["json", "csv"], description="json (default) or csv: all rows."
        ),
        OpenApiParameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            description="Page number, from 1; past the last page is a 400 naming it.",
        ),
        OpenApiParameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            description=f"Rows per page, {DEFAULT_PAGE_SIZE} by default, at most {MAX_PAGE_SIZE}.",
        ),
    ]


def list_responses(serializer):
    return {
        (200, "application/json"): serializer(many=True),
        (200, "text/csv"): OpenApiTypes.STR,
        (400, "application/json"): serializers.ProblemSerializer,
        (404, "application/json"): serializers.ProblemSerializer,
        (429, "application/json"): serializers.ProblemSerializer,
    }


def detail_responses(serializer):
    return {
        200: serializer,
        400: serializers.ProblemSerializer,
        404: serializers.ProblemSerializer,
        429: serializers.ProblemSerializer,
    }


MEMBER_PARAMETER = OpenApiParameter(
    "member",
    str,
    pattern=r"^[A-Za-z]{3}(,[A-Za-z]{3})*$",
    description="Comma-separated ISO3 codes, any case (POL,DEU).",
    examples=[OpenApiExample("Poland and Germany", value="POL,DEU")],
)
ISO3_PATH_PARAMETER = OpenApiParameter(
    "iso3",
    str,
    OpenApiParameter.PATH,
    pattern=ISO3_PATTERN,
    examples=[OpenApiExample("Poland", value="POL")],
)
# An empty `edition=` is refused (400), so the schema asks for one character at least.
EDITION_PARAMETER = OpenApiParameter(
    "edition",
    {"type": "string", "minLength": 1, "maxLength": 50, "pattern": "^[-a-zA-Z0-9_]+$"},
    description="Edition slug (see editions/), e.g. nato-2026; one not held is a 400 naming "
    "those held.",
    examples=[OpenApiExample("The 2026 edition", value="nato-2026")],
)
