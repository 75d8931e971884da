"""Fixtures: settings → moto (in-process) → app → client → citizen, and the e2e stack.

Integration tests run against moto in-process with the WeChat simulator served
over real HTTP on a free port; e2e tests use the whole local stack (see tests/e2e).
"""
from __future__ import annotations

import itertools
import os

import pytest

from core import settings as settings_mod
from tests.support.stack import free_port

_names = itertools.count()


@pytest.fixture
def settings():
    from core import logs

    logs.setup("INFO")
    return settings_mod.use(settings_mod.Settings(stage="test", table_prefix=f"t{os.getpid()}"))


@pytest.fixture
def wechat_sim(settings):
    from infra.servers import ThreadedServer
    from infra.sim_wechat import create_sim

    server = ThreadedServer(create_sim(settings.wechat_appid, settings.wechat_secret, settings.oa_appid,
                                       settings.oa_secret), port=free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def yct_sim(settings):
    from infra.servers import ThreadedServer
    from infra.sim_yct import create

    server = ThreadedServer(create(settings), port=free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def aws(settings, wechat_sim, yct_sim):
    """moto in-process, tables created; yields the settings pointed at the simulator."""
    from moto import mock_aws

    from gateways import aws_client
    from infra import tables

    with mock_aws():
        s = settings_mod.use(settings.with_(wechat_api_base=wechat_sim.url + "/", yct_api_base=yct_sim.url + "/"))
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
def login(client):
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
def endpoint_aws(settings, wechat_sim, yct_sim):
    """Like `aws`, but on the serialised moto server over real HTTP (infra.aws_endpoint):
    use it for concurrency tests, where in-process moto can lose conditional updates."""
    from gateways import aws_client
    from infra import tables
    from infra.aws_endpoint import AwsEndpoint

    import urllib.request

    endpoint = AwsEndpoint(port=free_port()).start()
    # moto keeps its state per process, shared by every server in it: start each test empty.
    urllib.request.urlopen(urllib.request.Request(endpoint.url + "/moto-api/reset", method="POST")).read()
    try:
        s = settings_mod.use(settings.with_(aws_endpoint=endpoint.url, wechat_api_base=wechat_sim.url + "/",
                                            yct_api_base=yct_sim.url + "/"))
        tables.create_all(s)
        tables.ensure_bucket(s, aws_client("s3", s))
        yield s
    finally:
        endpoint.stop()


def pytest_addoption(parser):
    parser.addoption("--fuzz-examples", type=int, default=25, help="schemathesis examples per operation")
