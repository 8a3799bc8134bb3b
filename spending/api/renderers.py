"""The API's formats: JSON and CSV, chosen by DRF's negotiation with `?format=` or Accept."""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from spending.api.filters import refusal
from spending.spreadsheet import write_csv

# Accept headers that leave the choice to ?format= (JSON, the first renderer, by default).
PLAIN_ACCEPT = {"", "*/*", "application/json"}


class CSVRenderer(BaseRenderer):
    """`?format=csv`: the view's rows as spreadsheet-safe CSV, its columns if it names them."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        context = renderer_context or {}
        view = context.get("view")
        rows = data if isinstance(data, list) else [data]
        columns = getattr(view, "csv_columns", None)
        response = context.get("response")
        filename = getattr(view, "csv_filename", None)
        if response is not None and filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return write_csv(rows, columns).encode(self.charset)


class Negotiation(DefaultContentNegotiation):
    """DRF's negotiation, with a 400 naming the formats for an unknown `?format=`, and a short
    way for the Accept headers nearly every client sends (the same choice, without parsing)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        if request.META.get("HTTP_ACCEPT", "*/*") in PLAIN_ACCEPT:
            for renderer in renderers:
                if requested in (None, renderer.format):
                    return renderer, renderer.media_type
        formats = [renderer.format for renderer in renderers]
        if requested is not None and requested not in formats:
            raise refusal("format", requested, "unknown format", ", ".join(formats))
        return super().select_renderer(request, renderers, format_suffix)
