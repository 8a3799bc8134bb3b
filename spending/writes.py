"""The one write path: every change to the data (import, rollback, fixtures, admin edit) ends
here, in its own transaction, so the data version and the answers derived from the data always
change together."""

from contextlib import contextmanager

from django.db import transaction

from nato_tracker import answercache
from spending import answers, page_answers
from spending.models import DataVersion


def record_write():
    """Counts a write and stores the answers of the data as it now stands; the new version.

    Call inside the writing transaction, after the writes: the version and the answers stored
    under it commit with them, so no reader sees one without the others.
    """
    version = DataVersion.bump()
    answers.store(version)
    page_answers.store(version)
    answercache.forget_version()
    return version


@contextmanager
def writing():
    """A transaction for a write to the data that ends with `record_write()`."""
    with transaction.atomic():
        # Writers queue on the version's row: two writes never interleave their answers.
        DataVersion.lock()
        yield
        record_write()
