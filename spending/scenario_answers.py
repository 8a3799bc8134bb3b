"""The scenario answer the API and the pages both give: inputs checked, frames read, maths run.

One function, `answer_scenario`, reads the query (a dict of strings, as in a URL), refuses bad
input with every parameter at fault named, and returns the scenario of `progress.scenarios`
with its inputs echoed, its assumptions and their sources, and the sentence that states it.
"""

from django.db.models import Q

from members.models import Member
from spending import frames, progress
from spending.progress import scenarios
from spending.progress.records import to_records
from spending.progress.shares import MEASURE_COLUMNS

PARAMETERS = ("member", "target", "deadline", "ramp", "gdp_growth", "defence_growth", "edition")
DEFAULT_TARGET = "core-3.5pct"
RAMP_LABELS = {
    "steady": "steady: defence grows by the same real rate every year",
    "linear": "linear: the share of GDP rises by the same points every year",
}


class ScenarioError(Exception):
    """Bad scenario input: `errors` lists {parameter, value, message, allowed}, one per fault."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{e['parameter']}: {e['message']}" for e in errors))
        self.errors = errors


def scenario_targets(targets):
    """The targets a scenario can aim at: floors on a share of GDP, by slug."""
    chosen = targets[(targets["basis"] == "gdp") & (targets["kind"] == "floor")]
    return {row["slug"]: row for row in chosen.to_dict("records")}


def answer_scenario(query, with_history=False):
    """The scenario for `query` (member, target, deadline, ramp, gdp_growth, defence_growth,
    edition; strings, any absent): a dict ready to serialise; raises ScenarioError.

    `with_history` adds `history`: NATO's share of GDP by year (the member's, or the
    alliance's sum) for the page's chart."""
    errors = []

    def fail(parameter, value, message, allowed):
        errors.append(
            {"parameter": parameter, "value": value, "message": message, "allowed": allowed}
        )

    def number(name, low, high):
        value = query.get(name) or None
        if value is None:
            return None
        allowed = f"a number from {low:g} to {high:g} (% a year)"
        try:
            parsed = float(value)
        except ValueError:
            fail(name, value, "not a number", allowed)
            return None
        if not low <= parsed <= high:
            fail(name, value, "out of range", allowed)
            return None
        return parsed

    # Reads: the editions and chosen edition's figures (one query), targets, members, breaks.
    edition_slug = query.get("edition") or None
    editions, edition, figures = frames.build_edition_figures_frames(edition_slug)
    if edition_slug is not None and edition is None:
        fail("edition", edition_slug, "unknown edition", ", ".join(editions["slug"]) or "none")
    targets = scenario_targets(frames.build_targets_frame())
    target_slug = query.get("target") or DEFAULT_TARGET
    target = targets.get(target_slug)
    if target is None:
        fail("target", target_slug, "unknown target", ", ".join(targets))
    ramp = query.get("ramp") or "steady"
    if ramp not in scenarios.RAMPS:
        fail("ramp", ramp, "unknown ramp", ", ".join(scenarios.RAMPS))
    gdp_growth = number("gdp_growth", *scenarios.GDP_GROWTH_RANGE_PCT)
    defence_growth = number("defence_growth", *scenarios.DEFENCE_GROWTH_RANGE_PCT)
    member = _member(query.get("member") or None, fail)

    deadline = _deadline(query.get("deadline") or None, target, figures, fail)
    if errors:
        raise ScenarioError(errors)

    breaks = frames.build_breaks_frame(edition)
    own = figures if member is None else figures[figures["iso3"] == member["iso3"]]
    baselines = scenarios.build_baselines(own, target, deadline, breaks=breaks)
    if member is not None and baselines.empty:
        raise ScenarioError(
            [
                {
                    "parameter": "member",
                    "value": member["iso3"],
                    "message": f"edition {edition} holds no share of GDP for it",
                    "allowed": "a member with figures in this edition",
                }
            ]
        )
    y0 = int(baselines["y0"].max())
    if deadline <= y0:
        raise ScenarioError(
            [
                {
                    "parameter": "deadline",
                    "value": str(deadline),
                    "message": f"not after the newest year with data, {y0}",
                    "allowed": f"a year from {y0 + 1} to {scenarios.DEADLINE_RANGE[1]}",
                }
            ]
        )

    inputs = {
        "member": None if member is None else member["iso3"],
        "target": target_slug,
        "threshold_pct": float(target["threshold_pct"]),
        "deadline": deadline,
        "ramp": ramp,
        "gdp_growth": gdp_growth,
        "defence_growth": defence_growth,
        "edition": edition,
    }
    edition_title = _edition_title(editions, edition)
    if member is None:
        result = scenarios.build_alliance_scenario(
            baselines, float(target["threshold_pct"]), deadline, ramp, gdp_growth, defence_growth
        )
        names = dict(Member.objects.values_list("iso3", "name"))
        for ally in result["allies"]:
            ally["name"] = names.get(ally["iso3"], ally["iso3"])
        result["sentence"] = _alliance_sentence(result)
    else:
        baseline = to_records(baselines)[0]
        result = scenarios.build_scenario(
            baseline, float(target["threshold_pct"]), deadline, ramp, gdp_growth, defence_growth
        )
        result["name"] = member["name"]
        result["currency"] = member["currency"]
        result["sentence"] = scenarios.describe_scenario(result, member["name"])
    result["assumptions"] = _assumptions(result, target, member, edition_title)
    if with_history:
        result["history"] = _history(figures, member, target)
    return {
        "inputs": inputs,
        "edition_title": edition_title,
        "target_name": target["name"],
        **result,
    }


def _history(figures, member, target):
    """[{year, status, share_of_gdp_pct}]: the member's measure, or the alliance's core share."""
    if member is None:
        alliance = progress.build_alliance_frame(figures, frames.build_members_frame())
        return to_records(alliance[["year", "status", "share_of_gdp_pct"]])
    shared = progress.add_shares(figures[figures["iso3"] == member["iso3"]])
    measure = MEASURE_COLUMNS[target["measure"]]
    rows = shared.sort_values("year")[["year", "status", measure]]
    return to_records(rows.rename(columns={measure: "share_of_gdp_pct"}))


def _member(code, fail):
    """The member's iso3, name and currency, or None for the alliance; reports bad codes."""
    if code is None:
        return None
    row = (
        Member.objects.filter(Q(iso3=code.upper()))
        .values("iso3", "name", "currency", "reports_figures")
        .first()
    )
    if row is None:
        fail("member", code, "unknown member", "the ISO3 code of a member, e.g. DEU")
        return None
    if not row["reports_figures"]:
        fail(
            "member",
            code,
            f"NATO publishes no figures for {row['name']} (no armed forces)",
            "a member NATO publishes figures for",
        )
        return None
    return row


