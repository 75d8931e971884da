"""GET /api/v1/scenarios tells the truth for the stage it runs in (API.md), and shared parameters
are published and listed with `tanpuhui parameter publish|list` (guarded like a methodology)."""

import pytest

from core import localday
from core.carbon.defaults import CORRECTED, GRID_2023
from tests.support.cli import last_line, run_cli_streams

FIELDS = {
    "code",
    "name",
    "unit",
    "grams_per_unit",
    "daily_cap",
    "version",
    "source",
    "evidence",
    "credits",
    "not_credited_reason",
    "formula",
    "parameters",
    "versions",
}


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def prod_client(aws):
    import bootstrap
    from miniprogram_api import create_app

    prod = aws.with_(stage="prod")
    return create_app(prod, services=bootstrap.Services(prod)).test_client()


def _items(client, lang="zh"):
    r = client.get("/api/v1/scenarios", headers={"Accept-Language": lang})
    assert r.status_code == 200
    return {i["code"]: i for i in r.json["items"]}


def test_listing__local_and_test_stage__every_scenario_in_force_credits(client):
    today = localday.today()
    items = _items(client)
    assert len(items) >= 20 and all(FIELDS <= set(i) for i in items.values())
    for i in items.values():
        assert i["credits"] == (i["effective_from"] <= today), i["code"]
        assert (i["not_credited_reason"] is None) == i["credits"]
        assert _cjk(i["source"]) and _cjk(i["formula"]) and i["versions"], i["code"]


def test_listing__production_stage__evidence_none_never_listed_as_earning(prod_client):
    today = localday.today()
    items = _items(prod_client)
    for i in items.values():
        in_force = (
            next(v for v in reversed(i["versions"]) if v["effective_from"] <= today)
            if i["effective_from"] <= today
            else None
        )
        assert i["credits"] == (in_force is not None and in_force["evidence"] != "none"), i["code"]
        if not i["credits"]:
            assert _cjk(i["not_credited_reason"]), i["code"]
    water = items["water_saving"]
    assert water["credits"] is False and "证据等级" in water["not_credited_reason"]
    bike = items["bike"]  # the launch article's example: sourced from CORRECTED on
    assert bike["credits"] == (today >= CORRECTED)
    if not bike["credits"]:
        assert CORRECTED in bike["not_credited_reason"] and bike["evidence"] == "none"
    assert any(
        v["effective_from"] == CORRECTED and v["evidence"] == "government" for v in bike["versions"]
    )
    english = _items(prod_client, "en")["water_saving"]["not_credited_reason"]
    assert not _cjk(english) and "evidence none" in english


def test_listing__power_saving__grid_parameter_with_its_source_and_versions(client):
    ps = _items(client)["power_saving"]
    versions = {v["version"]: v for v in ps["versions"]}
    assert (
        versions["1"]["grams_per_unit"] == "387" and versions["1"]["note"]
    )  # misdated: said so, not rewritten
    assert (versions["2.1"]["effective_from"], versions["2.1"]["grams_per_unit"]) == (
        CORRECTED,
        "386.9",
    )
    assert (versions["2.2"]["effective_from"], versions["2.2"]["grams_per_unit"]) == (
        GRID_2023,
        "404.2",
    )
    if localday.today() >= CORRECTED:
        (grid,) = ps["parameters"]
        assert (
            grid["name"] == "grid_factor"
            and grid["evidence"] == "official"
            and "生态环境部" in grid["source"]
        )
        assert "电网" in ps["formula"]


def test_parameter_publish__guarded__then_every_dependent_scenario_shows_it(aws, client, capsys):
    today = localday.today()
    day = max(localday.add_days(today, 30), "2027-02-01")

    def publish(value, source, when):
        return run_cli_streams(
            capsys,
            "parameter",
            "publish",
            "grid_factor",
            value,
            "--source",
            source,
            "--evidence",
            "official",
            "--from",
            when,
            "--by",
            "ops",
        )

    refused = [("0.41", today), ("0", day), ("abc", day)]
    for value, when in refused:
        code, out, err = publish(value, "a notice", when)
        assert code != 0 and out == "", (value, when)
    code, _, _ = publish("0.41", " ", day)
    assert code != 0
    code, out, err = publish("0.41", "a later MEE notice", day)
    assert code == 0 and "parameter=grid_factor\nversion=3" in out, err
    assert "power_saving" in last_line(err) and "project_pv" in last_line(err)
    code, out, err = run_cli_streams(capsys, "parameter", "list")
    assert code == 0 and f"v3   from {day}  0.41 kg/kWh" in out
    for code_ in ("power_saving", "pv"):
        versions = {v["version"]: v for v in _items(client)[code_]["versions"]}
        assert (versions["2.3"]["effective_from"], versions["2.3"]["grams_per_unit"]) == (
            day,
            "410",
        )


def test_methodology_review__what_production_credits_today_and_why_not(aws, capsys):
    code, out, err = run_cli_streams(capsys, "methodology", "review")
    assert code == 0 and "water_saving" in out and "credits NOTHING" in out and "why not:" in out
    assert (
        "parameter grid_factor" in out and f"from {GRID_2023}: v2 0.4042 kg/kWh (official)" in out
    )
    assert "scenarios credit in production today" in last_line(err)
