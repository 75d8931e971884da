"""The catalogue speaks the citizen's language: a product's refund note is Chinese by default and
English with Accept-Language: en, as every other text a citizen reads (the product answers used to
carry an English `refund_note_en` beside the Chinese note in every default answer). A walker over
the list and one product, for each kind of fulfilment, refuses an English sentence in a default
answer and a Chinese one in an English answer."""

import re

import pytest

from models.mall import Product
from tests.support.mall import make_shop

# Three English words in a row: a sentence, not a code, unit or id.
ENGLISH = re.compile(r"\b[A-Za-z]{3,}\b(?:[\s,.:;'-]+\b[A-Za-z]{2,}\b){2,}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("fulfilment", ["voucher", "activation_code"])
@pytest.mark.parametrize(
    "header,english",
    [(None, False), ("zh-CN,zh;q=0.9", False), ("en", True), ("en-US,en;q=0.9", True)],
)
def test_product_answers__in_the_asked_language(client, fulfilment, header, english):
    pid = make_shop()["product_id"]
    Product(pid).update(actions=[Product.fulfilment.set(fulfilment)])
    headers = {"Accept-Language": header} if header else {}
    one = client.get(f"/api/v1/products/{pid}", headers=headers)
    listed = client.get("/api/v1/products?category=coffee", headers=headers)
    assert one.status_code == listed.status_code == 200
    assert [p for p in listed.json["items"] if p["id"] == pid] == [one.json]
    assert "refund_note_en" not in one.json
    note = one.json["refund_note"]
    assert bool(ENGLISH.search(note)) == english and bool(CJK.search(note)) != english, note
    if not english:  # the names and descriptions are the merchant's own (Chinese) text
        assert [s for s in _strings(listed.json) if ENGLISH.search(s)] == []
