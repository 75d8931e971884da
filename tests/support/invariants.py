"""Whole-stack checks run when an e2e stack stops: the ledger balances, no stock is
negative, and every log line is JSON without personal data or secrets."""

from __future__ import annotations

import pytest

from tests.support.privacy import find_leaks
from tests.support.stack import start_stack, stop_stack


def data_problems(stack) -> list[str]:
    """Needs the stack running. The ledger check is the ops command, in its own process."""
    from gateways import aws_client

    problems = []
    r = stack.cli("ledger", "check")
    if r.returncode != 0:
        problems.append(
            f"tanpuhui ledger check exited {r.returncode}: {r.stdout[-3000:]} {r.stderr[-1000:]}"
        )
    ddb = aws_client("dynamodb", stack.settings())
    table = stack.settings().table_name("products")
    pools = {}
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page["Items"]:
            if int(item["stock"]["N"]) < 0:
                problems.append(f"product {item['product_id']['S']} has stock {item['stock']['N']}")
            if item.get("fulfilment", {}).get("S") == "activation_code":
                pools[item["product_id"]["S"]] = int(item["stock"]["N"])
    return problems + pool_problems(stack, ddb, pools)


def pool_problems(stack, ddb, pools: dict) -> list[str]:
    """An activation_code product's stock is exactly the number of its codes still free."""
    free = dict.fromkeys(pools, 0)
    table = stack.settings().table_name("activation_codes")
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page["Items"]:
            if "free_since" in item and "order_id" not in item:
                free[item["product_id"]["S"]] = free.get(item["product_id"]["S"], 0) + 1
    return [
        f"product {p}: stock {pools.get(p)} but {n} free codes"
        for p, n in free.items()
        if pools.get(p) != n
    ]


def log_problems(stack) -> list[str]:
    """Every line the stack wrote to stdout must be a JSON object free of leaks."""
    lines = stack.log_lines()
    if not lines:
        return ["the stack logged nothing: the log check would pass vacuously"]
    return find_leaks(lines)


def verified_stack(tmpdir: str, extra_env: dict):
    """Start a stack; at the end check its data and every line it logged, failing if anything is wrong."""
    s = start_stack(tmpdir, extra_env)
    problems = []
    try:
        yield s
        problems += data_problems(s)  # while it still runs: the checks read its tables
    finally:
        stop_stack(s)
    problems += log_problems(s)
    if problems:
        pytest.fail(
            "the e2e stack ended in a bad state:\n" + "\n".join(problems[:50]), pytrace=False
        )
