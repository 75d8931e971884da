"""The alarms and the dashboard watch metrics the code really emits, read from the emitting call
sites (ASTs, nothing executed): a call of the metric function, whatever module it is imported
from and under whatever name, or `<module>.metric(...)`. A dimension passed through a function's
parameter (`run_summary(event)` → `metric("Errors", source=event)`) takes the values its callers
pass as constants. Also: the template passes cfn-lint, and every alarm has a runbook section."""

from __future__ import annotations

import ast
import json
import pathlib
import re

from infra import alarms, lambdas, template

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOURCES = ("core", "functions", "miniprogram_api", "gateways", "infra", "bootstrap.py")
ANY = object()  # a dimension value not known from the source (a variable)


def _metric_aliases(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(a.asname or a.name for a in node.names if a.name == "metric")
    return names


def _is_metric_call(call: ast.Call, aliases: set[str]) -> bool:
    f = call.func
    return (isinstance(f, ast.Name) and f.id in aliases) or (
        isinstance(f, ast.Attribute) and f.attr == "metric"
    )


def emitted(sources: dict[str, str]) -> list[tuple[str, dict]]:
    """(metric name, {dimension: value or ANY}) of every emitting call site in `sources` (path → text)."""
    sites, passed = (
        [],
        [],
    )  # passed: (function name, parameter position, site) for dims from parameters
    trees = {path: ast.parse(text) for path, text in sources.items()}
    for tree in trees.values():
        aliases = _metric_aliases(tree)
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        for call in [
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_metric_call(n, aliases)
        ]:
            if not call.args or not isinstance(call.args[0], ast.Constant):
                continue
            dims = {}
            for kw in call.keywords:
                if kw.arg in (None, "unit", "stage", "value"):
                    continue
                dims[kw.arg] = kw.value.value if isinstance(kw.value, ast.Constant) else ANY
            site = (call.args[0].value, dims)
            scope = parents.get(call)
            while scope is not None and not isinstance(
                scope, (ast.FunctionDef, ast.AsyncFunctionDef)
            ):
                scope = parents.get(scope)
            params = [a.arg for a in scope.args.args] if scope is not None else []
            bound = [
                kw
                for kw in call.keywords
                if isinstance(kw.value, ast.Name) and kw.value.id in params
            ]
            if not bound:
                sites.append(site)
            for kw in bound[:1]:  # the value comes from the callers (below), not from here
                passed.append((scope.name, params.index(kw.value.id), kw.arg, site))
    for tree in trees.values():
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call)]:
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            for fn, pos, dim, (metric, dims) in passed:
                if name == fn and len(call.args) > pos and isinstance(call.args[pos], ast.Constant):
                    sites.append((metric, {**dims, dim: call.args[pos].value}))
    return sites


def repo_sources() -> dict[str, str]:
    out = {}
    for top in SOURCES:
        paths = [ROOT / top] if top.endswith(".py") else sorted((ROOT / top).rglob("*.py"))
        out.update({str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in paths})
    return out


def _dims(dimensions: list[dict]) -> dict:
    return {d["Name"]: d["Value"] for d in dimensions if d["Name"] != "stage"}


def watched(t: dict) -> list[tuple[str, str, dict]]:
    """(where, metric, dims) of every metric of ours the template's alarms and dashboard read."""
    out = []
    for logical, res in t["Resources"].items():
        p = res["Properties"]
        if res["Type"] == "AWS::CloudWatch::Alarm":
            stats = [q["MetricStat"]["Metric"] for q in p.get("Metrics", []) if "MetricStat" in q]
            stats += (
                [
                    {
                        "Namespace": p["Namespace"],
                        "MetricName": p["MetricName"],
                        "Dimensions": p["Dimensions"],
                    }
                ]
                if "MetricName" in p
                else []
            )
            out += [
                (logical, m["MetricName"], _dims(m["Dimensions"]))
                for m in stats
                if m["Namespace"] == alarms.NAMESPACE
            ]
        if res["Type"] == "AWS::CloudWatch::Dashboard":
            for w in json.loads(p["DashboardBody"]["Fn::Sub"])["widgets"]:
                for row in w["properties"]["metrics"]:
                    if row[0] == alarms.NAMESPACE:
                        pairs = [x for x in row[2:] if not isinstance(x, dict)]
                        dims = {k: v for k, v in zip(pairs[::2], pairs[1::2]) if k != "stage"}
                        out.append((f"{logical}: {w['properties']['title']}", row[1], dims))
    return out


