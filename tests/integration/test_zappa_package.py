"""Build the real Lambda packages of both stages with `zappa package` (offline, dummy
credentials): the API function (`dev`) and the worker (`dev_worker`, extends dev). Unzip
them and invoke their handlers as Lambda would: API Gateway proxy events for /healthz and
login on the API (against a local serialised endpoint and the WeChat simulator), a
scheduled event and an SQS work unit on the worker. Only boto3 and its dependencies come
from outside the package, as on the Lambda runtime. Both ship compiled bytecode."""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile

import pytest

from tests.support.events import EVENTS
from tests.support.stack import ROOT, free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("zappa")]

LAMBDA_RUNTIME_PACKAGES = [
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "dateutil",
    "six.py",
    "urllib3",
]

INVOKE = r"""
import json, sys
sys.path[:] = [p for p in sys.path if "site-packages" not in p]
import handler

class Context:
    aws_request_id = "local-invoke"
    function_name = "tanpuhui-dev"
    memory_limit_in_mb = 512
    def get_remaining_time_in_millis(self):
        return 30000

out = {}
for name in sys.argv[1:]:
    with open(f"{EVENTS}/{name}.json") as f:
        out[name] = handler.lambda_handler(json.load(f), Context())
print("RESULT" + json.dumps(out, default=str))
"""


