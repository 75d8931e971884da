"""DynamoDB's wire format for the tests of the endpoint's own shortcuts (infra/moto_speedups.py):
the ledger items and the transaction actions those tests write again and again, spelled once."""


def entry_key(user: str, entry_id: str) -> dict:
    return {"user_id": {"S": user}, "entry_id": {"S": entry_id}}


def entry(user: str, entry_id: str, seq: str) -> dict:
    """A ledger item: its key and its by_time index key (seq), nothing else."""
    return {**entry_key(user, entry_id), "seq": {"S": seq}}


def put(table: str, item: dict, **condition) -> dict:
    return {"Put": {"TableName": table, "Item": item, **condition}}


def delete(table: str, key: dict, **condition) -> dict:
    return {"Delete": {"TableName": table, "Key": key, **condition}}


def set_balance(accounts: str, user: str, balance: str) -> dict:
    return {
        "Update": {
            "TableName": accounts,
            "Key": {"user_id": {"S": user}},
            "UpdateExpression": "SET balance = :b",
            "ExpressionAttributeValues": {":b": {"N": balance}},
        }
    }


def of_user(table: str, user: str, **more) -> dict:
    """A Query's arguments for one user's items (the table's partition, or an index's)."""
    return {
        "TableName": table,
        "KeyConditionExpression": "user_id = :u",
        "ExpressionAttributeValues": {":u": {"S": user}},
        **more,
    }
