"""Shared, versioned parameters (pure): the grid factor is one parameter every electricity
methodology refers to; a new version changes results from its date only, never a settled day."""

from decimal import Decimal as D

from core.carbon import rules
from core.carbon.defaults import CORRECTED, GRID_2023, PARAMETERS
from core.carbon.methodologies import TREE_YEAR, Methodology, Registry
from core.carbon.parameters import Parameter, check_parameter, next_version
from core.carbon.rules import Record

REG = Registry()
ELECTRICITY = ("power_saving", "pv", "project_pv", "project_heat_pump", "project_efficient_ac")


def _kwh(day: str, code: str = "power_saving", kwh: int = 10) -> list[Record]:
    return [Record(code, D(kwh), f"{day}T20:00:00+08:00", f"m-{day}")]


def _grams(reg, day, records) -> int:
    return sum(t.grams for t in rules.apply(records, day, reg, require_evidence=True))


def test_grid_2023__a_day_from_its_date_credits_0_4042_over_0_3869_more():
    before, after = "2026-12-31", GRID_2023
    assert before >= CORRECTED and after == "2027-01-01"
    g_before, g_after = _grams(REG, before, _kwh(before)), _grams(REG, after, _kwh(after))
    assert (g_before, g_after) == (3869, 4042)
    assert D(g_after) / D(g_before) == D("0.4042") / D("0.3869")  # 4.47 % more
    assert round((g_after / g_before - 1) * 100, 1) == 4.5


def test_settled_day__keeps_its_factor_when_a_later_parameter_version_is_published():
    day = "2026-12-20"
    (total,) = rules.apply(_kwh(day), day, REG)
    assert total.version == "2.1" and total.grams == 3869  # the label names grid_factor version 1
    later = Registry(
        parameters=PARAMETERS
        + (
            Parameter(
                "grid_factor", D("0.5"), "kg/kWh", "3", "2026-12-21", "a newer notice", "official"
            ),
        )
    )
    pins = {total.scenario: total.version}  # what settled_days.versions holds for the day
    assert _grams(later.pinned(pins), day, _kwh(day)) == 3869  # a re-run of the settled day
    assert _grams(later, "2026-12-21", _kwh("2026-12-21")) == 5000  # the next day: the new version
    assert later.in_force("power_saving", "2026-12-21").version == "2.3"
    assert (
        _grams(later.pinned(pins), GRID_2023, _kwh(GRID_2023)) == 3869
    )  # pinned, whatever the date


def test_grid_factor__one_parameter_behind_every_electricity_methodology():
    for code in ELECTRICITY:
        for day, version in (("2026-12-20", "1"), (GRID_2023, "2")):
            m = REG.in_force(code, day)
            assert ("grid_factor", version) in m.inputs, (code, day)
    assert (
        REG.in_force("power_saving", GRID_2023).grams_per_unit
        == REG.in_force("project_pv", GRID_2023).grams_per_unit
    )


def test_parameter_publication__guarded_like_a_methodology():
    today = "2026-12-07"

    def grid(value="0.41", source="a notice", day="2027-02-01", version="3", name="grid_factor"):
        return Parameter(name, D(value), "kg/kWh", version, day, source, "official")

    assert check_parameter(grid(), today, PARAMETERS) == []
    assert "the value must be > 0" in check_parameter(grid(value="0"), today, PARAMETERS)
    assert "a source is required" in check_parameter(grid(source=" "), today, PARAMETERS)
    assert any("after today" in p for p in check_parameter(grid(day=today), today, PARAMETERS))
    assert any(
        "unknown parameter" in p for p in check_parameter(grid(name="nope"), today, PARAMETERS)
    )
    assert any("exists already" in p for p in check_parameter(grid(version="2"), today, PARAMETERS))
    assert next_version(PARAMETERS, "grid_factor") == "3"


