"""plotly.js and our files are served once under a content-hashed name with a long cache."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db

VENDOR = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly.js-basic-dist-min"
HASHED = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE = "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.fixture
def collected(tmp_path):
    """The production static set-up: collectstatic into a fresh folder, WhiteNoise serving it."""
    middleware = [name for name in settings.MIDDLEWARE if name != WHITENOISE]
    middleware.insert(1, WHITENOISE)
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES={**settings.STORAGES, "staticfiles": HASHED},
        MIDDLEWARE=middleware,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield tmp_path


def test_the_vendored_plotly_bundle_ships_with_its_licence_and_version():
    assert (VENDOR / "LICENSE").read_text().startswith("MIT License")
    assert '"version": "4.1.1"' in (VENDOR / "package.json").read_text()
    head = (VENDOR / "plotly-basic.min.js").read_text()[:200]
    assert "plotly.js (basic - minified) v4.1.1" in head


def test_pages_link_plotly_under_a_hashed_name_served_with_a_year_long_cache(client, collected):
    html = client.get("/members/POL/").content.decode()
    src = re.search(
        r'src="(/static/vendor/plotly\.js-basic-dist-min/plotly-basic\.min\.[0-9a-f]{12}\.js)"',
        html,
    )
    assert src, "plotly.js is not linked under a hashed name"
    assert re.search(r'src="/static/js/charts\.[0-9a-f]{12}\.js"', html)
    response = client.get(src.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
