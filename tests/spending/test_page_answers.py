"""A page's maths run once per data version and code (spending/page_answers.py): a cold page
reads them back and gives the same HTML as computing them, never another version's or code's."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from spending import answers, page_answers, progress
from spending.models import DataVersion, PageAnswer, YearlyFigure
from spending.writes import record_write

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?year=2019&sort=gap&dir=desc",
    "/map/?year=2020",
    "/members/POL/",
    "/members/USA/",
    "/members/ISL/",
    "/charts/fair-share.csv?year=2024",
    "/members/POL/charts/share.csv",
    "/embed/members/POL/share/",
    "/embed/charts/heatmap/",
]
MATHS = [
    "build_progress_frame",
    "summarise_members",
    "count_allies_meeting",
    "build_alliance_frame",
    "build_fair_share_frame",
    "describe_member",
]


def get(client, path):
    cache.clear()
    response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return response.content


def test_a_page_from_its_stored_answer_is_the_page_computed(client):
    PageAnswer.objects.all().delete()
    computed = {path: get(client, path) for path in PAGES}
    # The first request of each stored what it computed.
    keys = set(PageAnswer.objects.values_list("key", flat=True))
    assert keys == {"overview", "member:POL", "member:USA"}
    assert {path: get(client, path) for path in PAGES} == computed


def test_a_cold_page_with_a_stored_answer_runs_none_of_the_maths(client, monkeypatch):
    # load_nato_data (make release) stores every page's answer; then the maths are refused.
    call_command("load_nato_data", verbosity=0)

    def refuse(*args, **kwargs):
        raise AssertionError("the maths ran for a page whose answer is stored")

    for name in MATHS:
        monkeypatch.setattr(progress, name, refuse)
    for path in PAGES:
        get(client, path)


def test_a_release_stores_every_allys_answer_and_the_overview(client):
    PageAnswer.objects.all().delete()
    call_command("load_nato_data", verbosity=0)
    keys = set(PageAnswer.objects.values_list("key", flat=True))
    # 31 allies report figures; Iceland has no armed forces and no page maths.
    assert len(keys) == 32
    assert "overview" in keys
    assert "member:ISL" not in keys
    # Run again on unchanged data and code: nothing new to store.
    stored = list(PageAnswer.objects.order_by("pk").values_list("pk", flat=True))
    call_command("load_nato_data", verbosity=0)
    assert list(PageAnswer.objects.order_by("pk").values_list("pk", flat=True)) == stored


@pytest.mark.parametrize(("page_cache", "queries"), [(0, 2), (600, 3)])
def test_a_cold_overview_reads_its_answer_in_two_queries(client, settings, page_cache, queries):
    settings.PAGE_CACHE_SECONDS = page_cache
    get(client, "/")
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    # The data version and the stored answer (the edition is stored with it); the page cache,
    # when on, reads the data version once more for its own key.
    assert len(captured) == queries, [query["sql"] for query in captured]


def test_a_write_shows_on_the_pages_at_once(client):
    get(client, "/members/POL/")
    poland = YearlyFigure.objects.get(member__iso3="POL", year=2026, edition__slug="nato-2026")
    # Twice the defence spending: the share of GDP (Table 3: at 2021 prices) doubles.
    poland.defence_usd_const2021_m *= 2
    poland.save()
    record_write()

    share = 100 * poland.defence_usd_const2021_m / poland.gdp_usd_const2021_m
    shown = f"{share:.2f}%"
    assert shown.encode() in get(client, "/members/POL/")
    assert shown.encode() in get(client, "/")


def test_an_answer_of_other_code_or_another_version_is_never_read(client):
    version = DataVersion.current()[0]
    PageAnswer.objects.all().delete()
    # Rows no reader may take: they would fail to unpickle if read.
    PageAnswer.objects.create(
        version=version, code_version="other-code", key="overview", payload=b"not a pickle"
    )
    PageAnswer.objects.create(
        version=version - 1,
        code_version=page_answers.code_version(),
        key="overview",
        payload=b"not a pickle",
    )
    assert b"How each NATO ally" in get(client, "/")


def test_an_answer_computed_while_a_write_came_in_is_not_stored():
    version = DataVersion.current()[0]
    PageAnswer.objects.all().delete()
    page_answers.keep(version - 1, {"overview": {"mixed": "data"}})
    assert not PageAnswer.objects.exists()
    page_answers.keep(version, {"overview": {"one": "version"}})
    assert PageAnswer.objects.get().key == "overview"


def test_new_maths_code_makes_a_new_page_code_version(monkeypatch):
    before = page_answers.code_version()
    monkeypatch.setattr(answers, "CODE_VERSION", "0123456789abcdef")
    assert page_answers.code_version() != before
    assert page_answers.code_version().startswith("0123456789abcdef-")


def test_an_allys_first_visit_computes_and_stores_in_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    PageAnswer.objects.filter(key="member:POL").delete()
    # The later visit's five (members, data version twice, the stored answer, the edition),
    # the maths' four reads (targets, the figures with their editions, the series breaks),
    # and the data version again, a savepoint and the row to store it.
    with django_assert_max_num_queries(13):
        get(client, "/members/POL/")
    assert PageAnswer.objects.filter(key="member:POL").exists()
