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
        problems.append(f"tanpuhui ledger check exited {r.returncode}: {r.stdout[-3000:]} {r.stderr[-1000:]}")
    ddb = aws_client("dynamodb", stack.settings())
    table = stack.settings().table_name("products")
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        for item in page["Items"]:
            if int(item["stock"]["N"]) < 0:
                problems.append(f"product {item['product_id']['S']} has stock {item['stock']['N']}")
    return problems


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
        pytest.fail("the e2e stack ended in a bad state:\n" + "\n".join(problems[:50]), pytrace=False)
