import pytest

from tests.drills.servers import app_env, release


@pytest.fixture(scope="session")
def released_sqlite(tmp_path_factory):
    """A database file after `make release` (schema + NATO data), for servers outside pytest."""
    folder = tmp_path_factory.mktemp("release")
    url = f"sqlite:///{folder / 'drill.sqlite3'}"
    release(app_env(DATABASE_URL=url, STATIC_ROOT=folder / "static"))
    return url
