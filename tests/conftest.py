"""Fixtures: settings → moto (in-process) → app → client → citizen, and the e2e stack.

Integration tests run against moto in-process; a simulator (WeChat, Yangchengtong) is served
over real HTTP on a free port only for a test that uses it: one that names `wechat_sim` or
`yct_sim` (directly, through `login`/`citizen`, or with `pytest.mark.usefixtures`). Any other
test's settings point that outside system at a closed port, so an unexpected call fails at
once instead of reaching the internet. e2e tests use the whole local stack (see tests/e2e).
"""

from __future__ import annotations

import itertools
import os

import pytest

from core import settings as settings_mod
from tests.support.stack import free_port

_names = itertools.count()
NOWHERE = "http://127.0.0.1:9/"  # the discard port: nothing listens, a call is refused at once
SIMULATORS = {"wechat_sim": "wechat_api_base", "yct_sim": "yct_api_base"}


@pytest.fixture(autouse=True)
def _fresh_function_services():
    """A Lambda container's services (bootstrap.for_function) are cached for the process: an
    earlier test's would keep its settings (tables, simulator URLs) for the next one."""
    import sys

    def clear():
        if "bootstrap" in sys.modules:
            sys.modules["bootstrap"].for_function.cache_clear()

    clear()
    yield
    clear()


@pytest.fixture
def settings():
    from core import logs, metrics

    logs.setup("INFO")
    metrics.setup(None)  # stdout: an earlier in-process CLI run may have left its closed stderr
    # One credit transaction at a time: in-process moto is not safe under concurrent requests
    # (it loses conditional updates); endpoint_aws, the serialised server, runs the default.
    return settings_mod.use(
        settings_mod.Settings(stage="test", table_prefix=f"t{os.getpid()}", settle_in_flight=1)
    )


@pytest.fixture
def wechat_sim(settings):
    from infra.servers import ThreadedServer
    from infra.sim_wechat import create_sim

    server = ThreadedServer(
        create_sim(
            settings.wechat_appid, settings.wechat_secret, settings.oa_appid, settings.oa_secret
        ),
        port=free_port(),
    ).start()
    yield server
    server.stop()


@pytest.fixture
def yct_sim(settings):
    from infra.servers import ThreadedServer
    from infra.sim_yct import create

    server = ThreadedServer(create(settings), port=free_port()).start()
    yield server
    server.stop()


def _simulated(request, settings):
    """The settings pointed at the simulators this test uses (started now), others at NOWHERE."""
    return settings.with_(
        **{
            base: request.getfixturevalue(name).url + "/"
            if name in request.fixturenames
            else NOWHERE
            for name, base in SIMULATORS.items()
        }
    )


@pytest.fixture
def aws(request, settings):
    """moto in-process, tables created; yields the settings, pointed at the simulators the test uses."""
    from moto import mock_aws

    from gateways import aws_client
    from infra import tables

    with mock_aws():
        s = settings_mod.use(_simulated(request, settings))
        tables.create_all(s)
        tables.ensure_bucket(s, aws_client("s3", s))
        yield s


@pytest.fixture
def services(aws):
    """What bootstrap builds from the test's settings: the app's, and the one tests hand to core."""
    import bootstrap

    return bootstrap.Services(aws)


@pytest.fixture
def app(aws, services):
    from miniprogram_api import create_app

    return create_app(aws, services=services)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client, wechat_sim):
    """login(name) -> (token, user json), through the WeChat simulator."""

    def do(name: str | None = None):
        name = name or f"user{next(_names)}"
        r = client.post("/api/v1/auth/login", json={"code": f"test-{name}.{next(_names)}"})
        assert r.status_code == 200, r.json
        return r.json["token"], r.json["user"]

    return do


@pytest.fixture
def citizen(login):
    token, user = login()
    return {"Authorization": f"Bearer {token}", "user": user, "token": token}