def missing(watch: list[tuple[str, str, dict]], sites: list[tuple[str, dict]]) -> list[str]:
    def matches(dims: dict, site_dims: dict) -> bool:
        return set(dims) == set(site_dims) and all(
            site_dims[k] is ANY or site_dims[k] == v for k, v in dims.items()
        )

    return [
        f"{where}: {metric} {dims}"
        for where, metric, dims in watch
        if not any(name == metric and matches(dims, d) for name, d in sites)
    ]


def test_every_metric_an_alarm_or_the_dashboard_watches_is_emitted_by_the_code():
    watch = watched(template.generate())
    assert {m for _, m, _ in watch} >= {
        "Errors",
        "YesterdaySettled",
        "NoticesUnknown",
        "WechatTokenAge",
    }
    assert missing(watch, emitted(repo_sources())) == []


def test_emitted__reads_call_sites_whatever_the_import_and_fails_on_a_metric_nobody_emits():
    sources = {
        "a.py": "from core.metrics import metric as m\ndef f():\n    m('Orders', 1, kind='x')\n",
        "b.py": "from core import metrics\ndef g(event):\n    metrics.metric('Errors', 1, source=event)\n"
        "def h():\n    g('send_notices')\n",
    }
    sites = emitted(sources)
    assert ("Orders", {"kind": "x"}) in sites and ("Errors", {"source": "send_notices"}) in sites
    watch = [
        ("A", "Errors", {"source": "send_notices"}),
        ("B", "Errors", {"source": "api"}),
        ("C", "Gone", {}),
        ("D", "Orders", {"kind": "y"}),
    ]
    assert missing(watch, sites) == [
        "B: Errors {'source': 'api'}",
        "C: Gone {}",
        "D: Orders {'kind': 'y'}",
    ]


def test_failed_runs_alarm_covers_every_function_run_summary():
    runs = {
        d["source"]
        for name, d in emitted(repo_sources())
        if name == "Errors" and d.get("source") is not ANY
    }
    assert set(alarms.FUNCTION_RUNS) <= runs
    unpaged = runs - set(alarms.FUNCTION_RUNS) - {"api", "redemption"}
    assert unpaged == {"day_index_backfill"}, (
        f"a new function run: add it to infra/alarms.FUNCTION_RUNS: {unpaged}"
    )


def test_template__cfn_lint_finds_no_error():
    from cfnlint.api import ManualArgs, lint

    matches = lint(json.dumps(template.generate()), config=ManualArgs(regions=["cn-northwest-1"]))
    errors = [
        f"{m.rule.id} {'/'.join(map(str, m.path))}: {m.message}"
        for m in matches
        if m.rule.id.startswith("E")
    ]
    assert errors == []


def test_cfn_lint__catches_a_broken_alarm():
    from cfnlint.api import ManualArgs, lint

    t = template.generate()
    t["Resources"]["AlarmApi5xx"]["Properties"]["ComparisonOperator"] = "Bigger"
    assert any(
        m.rule.id.startswith("E")
        for m in lint(json.dumps(t), config=ManualArgs(regions=["cn-northwest-1"]))
    )


def runbook_sections(readme: str) -> dict[str, str]:
    part = readme.split("\n## Runbook", 1)[1].split("\n## ", 1)[0]
    return {
        m.group(1).strip("` "): m.group(2)
        for m in re.finditer(r"^### (.+?)\n(.*?)(?=^### |\Z)", part, re.S | re.M)
    }


def test_every_alarm_has_a_runbook_section_naming_it():
    sections = runbook_sections((ROOT / "README.md").read_text(encoding="utf-8"))
    for a in alarms.alarms():
        assert a.runbook in sections, f"README ## Runbook has no ### {a.runbook}"
        text = sections[a.runbook]
        assert a.name in a.runbook or a.name in text, f"### {a.runbook} does not name {a.name}"
        for part in ("Logs Insights", "tanpuhui ", "Confirm"):
            assert part in text, f"### {a.runbook} has no {part!r}"


def test_settle_alarm__day_window_ends_at_04_00_shanghai():
    p = template.generate()["Resources"]["AlarmSettleDateMissing"]["Properties"]
    assert p["Period"] == 86400 and p["TreatMissingData"] == "breaching"
    assert (
        p["EvaluationWindow"]["WallClockWindow"]["Timezone"] == "+04:00"
    )  # 00:00 at UTC+4 = 04:00 at UTC+8


def test_lambda_timeouts__dev_and_prod_alike():
    stages = json.loads(pathlib.Path(lambdas.SETTINGS).read_text())
    for suffix in lambdas.ROLES.values():
        assert (
            lambdas._stage(stages, "dev" + suffix)["timeout_seconds"]
            == lambdas._stage(stages, "prod" + suffix)["timeout_seconds"]
        )
