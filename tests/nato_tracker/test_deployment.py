"""docker-compose.yml starts what CI and the tests start natively, with documented variables.

No Docker engine runs here, so these checks are what keeps the files honest: the same `make`
targets, every variable listed in .env.example, pinned dependencies, a non-root image.
"""

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def example_variables():
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_]+=", line)}


def variables_read_by(path, pattern):
    return set(re.findall(pattern, (ROOT / path).read_text()))


def makefile_targets():
    return set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), re.MULTILINE))


@pytest.mark.parametrize(("service", "target"), [("web", "serve"), ("migrate", "release")])
def test_compose_runs_the_same_make_targets_as_the_native_runs(service, target):
    assert SERVICES[service]["command"] == ["make", target]
    assert target in makefile_targets()


def test_every_variable_the_app_reads_is_listed_in_env_example():
    read = (
        variables_read_by("nato_tracker/settings.py", r'env\.\w+\(\s*"([A-Z_]+)"')
        | variables_read_by("gunicorn.conf.py", r'environ\.get\("([A-Z_]+)"')
        | set(SERVICES["web"]["environment"])
        | variables_read_by("docker-compose.yml", r"\$\{([A-Z_]+)")
    )
    assert read - example_variables() == set()


def test_the_stack_has_postgres_17_redis_7_and_health_checks():
    assert SERVICES["db"]["image"] == "postgres:17"
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert "pgdata" in COMPOSE["volumes"]
    assert SERVICES["redis"]["image"] == "redis:7"
    for name in ("db", "redis", "web", "nginx"):
        assert "healthcheck" in SERVICES[name], name
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_web_publishes_no_port_so_it_scales_behind_nginx():
    assert "ports" not in SERVICES["web"]
    assert "container_name" not in SERVICES["web"]
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    port = SERVICES["web"]["environment"]["PORT"]
    assert f"server web:{port} resolve" in nginx
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in SERVICES["nginx"]["volumes"]
    assert (
        "./deploy/proxy_to_web.inc:/etc/nginx/conf.d/proxy_to_web.inc:ro"
        in (SERVICES["nginx"]["volumes"])
    )


def test_gunicorn_and_the_app_trust_only_the_compose_network_not_everyone():
    environment = SERVICES["web"]["environment"]
    subnet = COMPOSE["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert environment["FORWARDED_ALLOW_IPS"] == f"${{FORWARDED_ALLOW_IPS:-{subnet}}}"
    assert environment["API_NUM_PROXIES"] == "${API_NUM_PROXIES:-1}"


def test_production_values_are_on_in_compose():
    environment = SERVICES["web"]["environment"]
    assert environment["DEBUG"] == "0"
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_PRELOAD"):
        assert environment[name].endswith(":-1}"), name
    assert environment["REDIS_URL"].startswith("redis://redis:6379")


def test_the_image_is_multi_stage_non_root_and_starts_make_serve():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert len(re.findall(r"^FROM ", dockerfile, re.MULTILINE)) == 2
    assert re.search(r"^USER app$", dockerfile, re.MULTILINE)
    assert 'CMD ["make", "serve"]' in dockerfile
    assert "-r requirements.lock" in dockerfile


def test_the_lock_pins_every_runtime_dependency():
    lock = (ROOT / "requirements.lock").read_text()
    pins = dict(re.findall(r"^([a-z0-9-]+)==(\S+)", lock, re.MULTILINE))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group().lower().replace("_", "-")
        assert name in pins, f"{name} is not pinned in requirements.lock (run `make lock`)"
    unpinned = [
        line
        for line in lock.splitlines()
        if line and not line.startswith((" ", "#")) and "==" not in line
    ]
    assert unpinned == []
