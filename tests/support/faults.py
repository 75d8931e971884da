"""Arm the local AWS endpoint's write faults over its HTTP control route (infra/endpoint_faults.py)."""

import json
import urllib.request


def _call(settings, method: str, ask: dict | None = None) -> dict:
    data = json.dumps(ask).encode() if ask is not None else None
    req = urllib.request.Request(
        settings.aws_endpoint + "/_endpoint/faults", data=data, method=method
    )
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())


def fail_write(settings, k: int = 1, after_applying: bool = False) -> dict:
    """The k-th DynamoDB write from now fails with a 500 (after being applied, if asked)."""
    return _call(settings, "POST", {"fail_write": k, "after_applying": after_applying})


def clear_faults(settings) -> dict:
    return _call(settings, "DELETE")


def faults(settings) -> dict:
    return _call(settings, "GET")