@pytest.fixture
def endpoint_aws(request, settings):
    """Like `aws`, but on the serialised moto server over real HTTP (infra.aws_endpoint):
    use it for concurrency tests, where in-process moto can lose conditional updates."""
    import urllib.request

    from gateways import aws_client
    from infra import tables
    from infra.aws_endpoint import AwsEndpoint

    endpoint = AwsEndpoint(port=free_port()).start()
    # moto keeps its state per process, shared by every server in it: start each test empty.
    urllib.request.urlopen(
        urllib.request.Request(endpoint.url + "/moto-api/reset", method="POST")
    ).read()
    try:
        # settle_in_flight as configured: the serialised endpoint is safe under concurrent requests
        s = settings_mod.use(
            _simulated(request, settings).with_(
                aws_endpoint=endpoint.url, settle_in_flight=settings_mod.Settings.settle_in_flight
            )
        )
        tables.create_all(s)
        tables.ensure_bucket(s, aws_client("s3", s))
        yield s
    finally:
        endpoint.stop()


@pytest.fixture
def endpoint_ddb(endpoint_aws):
    """The low-level DynamoDB client on `endpoint_aws`: the wire the endpoint's shortcuts answer."""
    from gateways import aws_client

    return aws_client("dynamodb", endpoint_aws)


def pytest_addoption(parser):
    parser.addoption(
        "--fuzz-examples", type=int, default=25, help="schemathesis examples per operation"
    )


# Every metric line a test's code writes is checked as CloudWatch reads it (tests/support/emf.py):
# what the test captured (stdout and stderr), and what it took itself through `capsys` before that.
@pytest.fixture
def capsys(capsys):
    return _EmfCheckedCapture(capsys)


class _EmfCheckedCapture:
    def __init__(self, capture):
        self._capture = capture

    def readouterr(self):
        from tests.support import emf

        got = self._capture.readouterr()
        bad = emf.check(got.out, "stdout (capsys)") + emf.check(got.err, "stderr (capsys)")
        assert not bad, "invalid EMF metric lines:\n" + "\n".join(bad)
        return got

    def __getattr__(self, name):  # disabled() and the rest, as pytest's own
        return getattr(self._capture, name)


_emf_reported = [0]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    from tests.support import emf

    report = yield
    bad = emf.check(report.capstdout, "captured stdout") + emf.check(
        report.capstderr, "captured stderr"
    )
    # Lines checked since the last report (here, through capsys, by a stack's stop): summed by the summary.
    report.user_properties.append(("emf_lines", emf.SEEN["lines"] - _emf_reported[0]))
    _emf_reported[0] = emf.SEEN["lines"]
    if bad and not report.failed:
        report.outcome, report.longrepr = "failed", "invalid EMF metric lines:\n" + "\n".join(bad)
    return report


def _emf_summary(terminalreporter) -> None:
    from tests.support import emf

    reports = [
        r for rs in terminalreporter.stats.values() for r in rs if hasattr(r, "user_properties")
    ]
    seen = sum(v for r in reports for k, v in r.user_properties if k == "emf_lines")
    terminalreporter.write_line(
        f"EMF check: {seen} metric lines checked (test output, capsys, e2e stacks and CLIs)"
        + (
            f"; in this process: {', '.join(sorted(emf.SEEN['names']))}"
            if emf.SEEN["names"]
            else ""
        )
    )


LONG_FILE_LINES = (
    250  # past this a module is a question for a person (split by idea?), not a failure
)
PRODUCT = ("bootstrap.py", "core", "miniprogram_api", "functions", "gateways", "models", "infra")


def pytest_terminal_summary(terminalreporter):
    """The EMF check's count; the product's modules over LONG_FILE_LINES: a note, never a failure."""
    import pathlib

    _emf_summary(terminalreporter)

    root = pathlib.Path(__file__).resolve().parents[1]
    files = [
        p
        for name in PRODUCT
        for p in ([root / name] if name.endswith(".py") else (root / name).rglob("*.py"))
    ]
    long = {
        str(p.relative_to(root)): n
        for p in files
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONG_FILE_LINES
    }
    if long:
        terminalreporter.write_sep(
            "-", f"modules over {LONG_FILE_LINES} lines (worth a look, not a failure)"
        )
        for path, n in sorted(long.items(), key=lambda kv: -kv[1]):
            terminalreporter.write_line(f"{n:5d}  {path}")
