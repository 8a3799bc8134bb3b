import pytest

from tests.api.test_schema import OPERATIONS
from tests.conftest import save_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("nato_data")]


def test_the_api_docs_render_from_local_files_only(live_server, page):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto(live_server.url + "/api/docs/")
    page.get_by_text("/api/v1/progress/").first.wait_for()

    assert response.status == 200
    assert page.console_errors == []
    assert page.failed_requests == []
    assert requested
    assert all(url.startswith(live_server.url) for url in requested), requested
    # One block per operation of the schema (the read-only endpoints and the staff imports).
    assert page.locator(".opblock").count() == len(OPERATIONS)
    save_screenshots(page, "api-docs")
