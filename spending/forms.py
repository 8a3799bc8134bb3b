from django import forms
from django.conf import settings

from spending.importing import VALUE_FIELDS, choose_edition, preview_upload
from spending.models import Edition


class ImportForm(forms.Form):
    """The fields of an upload, shared by the admin page and POST /api/v1/imports/."""

    file = forms.FileField(
        help_text="CSV or XLSX: wide, long or NATO table layout. NATO's workbook "
        "(def-exp-YYYY-en.xlsx) is read whole, as published: every sheet and every table."
    )
    edition = forms.SlugField(
        help_text="An existing edition's slug to revise it, or a new slug with a title and "
        "a data cut-off date to create a new edition."
    )
    new_edition_title = forms.CharField(required=False, max_length=200)
    cutoff_on = forms.DateField(required=False, label="Data cut-off (new edition)")
    published_on = forms.DateField(required=False, label="Published on (new edition)")
    publisher = forms.CharField(required=False, max_length=200)
    price_base_year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    sheet = forms.CharField(
        required=False,
        max_length=100,
        help_text="XLSX: read this sheet only. Empty: every sheet (NATO's workbook).",
    )
    metric = forms.ChoiceField(
        required=False,
        choices=[("", "from the title lines")] + [(name, name) for name in VALUE_FIELDS],
        help_text="Only for an odd file: a NATO table of one block whose title, unit line and "
        "subtitle do not name its metric. Not needed for NATO's own workbook.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slugs = ", ".join(Edition.objects.newest_first().values_list("slug", flat=True))
        if slugs:
            self.fields["edition"].help_text += f" Existing: {slugs}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes, more than the limit of {limit:,} bytes."
            )
        return upload

    def clean(self):
        data = super().clean()
        if "edition" in data:
            try:
                data["choice"] = choose_edition(
                    data["edition"],
                    title=data.get("new_edition_title", ""),
                    cutoff_on=data.get("cutoff_on"),
                    published_on=data.get("published_on"),
                    publisher=data.get("publisher", ""),
                    price_base_year=data.get("price_base_year") or 2021,
                    url=data.get("url", ""),
                )
            except ValueError as error:
                self.add_error("edition", str(error))
        return data

    def preview(self, user):
        """The previewed ImportBatch of the valid upload (nothing written to the figures)."""
        data = self.cleaned_data
        return preview_upload(
            data["file"].read(),
            data["file"].name,
            data["choice"],
            user=user,
            sheet=data["sheet"] or None,
            metric=data["metric"] or None,
        )
