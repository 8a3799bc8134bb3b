"""The app as production runs it, for the browser scripts (bench/browser.py,
bench/screenshots.py): `make release` then `make serve` (gunicorn, DEBUG off, whitenoise serving
the collected static files) on a free loopback port, over a throwaway SQLite file holding the
shipped NATO data. Or, with --url, a server already running (`make run`, say)."""

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.drills.servers import Gunicorn, app_env, release  # noqa: E402


@contextmanager
def production_server(url=None, say=print):
    """Yields the base URL of a running app: `url` as given, or a fresh production server."""
    if url:
        yield url.rstrip("/")
        return
    with tempfile.TemporaryDirectory(prefix="nato-browser-") as folder:
        env = app_env(DATABASE_URL=f"sqlite:///{folder}/nato.sqlite3")
        say("release (migrate, NATO data, collectstatic) into a throwaway SQLite file")
        release(env)
        with Gunicorn(env, log_path=Path(folder) / "gunicorn.log") as server:
            say(f"gunicorn (production settings) on {server.url}")
            yield server.url
