"""Writes of figures and reference data: the one way data gets into the database.

An upload goes through its steps in this package's modules, split as in pretix's modelimport:

1. ``reading``: bytes of a CSV or XLSX file -> a ``Table`` of raw cells with their references.
2. ``layouts`` (with ``cells``, ``records``, ``nato_tables``): the table -> one ``Record`` per
   member-year (or aggregate-year), every cell checked where it stands; ``workbook`` finds every
   block of NATO's tables in every sheet, ``titles`` tells each block's metric for certain.
3. ``validation``: checks across rows (Iceland, accession, duplicates, reported share).
4. ``preview``: each record against the database -> new, changed, unchanged or error, stored on an
   ``ImportBatch``.
5. ``applying``: ``apply_batch`` writes a batch in one transaction; ``rollback_batch`` undoes it.

The admin page, ``POST /api/v1/imports/`` and ``manage.py import_figures`` are thin wrappers
around ``preview_upload``, ``apply_batch`` and ``rollback_batch``; ``fixtures.load_fixtures`` loads
the shipped data through the same steps.
"""

from spending.importing.applying import apply_batch, rollback_batch
from spending.importing.cells import FIRST_YEAR
from spending.importing.fixtures import FIXTURES_DIR, load_fixtures
from spending.importing.layouts import WIDE_COLUMNS
from spending.importing.messages import ImportRefused
from spending.importing.preview import choose_edition, preview_upload
from spending.importing.records import VALUE_FIELDS

__all__ = [
    "FIRST_YEAR",
    "FIXTURES_DIR",
    "VALUE_FIELDS",
    "WIDE_COLUMNS",
    "ImportRefused",
    "apply_batch",
    "choose_edition",
    "load_fixtures",
    "preview_upload",
    "rollback_batch",
]
