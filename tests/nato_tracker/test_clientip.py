"""The client's address, one rule for the throttles and the login lockout: X-Forwarded-For only
from a trusted proxy, and only the entry that proxy wrote."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from nato_tracker.clientip import client_ip, parse_networks

ROOT = Path(__file__).resolve().parents[2]
NGINX = "172.30.0.5"


def request(peer, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


@pytest.fixture
def behind(settings):
    """Settings for `count` appending proxies in front, nginx's network trusted."""

    def configure(count):
        settings.TRUSTED_PROXY_COUNT = count
        settings.TRUSTED_PROXY_NETWORKS = parse_networks("172.30.0.0/24")

    return configure


def test_by_default_a_forwarded_for_header_is_ignored():
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_nginx_the_client_is_the_address_nginx_wrote(behind):
    behind(1)
    assert client_ip(request(NGINX, "198.51.100.7")) == "198.51.100.7"


def test_behind_nginx_a_forged_entry_left_of_nginx_is_never_read(behind):
    behind(1)
    assert client_ip(request(NGINX, "10.9.9.9, 198.51.100.7")) == "198.51.100.7"


def test_behind_a_balancer_and_nginx_the_client_is_the_balancer_entry(behind):
    behind(2)
    # forged by the client, then the client as the balancer saw it, then the balancer.
    assert client_ip(request(NGINX, "10.9.9.9, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


def test_a_client_reaching_gunicorn_directly_cannot_forge_its_address(behind):
    behind(1)
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", " , "])
def test_a_missing_or_garbage_forwarded_for_counts_against_the_peer(behind, forwarded):
    behind(1)
    assert client_ip(request(NGINX, forwarded)) == NGINX


@pytest.mark.django_db
def test_the_api_throttle_keys_on_the_real_client_behind_two_proxies(client, behind, settings):
    behind(2)
    settings.API_ANON_THROTTLE_RATE = "1/minute"

    def get(forwarded):
        return client.get(
            "/api/v1/targets/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert get("1.1.1.1, 198.51.100.7, 10.0.0.2") == 200
    # Same client, another forged entry: still throttled.
    assert get("2.2.2.2, 198.51.100.7, 10.0.0.2") == 429
    # Another client through the same balancer and nginx: its own budget.
    assert get("198.51.100.8, 10.0.0.2") == 200


def settings_error(**environment):
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, **environment}
    result = subprocess.run(
        [sys.executable, "-c", "import nato_tracker.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stderr.strip().splitlines()[-1] if result.stderr else ""


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"API_NUM_PROXIES": "1", "FORWARDED_ALLOW_IPS": "*"}, "trusts X-Forwarded-For"),
        ({"FORWARDED_ALLOW_IPS": "10.0.0.0/8,nginx"}, "'nginx' is not an IP address"),
        ({"API_NUM_PROXIES": "7"}, "use 0 to 3"),
    ],
)
def test_unsafe_or_bad_proxy_settings_fail_loudly(environment, message):
    code, last_line = settings_error(**environment)
    assert code != 0
    assert message in last_line
