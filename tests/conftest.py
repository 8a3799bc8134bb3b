import pytest

from spending.importing import load_fixtures


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the shipped NATO data, loaded once per run."""
    with django_db_blocker.unblock():
        load_fixtures()