def _deadline(value, target, figures, fail):
    """The deadline asked for, else the target's (the year after the data if it has passed)."""
    low, high = scenarios.DEADLINE_RANGE
    y0 = int(figures["year"].max()) if not figures.empty else low - 1
    if value is None:
        if target is None:
            return None
        return min(high, max(int(target["deadline_year"]), y0 + 1))
    try:
        deadline = int(value)
    except ValueError:
        fail("deadline", value, "not a year", f"a year from {low} to {high}")
        return None
    if not low <= deadline <= high:
        fail("deadline", value, "out of range", f"a year from {low} to {high}")
        return None
    if deadline <= y0:
        fail(
            "deadline",
            value,
            f"not after the newest year with data, {y0}",
            f"a year from {y0 + 1} to {high}",
        )
        return None
    return deadline


def _edition_title(editions, slug):
    rows = editions[editions["slug"] == slug]
    return str(rows["title"].iloc[0]) if len(rows) else slug


def _assumptions(result, target, member, edition_title):
    """Each assumption of the result with where it comes from, as [{label, value, source}]."""
    y0 = result["y0"]
    items = [
        {
            "label": "target",
            "value": f"{float(target['threshold_pct']):g}% of GDP by {result['deadline_year']}",
            "source": f"{target['name']}: {target.get('adopted') or 'NATO'}",
        },
        {"label": "figures", "value": f"NATO, {edition_title}", "source": "Tables 1, 2, 3 and 5"},
    ]
    if target["measure"] == "total_share_of_gdp_pct":
        items.append(
            {
                "label": "5% measured on core defence only",
                "value": "",
                "source": "NATO does not publish the up-to-1.5% defence- and security-related "
                "spending yet",
            }
        )
    if member is None:
        growth = result["gdp_growth_pct"]
        items.append(
            {
                "label": "real GDP growth",
                "value": "each ally's own"
                if growth is None
                else f"{growth:.2f}%/yr for every ally",
                "source": f"NATO Table 5, {y0 - 5}–{y0} (compound, never across a series break)"
                if growth is None
                else "chosen",
            }
        )
        if result.get("mode") == "pace":
            items.append(
                {
                    "label": "real growth of defence",
                    "value": f"{result['defence_growth_pct']:.2f}%/yr for every ally",
                    "source": "chosen",
                }
            )
    else:
        source = (
            f"NATO Table 5, {result['gdp_growth_first_year']}–{y0}"
            if result["gdp_growth_is_default"] and not result["gdp_growth_assumed"]
            else ("assumed: " + result["gdp_growth_note"])
            if result["gdp_growth_assumed"]
            else "chosen"
        )
        items.append(
            {
                "label": "real GDP growth",
                "value": f"{result['gdp_growth_pct']:.2f}%/yr",
                "source": source,
            }
        )
        items.append(
            {
                "label": "starting share",
                "value": f"{result['s0']:.2f}% in {y0} ({result['y0_status']})",
                "source": "NATO Table 3: defence ÷ GDP at constant 2021 prices (Tables 2 and 5)",
            }
        )
        if result["mode"] == "pace":
            items.append(
                {
                    "label": "real growth of defence",
                    "value": f"{result['defence_growth_pct']:.2f}%/yr",
                    "source": "chosen",
                }
            )
        if result["national_currency_per_usd"] is not None:
            items.append(
                {
                    "label": "exchange rate",
                    "value": f"{result['national_currency_per_usd']:.4g} {member['currency']} per "
                    "USD at 2021 prices",
                    "source": "NATO Table 1 (constant prices) ÷ Table 2 (constant prices)",
                }
            )
    if result.get("ramp"):
        items.append(
            {
                "label": "ramp",
                "value": RAMP_LABELS[result["ramp"]],
                "source": "The Hague Summit Declaration 2025, para 3: a credible, incremental path",
            }
        )
    return items