def test_corrections__new_versions_from_their_date_old_ones_untouched():
    assert (
        REG.version("bus", "1").grams_per_unit == 212
        and REG.version("tree_planting", "1").grams_per_unit == 18300
    )
    bus = REG.in_force("bus", CORRECTED)
    assert bus.inputs == (("bus_g_per_pkm", "1"), ("bus_trip_km", "1")) and bus.grams_per_unit == D(
        "212.51"
    )
    tree = REG.in_force("tree_planting", CORRECTED)
    assert tree.grams_per_unit == TREE_YEAR.grams == 6000 and tree.evidence == "government"
    assert REG.in_force("e_ticket", CORRECTED).grams_per_unit == 136
    assert REG.in_force("e_ticket_show", CORRECTED).grams_per_unit == 180
    assert REG.in_force("bike", CORRECTED).evidence == "government"
    assert REG.in_force("bike", CORRECTED).grams_per_unit == D("93.3")


def test_walk__from_version_2_the_latest_upload_of_a_day_counts():
    def walk(day):
        return [
            Record(
                "walk",
                D(25000),
                f"{day}T23:59:00+08:00",
                "a",
                {"uploaded_at": "2026-12-20T09:00:00+08:00"},
            ),
            Record(
                "walk",
                D(12000),
                f"{day}T23:59:00+08:00",
                "b",
                {"uploaded_at": "2026-12-20T21:00:00+08:00"},
            ),
        ]

    assert _grams(REG, "2026-12-10", walk("2026-12-10")) == 500  # version 1: the largest
    assert _grams(REG, CORRECTED, walk(CORRECTED)) == 240  # version 2: the latest


def test_walk__latest_upload_compared_as_a_time_not_as_text():
    # A WeRun stamp at +00:00 and a partner's at +08:00: as text "17:00+08:00" sorts after
    # "10:00+00:00", as times 09:00Z is before 10:00Z, so the 25,000 steps are the latest.
    day = CORRECTED
    records = [
        Record(
            "walk", D(25000), f"{day}T23:59:00+08:00", "a", {"uploaded_at": f"{day}T10:00:00+00:00"}
        ),
        Record(
            "walk", D(12000), f"{day}T23:59:00+08:00", "b", {"uploaded_at": f"{day}T17:00:00+08:00"}
        ),
    ]
    assert _grams(REG, day, records) == 500


def test_parameterised_version__round_trips_through_its_stored_form():
    m = REG.in_force("project_heat_pump", GRID_2023)
    assert Methodology.from_dict(m.to_dict()) == m
    raw = next(v for v in REG.published if v.code == "bus" and v.parameters)
    assert Methodology.from_dict(raw.to_dict()) == raw
    assert Parameter.from_dict(PARAMETERS[0].to_dict()) == PARAMETERS[0]


def test_projects__grid_parameter_and_evidence_rule_as_for_citizens():
    from core.enterprise import certify

    pv = certify.certify("pv", "2027-01-01", "2027-01-01", D(100), REG, require_evidence=True)
    assert (pv.version, pv.grams) == ("2.2", 40420)  # 100 kWh x 0.4042 kg/kWh
    day = "2026-12-10"  # project_cycling version 1 has no source: certified only where evidence is not required
    assert certify.certify("cycling", day, day, D(10), REG, require_evidence=True) is None
    assert certify.certify("cycling", day, day, D(10), REG).grams == 930
    assert (
        certify.certify("cycling", CORRECTED, CORRECTED, D(10), REG, require_evidence=True).grams
        == 933
    )


def test_a_new_version_priced_from_parameters__publishable_and_labelled_by_them():
    from core.carbon.methodologies import check_publication, new_version

    raw = max((m for m in REG.published if m.code == "pv"), key=lambda m: m.effective_from)
    v3 = new_version(raw, "3", "2027-03-01", source="a filed text")
    assert check_publication(v3, "2026-12-07") == []
    assert REG.publish(v3).in_force("pv", "2027-03-01").version == "3.2"