def _build(tmp_path_factory, stage):
    out = tmp_path_factory.mktemp("zappa_" + stage)
    zip_path = out / f"{stage}.zip"
    venv_bin = os.path.dirname(sys.executable)
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "dummy",
        "AWS_SECRET_ACCESS_KEY": "dummy",
        "AWS_DEFAULT_REGION": "cn-northwest-1",
        "VIRTUAL_ENV": os.path.dirname(venv_bin),
        "PATH": venv_bin + os.pathsep + os.environ["PATH"],
    }
    r = subprocess.run(
        [os.path.join(venv_bin, "zappa"), "package", stage, "-o", str(zip_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    unpacked = out / "unpacked"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(unpacked)
    runtime = out / "runtime"  # what the Lambda Python runtime provides besides the package
    runtime.mkdir()
    site = sysconfig.get_paths()["purelib"]
    for name in LAMBDA_RUNTIME_PACKAGES:
        os.symlink(os.path.join(site, name), runtime / name)
    return {"zip": zip_path, "dir": unpacked, "runtime": runtime}


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return _build(tmp_path_factory, "dev")


@pytest.fixture(scope="module")
def worker_package(tmp_path_factory):
    return _build(tmp_path_factory, "dev_worker")


def _package_settings(pkg) -> dict:
    """The stage settings zappa baked into the package (zappa_settings.py at its root)."""
    namespace: dict = {}
    exec(zipfile.ZipFile(pkg["zip"]).read("zappa_settings.py").decode(), namespace)
    return namespace


def _invoke(pkg, endpoint_url, extra_env, *events):
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{pkg['dir']}{os.pathsep}{pkg['runtime']}",
        "AWS_ENDPOINT": endpoint_url,
        "TOKEN_SECRET": "t" * 32,
        "HASH_KEY": "h" * 32,
        "YCT_CHANNEL": "c",
        "YCT_KEY": "k",
        "OA_TOKEN": "oa-token",
        "OA_AES_KEY": "k" * 43,
        "WECHATPAY_MCHID": "1900000109",
        "WECHATPAY_SERIAL_NO": "S1",
        "WECHATPAY_PRIVATE_KEY": "unused by these events",
        "WECHATPAY_APIV3_KEY": "a" * 32,
        "WECHATPAY_NOTIFY_URL": "https://x.invalid/n",
        "WECHATPAY_PUBLIC_KEY": "unused",
        "WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1",
        # Required in dev/prod since the transparency log signs its heads; the local-only key will do.
        "LOG_SIGNING_KEY": open(
            os.path.join(ROOT, "core", "log_local_signing_key.pem"), encoding="ascii"
        ).read(),
        "AWS_ACCESS_KEY_ID": "dummy",
        "AWS_SECRET_ACCESS_KEY": "dummy",
        **extra_env,
    }
    script = INVOKE.replace("{EVENTS}", EVENTS)
    r = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            script.replace(
                "import json, sys",
                f"import json, sys; sys.path[:0] = {[str(pkg['dir']), str(pkg['runtime'])]!r}",
            ),
        ]
        + list(events),
        cwd=str(pkg["dir"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    for line in r.stdout.split("RESULT", 1)[0].splitlines():
        if line.strip().startswith("{"):
            json.loads(line)  # every line the package logged is JSON
    return json.loads(r.stdout.split("RESULT", 1)[1]), r.stdout


def test_packages__two_stages_of_one_codebase(package, worker_package):
    api, worker = _package_settings(package), _package_settings(worker_package)
    assert api["API_STAGE"] == "dev" and worker["API_STAGE"] == "dev_worker"
    assert api["APP_MODULE"] == worker["APP_MODULE"] == "miniprogram_api.wsgi"
    assert not api.get("AWS_EVENT_MAPPING")  # the API function runs no batch work
    mapped = {
        f
        for fs in worker["AWS_EVENT_MAPPING"].values()
        for f in ([fs] if isinstance(fs, str) else fs)
    }
    assert {"functions.ingest_trips.handler", "functions.work_unit.handler"} <= mapped
    stages = json.load(open(os.path.join(ROOT, "zappa_settings.json")))
    assert (
        stages["dev_worker"]["extends"] == "dev" and stages["dev_worker"]["timeout_seconds"] == 900
    )
    assert (
        stages["dev"]["timeout_seconds"] == 30
        and stages["dev_worker"]["apigateway_enabled"] is False
    )


def test_packages__ship_bytecode_for_the_runtime(package, worker_package):
    tag = sys.implementation.cache_tag
    for pkg in (package, worker_package):
        names = set(zipfile.ZipFile(pkg["zip"]).namelist())
        for module in (
            "handler",
            "miniprogram_api/__init__",
            "core/settings",
            "functions/work_unit",
            "flask/app",
            "pynamodb/models",
            "miniprogram_api/shapes",
        ):
            folder, _, base = module.rpartition("/")
            assert f"{folder + '/' if folder else ''}__pycache__/{base}.{tag}.pyc" in names, module
        # Unchecked hash: valid wherever the package is unzipped, whatever the files' times.
        pyc = zipfile.ZipFile(pkg["zip"]).read(f"core/__pycache__/settings.{tag}.pyc")
        assert int.from_bytes(pyc[4:8], "little") == 0b01


def test_package__trimmed__no_test_or_dev_tools_inside(package):
    names = zipfile.ZipFile(package["zip"]).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {
        "handler.py",
        "bootstrap.py",
        "miniprogram_api",
        "functions",
        "core",
        "models",
        "gateways",
    } <= tops
    assert (
        not {
            "moto",
            "pytest",
            "hypothesis",
            "tests",
            "bench",
            "boto3",
            "botocore",
            "selenium",
            "schemathesis",
            "pydantic",
            "spectree",
        }
        & tops
    )
    # /docs and the merchant page are served from the package: Swagger UI's files and the pages' own.
    assert {
        "flask_swagger_ui/dist/swagger-ui-bundle.js",
        "flask_swagger_ui/dist/swagger-ui.css",
        "miniprogram_api/static/docs.js",
        "miniprogram_api/static/merchant.js",
        "miniprogram_api/static/merchant.css",
        "miniprogram_api/static/merchant.html",
    } <= set(names)
    assert os.path.getsize(package["zip"]) < 40 * 1024 * 1024
    settings = (
        json.loads(zipfile.ZipFile(package["zip"]).read("zappa_settings.json") or "{}")
        if "zappa_settings.json" in names
        else {}
    )
    assert not settings or settings.get("dev", {}).get("log_level") != "DEBUG"


def test_packages__handlers_answer_api_gateway_schedule_and_work_unit(
    package, worker_package, settings
):
    from core import settings as settings_mod
    from functions import work_queue
    from gateways import aws_client
    from infra import tables
    from infra.aws_endpoint import AwsEndpoint
    from infra.servers import ThreadedServer
    from infra.sim_wechat import create_sim

    endpoint = AwsEndpoint(port=free_port()).start()
    sim = ThreadedServer(
        create_sim("wx-zappa", "zappa-secret", "wx-zappa-oa", "zappa-oa-secret"), port=free_port()
    ).start()
    try:
        # zappa's handler sets STAGE/TABLE_PREFIX/AWS_REGION from zappa_settings.json: dev, tanpuhui.
        deployed = settings_mod.Settings(
            stage="dev",
            table_prefix="tanpuhui",
            region="cn-northwest-1",
            aws_endpoint=endpoint.url,
            work_queue="tanpuhui-dev-work",
        )
        tables.create_all(deployed)
        work_queue.ensure_queues(deployed, aws_client("sqs", deployed))
        wechat = {
            "WECHAT_API_BASE": sim.url + "/",
            "WECHAT_APPID": "wx-zappa",
            "WECHAT_SECRET": "zappa-secret",
            "OA_APPID": "wx-zappa-oa",
            "OA_SECRET": "zappa-oa-secret",
        }
        api, api_out = _invoke(
            package, endpoint.url, wechat, "apigw_healthz", "apigw_login", "apigw_docs_asset"
        )
        work, _ = _invoke(
            worker_package, endpoint.url, wechat, "scheduled_refresh_token", "sqs_settle_unit"
        )
        from models.settlement import SettlementRun

        settings_mod.use(deployed)
        import models

        models.bind(deployed)
        run = SettlementRun.get("2026-11-23", 3)
    finally:
        sim.stop()
        endpoint.stop()
    health = api["apigw_healthz"]
    assert health["statusCode"] == 200 and json.loads(health["body"]) == {"status": "ok"}
    css = api["apigw_docs_asset"]  # Swagger UI's stylesheet, from the kept package inside the zip
    assert css["statusCode"] == 200 and ".swagger-ui" in css["body"][:5000], str(css)[:500]
    login = api["apigw_login"]
    assert login["statusCode"] == 200, login
    assert json.loads(login["body"])["token"].startswith("v1.")
    assert work["scheduled_refresh_token"]["seconds_left"] > 600
    assert run.status == "done" and int(run.attempts) == 1  # the SQS unit ran in the worker package
