"""The EMF check (tests/support/emf.py) refuses what CloudWatch would drop, and every line
core.metrics can write passes it; and no module but core/metrics.py writes metric lines."""

import ast
import io
import json
import pathlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import metrics
from tests.support import emf

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRODUCT = ("core", "miniprogram_api", "functions", "gateways", "models", "infra")


def _line(**changes):
    doc = {
        "_aws": {
            "Timestamp": 1796613094168,
            "CloudWatchMetrics": [
                {
                    "Namespace": "Tanpuhui",
                    "Dimensions": [["source", "stage"]],
                    "Metrics": [{"Name": "Errors", "Unit": "Count"}],
                }
            ],
        },
        "event": "metric",
        "stage": "prod",
        "source": "api",
        "Errors": 1,
    }
    for key, value in changes.items():
        if value is None:
            doc.pop(key)
        else:
            doc[key] = value
    return json.dumps(doc)


def test_valid_line__no_problems():
    assert emf.problems(_line()) == []


@pytest.mark.parametrize(
    "line, problem",
    [
        (
            _line(source=None),
            "dimension 'source' has no string value",
        ),  # what the old scrubber did to `code`
        (_line(source=3), "dimension 'source' has no string value"),
        (_line(Errors="1"), "metric 'Errors' has no numeric value"),
        (_line(Errors=True), "metric 'Errors' has no numeric value"),
        (_line(Errors=None), "metric 'Errors' has no numeric value"),
        (_line(_aws={"CloudWatchMetrics": []}), "Timestamp"),
        (
            _line(
                _aws={
                    "Timestamp": 1,
                    "CloudWatchMetrics": [
                        {
                            "Namespace": "T",
                            "Dimensions": [["stage"]],
                            "Metrics": [{"Name": "Errors", "Unit": "Coins"}],
                        }
                    ],
                }
            ),
            "unit 'Coins'",
        ),
        (
            _line(
                _aws={"Timestamp": 1, "CloudWatchMetrics": [{"Dimensions": "stage", "Metrics": []}]}
            ),
            "Namespace",
        ),
        ('{"_aws": ', "not JSON"),
        ('{"level": "info", "_aws": 3}', "no _aws object"),
    ],
)
def test_invalid_line__named(line, problem):
    assert any(problem in p for p in emf.problems(line)), emf.problems(line)


@given(
    name=st.from_regex(r"[A-Z][A-Za-z]{0,40}", fullmatch=True),
    value=st.one_of(
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
    ),
    dims=st.dictionaries(
        st.sampled_from(sorted(metrics.DIMENSIONS)),
        st.one_of(st.text(min_size=1, max_size=60), st.integers(), st.booleans(), st.none()),
    ),
    stage=st.sampled_from(["local", "test", "dev", "prod"]),
)
def test_every_line_metric_writes__valid_emf(name, value, dims, stage):
    buf = io.StringIO()
    metrics.setup(buf)
    try:
        metrics.metric(name, value, stage=stage, **dims)
    finally:
        metrics.setup(None)
    [line] = buf.getvalue().splitlines()
    assert emf.problems(line) == []
    assert {k: json.loads(line)[k] for k in dims} == {
        k: str(v) for k, v in dims.items()
    }  # as given, unscrubbed


def _product_files():
    return [ROOT / "bootstrap.py"] + [p for d in PRODUCT for p in sorted((ROOT / d).rglob("*.py"))]


def test_one_writer__no_module_but_core_metrics_builds_an_emf_line():
    writers = [
        str(p.relative_to(ROOT))
        for p in _product_files()
        if "CloudWatchMetrics" in p.read_text(encoding="utf-8")
        or '"_aws"' in p.read_text(encoding="utf-8")
    ]
    assert writers == ["core/metrics.py"]


def test_metric_call_sites__literal_name_and_known_dimensions():
    calls = []
    for path in _product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "metric"
            ):
                calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    assert len(calls) >= 10, (
        calls
    )  # the scan finds them: requestlog, runlog, placing, redemption, payments, ...
    for where, call in calls:
        assert (
            call.args
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
        ), where
        names = {k.arg for k in call.keywords}
        assert None not in names, f"{where}: dimensions spelled out, not **passed"
        assert names <= metrics.DIMENSIONS | {"unit", "stage"}, (
            f"{where}: {names - metrics.DIMENSIONS}"
        )
        assert call.args[0].value not in names | {"event", "_aws"}, where
