import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_api(settings):
    """Each test starts with an empty response cache and throttle history and a high rate.

    The throttle test lowers the rate itself; every other test must never be throttled.
    """
    settings.API_ANON_THROTTLE_RATE = "100000/minute"
    cache.clear()
    yield
    cache.clear()


def results(response):
    """The rows of a paginated JSON answer, after checking it is one."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body["results"]
