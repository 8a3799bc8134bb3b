"""GET /api/v1/scenarios/: inputs echoed, the yearly path, totals, and 400s naming the parameter."""

from pathlib import Path

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parents[2] / "fixtures"


def fixture_value(iso3, year, metric):
    table = pd.read_csv(FIXTURES / "figures.csv")
    rows = table[(table["iso3"] == iso3) & (table["year"] == year) & (table["metric"] == metric)]
    return float(rows["value"].iloc[0])


def test_it_answers_the_issues_example_with_every_input_echoed(client):
    response = client.get(
        "/api/v1/scenarios/?member=DEU&target=core-3.5pct&ramp=steady&gdp_growth=1.0&deadline=2035"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["inputs"] == {
        "member": "DEU",
        "target": "core-3.5pct",
        "threshold_pct": 3.5,
        "deadline": 2035,
        "ramp": "steady",
        "gdp_growth": 1,
        "defence_growth": None,
        "edition": "nato-2026",
    }
    defence = fixture_value("DEU", 2026, "defence_usd_const2021_m")
    gdp = fixture_value("DEU", 2026, "gdp_usd_const2021_m")
    r = (3.5 / (100 * defence / gdp)) ** (1 / 9) * 1.01 - 1
    assert [row["year"] for row in body["years"]] == list(range(2026, 2036))
    assert body["defence_growth_pct"] == round(100 * r, 2)
    assert body["years"][-1]["defence_usd_const2021_m"] == pytest.approx(
        defence * (1 + r) ** 9, abs=0.05
    )
    assert body["cumulative_extra_usd_const2021_m"] == pytest.approx(
        sum(defence * ((1 + r) ** k - 1) for k in range(1, 10)), abs=0.05
    )
    assert body["years"][0]["extra_usd_const2021_m"] == 0
    assert "Germany reaches 3.5% in 2035" in body["sentence"]


def test_the_default_growth_is_germanys_own_and_its_source_is_named(client):
    body = client.get("/api/v1/scenarios/?member=deu").json()

    growth = next(item for item in body["assumptions"] if item["label"] == "real GDP growth")
    assert growth == {
        "label": "real GDP growth",
        "value": "0.34%/yr",
        "source": "NATO Table 5, 2021–2026",
    }
    assert body["sentence"] == (
        "Germany reaches 3.5% in 2035 with defence growing 3.3% a year in real terms: "
        "USD 40.5 bn more in 2035 than in 2026, at 2021 prices."
    )


def test_pace_mode_gives_the_year_reached(client):
    body = client.get("/api/v1/scenarios/?member=DEU&defence_growth=8&gdp_growth=0").json()

    s0 = (
        100
        * fixture_value("DEU", 2026, "defence_usd_const2021_m")
        / fixture_value("DEU", 2026, "gdp_usd_const2021_m")
    )
    # 2.694% x 1.08^k >= 3.5%: k = 4 (1.08^3 = 1.260 < 1.299 < 1.08^4 = 1.360).
    assert 1.08**3 < 3.5 / s0 < 1.08**4
    assert body["mode"] == "pace"
    assert body["year_reached"] == 2030


def test_the_alliance_answer_splits_the_extra_between_the_us_and_europe_and_canada(client):
    body = client.get("/api/v1/scenarios/").json()

    assert body["inputs"]["member"] is None
    assert body["allies_below_target"] + body["allies_already_met"] == 31
    assert body["cumulative_extra_usd_const2021_m"] == pytest.approx(
        body["us_cumulative_extra_usd_const2021_m"]
        + body["europe_canada_cumulative_extra_usd_const2021_m"],
        abs=0.2,
    )
    assert sum(ally["cumulative_extra_usd_const2021_m"] for ally in body["allies"]) == (
        pytest.approx(body["cumulative_extra_usd_const2021_m"], abs=2)
    )
    assert body["years"][-1]["allies_counted"] == 31


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ("member=DEU&gdp_growth=10.5", "gdp_growth", "out of range"),
        ("member=DEU&gdp_growth=-5.1", "gdp_growth", "out of range"),
        ("member=DEU&gdp_growth=fast", "gdp_growth", "not a number"),
        ("member=DEU&defence_growth=31", "defence_growth", "out of range"),
        ("defence_growth=31", "defence_growth", "out of range"),
        ("member=DEU&target=total-6pct", "target", "unknown target"),
        ("member=DEU&target=equipment-20pct", "target", "unknown target"),
        ("member=DEU&deadline=2026", "deadline", "not after the newest year with data, 2026"),
        ("member=DEU&deadline=2051", "deadline", "out of range"),
        ("member=DEU&deadline=soon", "deadline", "not a year"),
        ("member=ISL", "member", "NATO publishes no figures for Iceland (no armed forces)"),
        ("member=XXX", "member", "unknown member"),
        ("member=DEU&ramp=sudden", "ramp", "unknown ramp"),
        ("member=DEU&edition=nato-1999", "edition", "unknown edition"),
        ("member=DEU&colour=red", "colour", "unknown parameter"),
    ],
)
def test_bad_input_answers_400_naming_the_parameter(client, query, parameter, message):
    response = client.get(f"/api/v1/scenarios/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"Bad query parameter: {parameter}."
    assert [(e["parameter"], e["message"]) for e in body["errors"]] == [(parameter, message)]


def test_every_bad_parameter_is_named_at_once(client):
    body = client.get("/api/v1/scenarios/?member=DEU&gdp_growth=20&ramp=x").json()

    assert {error["parameter"] for error in body["errors"]} == {"gdp_growth", "ramp"}


def test_the_scenario_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/scenarios/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"member", "target", "deadline", "ramp", "gdp_growth", "defence_growth"} <= names


def test_the_alliance_answer_takes_at_most_six_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/scenarios/")

    assert response.status_code == 200
    assert len(queries) <= 6, [query["sql"][:80] for query in queries]


def test_the_alliance_pace_mode_gives_each_allys_year_and_the_count_each_year(client):
    body = client.get("/api/v1/scenarios/?defence_growth=3&deadline=2035").json()

    assert body["inputs"]["defence_growth"] == 3
    assert body["mode"] == "pace"
    germany = next(ally for ally in body["allies"] if ally["iso3"] == "DEU")
    defence = fixture_value("DEU", 2026, "defence_usd_const2021_m")
    gdp_2026 = fixture_value("DEU", 2026, "gdp_usd_const2021_m")
    gdp_2021 = fixture_value("DEU", 2021, "gdp_usd_const2021_m")
    g = (gdp_2026 / gdp_2021) ** (1 / 5) - 1
    year = next(
        t
        for t in range(2026, 2101)
        if defence * 1.03 ** (t - 2026) / (gdp_2026 * (1 + g) ** (t - 2026)) * 100 >= 3.5
    )
    assert germany["year_reached"] == year
    reached = [a["year_reached"] for a in body["allies"]]
    assert body["allies_reached_by_deadline"] == sum(y is not None and y <= 2035 for y in reached)
    assert body["years"][-1]["allies_counted"] == 31
    assert "in every ally" in body["sentence"]
    assert body["cumulative_extra_usd_const2021_m"] == pytest.approx(
        sum(a["cumulative_extra_usd_const2021_m"] for a in body["allies"]), abs=1
    )


def test_the_alliance_ramp_publishes_no_year_reached(client):
    body = client.get("/api/v1/scenarios/").json()

    assert "year_reached" not in body["allies"][0]
    assert "allies_reached_by_deadline" not in body
