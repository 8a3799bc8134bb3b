import pytest

from tests.drills.servers import app_env, release


@pytest.fixture(scope="session")
def released_sqlite(tmp_path_factory):
    """The variables of a database file and static folder after `make release` (schema, NATO
    data, collected static files), for servers outside pytest: `app_env(**released_sqlite)`."""
    folder = tmp_path_factory.mktemp("release")
    variables = {
        "DATABASE_URL": f"sqlite:///{folder / 'drill.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
    }
    release(app_env(**variables))
    return variables
