"""The footprint estimate in English on request: every word a citizen reads (units, sources,
suggestions, the city figure's source) has no Chinese in it, and the numbers are the Chinese
answer's, whatever the answers, the fuel and the grid parameter in force."""

import re
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.carbon import estimate
from core.carbon import estimate_rules as r
from core.carbon.methodologies import Registry
from tests.unit.test_estimate_rules import ANSWERS

HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # Han and CJK punctuation
TITLE = re.compile(r"《[^》]*》")  # a Chinese document's own title, cited as it is published
IN_FORCE = {
    code: r.Scenario(code, Decimal(100), Decimal(20))
    for code in ("metro", "bus", "bike", "power_saving", "clean_plate", "recycling_clothes")
}
REGISTRY = Registry()


def _words(out: dict) -> list[str]:
    return (
        [p["unit"] for p in out["parts"]]
        + [p["source"] for p in out["parts"]]
        + [s["how"] for s in out["suggestions"]]
        + [out["city_source"]]
    )


def _numbers(out: dict) -> list:
    return (
        [out["total_kg"], out["city_per_capita_kg"]]
        + [(p["part"], p["kg"], p["factor"], p["evidence"]) for p in out["parts"]]
        + [(s["scenario"], s["kg_year"], s["coins_year"]) for s in out["suggestions"]]
    )


@given(**ANSWERS, day=st.sampled_from(["2026-12-31", "2027-01-01"]))  # either grid version
def test_english_words_same_numbers(kwh, size, gas, km, fuel, flights, diet, clothes, gadgets, day):
    a = r.Answers(kwh, size, gas, km, fuel, flights, diet, clothes, gadgets)
    table = estimate.factors(REGISTRY, day)
    zh = r.estimate(a, IN_FORCE, 10, table)
    en = r.estimate(a, IN_FORCE, 10, table, english=True)
    assert _numbers(en) == _numbers(zh)
    assert not [w for w in _words(en) if HAN.search(TITLE.sub("", w))], _words(en)
    assert any(HAN.search(w) for w in _words(zh))  # Chinese stays the default
