"""PynamoDB sends a transaction's items grouped by kind, not in call order: core.books.transaction
derives the same order, so each cancellation reason names its write. Checked against PynamoDB itself."""

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from core.books.transaction import Labelled


class Thing(Model):
    class Meta:
        table_name = "things"
        region = "cn-north-1"

    key = UnicodeAttribute(hash_key=True)
    n = NumberAttribute(null=True)


class Sent:  # a connection that records what PynamoDB would send, and sends nothing
    def transact_write_items(
        self, condition_check_items, delete_items, put_items, update_items, **_
    ):
        self.items = [*condition_check_items, *delete_items, *put_items, *update_items]
        return {}


def test_sent_order__matches_the_items_pynamodb_sends():
    conn = Sent()
    tx = Labelled(TransactWrite(connection=conn))
    tx.update(Thing("u1"), [Thing.n.add(1)], Thing.n >= 0, label="u1")
    tx.save(Thing("p1"), Thing.key.does_not_exist(), label="p1")
    tx.condition_check(Thing, "c1", condition=Thing.key.exists(), label="c1")
    tx.update(Thing("u2"), [Thing.n.add(1)], label="u2")
    tx.save(Thing("p2"), label="p2")
    tx.tx._commit()
    sent = [
        item["Key"]["key"]["S"] if "Key" in item else item["Item"]["key"]["S"]
        for item in conn.items
    ]
    assert tx.sent_order() == sent == ["c1", "p1", "p2", "u1", "u2"]
    # a conditional write asks for the item as it is when its condition fails
    assert [item.get("ReturnValuesOnConditionCheckFailure") for item in conn.items] == [
        None,
        "ALL_OLD",
        None,
        "ALL_OLD",
        None,
    ]
