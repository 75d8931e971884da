"""CloudWatch Embedded Metric Format, checked as CloudWatch reads it: a line of output that holds
`"_aws"` must be a JSON object whose `_aws` has a millisecond Timestamp and CloudWatchMetrics
directives (Namespace, Dimensions: lists of names, Metrics: Name and a known Unit), and whose
top level has every listed dimension as a string and every listed metric as a number (or a
list of numbers). CloudWatch drops a line that breaks any of these without a word.

tests/conftest.py runs `check` over every line each test captured (its stdout and stderr,
`capsys` included) and every e2e stack's output: `SEEN` counts the metric lines checked."""

from __future__ import annotations

import json

UNITS = frozenset(
    {
        "Seconds",
        "Microseconds",
        "Milliseconds",
        "Bytes",
        "Kilobytes",
        "Megabytes",
        "Gigabytes",
        "Terabytes",
        "Bits",
        "Kilobits",
        "Megabits",
        "Gigabits",
        "Terabits",
        "Percent",
        "Count",
        "Bytes/Second",
        "Kilobytes/Second",
        "Megabytes/Second",
        "Gigabytes/Second",
        "Terabytes/Second",
        "Bits/Second",
        "Kilobits/Second",
        "Megabits/Second",
        "Gigabits/Second",
        "Terabits/Second",
        "Count/Second",
        "None",
    }
)
SEEN = {
    "lines": 0,
    "names": set(),
}  # metric lines checked in this process, and the metrics they carried


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def problems(line: str) -> list[str]:
    """What makes one EMF line invalid ([] if valid)."""
    try:
        doc = json.loads(line)
    except ValueError:
        return ["not JSON"]
    aws = doc.get("_aws") if isinstance(doc, dict) else None
    if not isinstance(aws, dict):
        return ["no _aws object"]
    found = []
    if not _number(aws.get("Timestamp")):
        found.append("_aws.Timestamp is not a number of milliseconds")
    directives = aws.get("CloudWatchMetrics")
    if not isinstance(directives, list) or not directives:
        return [*found, "_aws.CloudWatchMetrics is not a non-empty list"]
    for d in directives:
        if not isinstance(d, dict):
            found.append("a directive is not an object")
            continue
        if not isinstance(d.get("Namespace"), str) or not 0 < len(d["Namespace"]) <= 255:
            found.append("Namespace missing or not 1-255 characters")
        sets = d.get("Dimensions")
        if not isinstance(sets, list) or not all(
            isinstance(s, list) and len(s) <= 30 for s in sets
        ):
            found.append("Dimensions is not a list of lists of at most 30 names")
            sets = []
        for name in {n for s in sets for n in s}:
            if not isinstance(name, str) or not isinstance(doc.get(name), str):
                found.append(f"dimension {name!r} has no string value on the line")
            elif not 0 < len(doc[name]) <= 1024:
                found.append(f"dimension {name!r} is empty or longer than 1024 characters")
        metrics = d.get("Metrics")
        if not isinstance(metrics, list) or not metrics or len(metrics) > 100:
            found.append("Metrics is not a list of 1-100 metrics")
            metrics = []
        for m in metrics:
            name = m.get("Name") if isinstance(m, dict) else None
            if not isinstance(name, str) or not 0 < len(name) <= 255:
                found.append("a metric has no Name of 1-255 characters")
                continue
            if "Unit" in m and m["Unit"] not in UNITS:
                found.append(
                    f"metric {name!r} has unit {m['Unit']!r}, which CloudWatch does not know"
                )
            v = doc.get(name)
            if not (
                _number(v) or isinstance(v, list) and v and len(v) <= 100 and all(map(_number, v))
            ):
                found.append(f"metric {name!r} has no numeric value on the line: {v!r}")
    return found


def check(text: str, where: str) -> list[str]:
    """Every metric line in `text` (output of any kind), counted in SEEN; its problems, if any."""
    found = []
    for n, line in enumerate(text.splitlines(), 1):
        if '"_aws"' not in line:
            continue
        # A CLI's progress bar (tqdm, on stderr beside the CLI's metric lines) leaves its line
        # open with \r and no newline, so a metric written meanwhile lands after it on the same
        # line: the metric itself starts at its own `{"_aws"`.
        line = line[max(line.find('{"_aws"'), 0) :]
        SEEN["lines"] += 1
        bad = problems(line)
        if not bad:
            SEEN["names"].update(
                m["Name"]
                for d in json.loads(line)["_aws"]["CloudWatchMetrics"]
                for m in d["Metrics"]
            )
        found += [f"{where} line {n}: {p}: {line[:300]}" for p in bad]
    return found
