"""deploy/nginx.conf sets the forwarding headers itself, guards uploads and secures /static/.

No nginx runs in CI; these read the file (it was checked with `nginx -t` when written).
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = (ROOT / "deploy" / "nginx.conf").read_text()
PROXY = (ROOT / "deploy" / "proxy_to_web.inc").read_text()


def directives(text, name):
    return re.findall(rf"^\s*{name}\s+([^;]+);", text, re.MULTILINE)


def test_forwarding_headers_are_written_by_nginx_never_passed_through():
    headers = dict(value.split(None, 1) for value in directives(PROXY, "proxy_set_header"))
    assert headers["X-Forwarded-For"] == "$remote_addr"
    assert headers["X-Forwarded-Proto"] == "$forwarded_proto"
    assert headers["X-Request-ID"] == "$request_id"
    assert "$http_x_request_id" not in SITE + PROXY
    assert "$proxy_add_x_forwarded_for" not in SITE + PROXY


def test_https_is_believed_only_from_the_trusted_balancer():
    assert '"1:https" https;' in SITE
    assert "default $scheme;" in SITE
    assert directives(SITE, "real_ip_header") == ["X-Forwarded-For"]
    assert directives(SITE, "real_ip_recursive") == ["off"]


def test_only_the_upload_endpoints_take_a_big_body_and_only_with_credentials():
    assert directives(SITE, "client_max_body_size") == ["64k", "6m", "6m"]
    for path in ("/admin/spending/importbatch/upload/", "/api/v1/imports/"):
        block = SITE.split(f"location = {path} {{", 1)[1].split("\n    }\n", 1)[0]
        assert "if ($anonymous)" in block
        assert "return 403" in block
    assert '"" 1;' in SITE.split("$anonymous {", 1)[1]


def test_static_files_carry_the_security_headers():
    block = SITE.split("location /static/ {", 1)[1].split("}", 1)[0]
    for header in (
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
        "Content-Security-Policy",
    ):
        assert f"add_header {header} " in block, header
        assert re.search(rf"add_header {header} .* always;", block), header


def test_every_location_proxies_through_the_one_include():
    assert SITE.count("include /etc/nginx/conf.d/proxy_to_web.inc;") == 3
    assert "proxy_pass" not in SITE
