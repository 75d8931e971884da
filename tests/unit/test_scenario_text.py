from core.carbon.defaults import DEFAULTS
from core.carbon.scenario_text import describe

CITIZEN_SCENARIOS = [m for m in DEFAULTS if m.scope == "behaviour"]  # what /scenarios lists


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_default_scenario__chinese_name_unit_and_source():
    for m in CITIZEN_SCENARIOS:
        d = describe(m.to_dict(), "zh")
        assert _cjk(d["name"]) and _cjk(d["unit"]) and _cjk(d["source"]), m.code
        assert d["unit_code"] == m.unit


def test_every_default_scenario__english_on_request():
    for m in CITIZEN_SCENARIOS:
        d = describe(m.to_dict(), "en")
        assert not _cjk(d["name"]) and not _cjk(d["unit"]), m.code


def test_every_shipped_version_and_parameter__source_in_chinese():
    from core.carbon.defaults import PARAMETERS
    from core.carbon.listing_text import parameter_source
    from core.carbon.scenario_text import SOURCES_ZH

    assert [m.code for m in DEFAULTS if m.source not in SOURCES_ZH] == []
    assert all(
        _cjk(parameter_source(p, "zh")) and parameter_source(p, "zh") != p.source
        for p in PARAMETERS
    )