def _alliance_sentence(result):
    """The alliance answer in one sentence."""
    first, deadline = result["y0"] + 1, result["deadline_year"]
    threshold = f"{result['threshold_pct']:g}%"
    total = result["cumulative_extra_usd_const2021_m"] / 1000
    us = result["us_cumulative_extra_usd_const2021_m"] / 1000
    rest = result["europe_canada_cumulative_extra_usd_const2021_m"] / 1000
    money = (
        f"USD {total:,.1f} bn more over {first}–{deadline} than at its {result['y0']} level "
        f"(US {us:,.1f} bn, Europe and Canada {rest:,.1f} bn), at 2021 prices."
    )
    if result.get("mode") == "pace":
        counted = result["years"][-1]["allies_counted"]
        meeting = result["years"][-1]["allies_meeting_target"]
        never = result["allies_not_reached"]
        return (
            f"With defence growing {result['defence_growth_pct']:.1f}% a year in real terms in "
            f"every ally, {meeting} of the {counted} allies would be at {threshold} or more in "
            f"{deadline}"
            + (f" ({never} not before {scenarios.HORIZON_YEAR})" if never else "")
            + f"; the alliance would spend {money}"
        )
    return (
        f"For the {result['allies_below_target']} allies below {threshold} to reach it in "
        f"{deadline}, the alliance would spend USD {total:,.1f} bn more over {first}–{deadline} "
        f"than at its {result['y0']} level (US {us:,.1f} bn, Europe and Canada {rest:,.1f} bn), "
        "at 2021 prices."
    )
