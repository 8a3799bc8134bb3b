"""Real servers for the fault drills and the benchmark: gunicorn through `make serve` (the
command docker-compose.yml runs), a throwaway redis-server and a throwaway PostgreSQL cluster.

Each runs on a free loopback port in a temporary folder; nothing touches the machine's shared
PostgreSQL or Redis.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Variables of the developer's or CI's shell that must not leak into a drill's servers.
PARENT_ONLY = ("DATABASE_URL", "REDIS_URL", "CACHE", "BENCH_MODE", "PORT", "HOST", "DEBUG")


def free_port():
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(**overrides):
    """The production settings for a server on loopback: DEBUG off, a key, JSON logs."""
    env = {key: value for key, value in os.environ.items() if key not in PARENT_ONLY}
    env.update(
        DEBUG="0",
        SECRET_KEY="drill-and-bench-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
        # The drills hammer pages from one address to test outages, not the page rate limit
        # (tests/nato_tracker/test_bounded_pages.py tests that).
        PAGE_ANON_THROTTLE_RATE="1000000/minute",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def get(url, timeout=10, headers=None, method="GET", data=None):
    """(status, headers, body) of one HTTP request; HTTP errors are answers too."""
    request = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until(check, timeout, what):
    """Polls `check()` until it is truthy; fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"gave up after {timeout} s waiting for {what}")


def release(env):
    """`make release` (migrate, NATO data, static files), as the compose `migrate` service."""
    subprocess.run(
        ["make", "--no-print-directory", "-s", "release"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


class Gunicorn:
    """`make serve` on a free port; `stop()` ends it and its workers."""

    def __init__(self, env, port=None, log_path=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.process = None

    def start(self, timeout=30):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                ["make", "--no-print-directory", "-s", "serve"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._answers, timeout, f"gunicorn on {self.url} (log: {self.log_path})")
        return self

    def _answers(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {self.log_path}")
        return get(self.url + "/healthz", timeout=2)[0] == 200

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def worker_pids(self):
        """The pids of the gunicorn processes (master and workers) in this server's group."""
        out = subprocess.run(
            ["pgrep", "-g", str(os.getpgid(self.process.pid)), "-f", "gunicorn"],
            capture_output=True,
            text=True,
        ).stdout
        return sorted(int(pid) for pid in out.split())

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # SIGINT is gunicorn's quick shutdown; make passes it on to its child.
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


class RedisServer:
    """A throwaway redis-server on a free port, keeping nothing on disk."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: self.command("PING") == "PONG", 10, f"redis on {self.port}")
        return self

    def command(self, *args):
        out = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, timeout=5
        )
        return out.stdout.strip()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl) in a temporary folder on a free port.

    PostgreSQL refuses to run as root, so under root the cluster belongs to the postgres user.
    """

    def __init__(self, port=None):
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="drill-pg-"))
        self.data = self.folder / "data"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.folder, "postgres")

    def url(self, database="drill"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args, check=True):
        return subprocess.run(
            [*self.as_user, *args], check=check, capture_output=True, text=True, timeout=60
        )

    def init(self, database="drill"):
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()
        self._run(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            database,
        )
        return self

    def create_database(self, name):
        self._run(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            name,
        )

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )

    def stop(self, mode="fast"):
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False
        )

    def destroy(self):
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
