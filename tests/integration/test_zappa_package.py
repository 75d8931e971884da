"""Build the real Lambda package with `zappa package` (offline, dummy credentials),
unzip it and invoke its handler as Lambda would: API Gateway proxy events for
/healthz and login (against a local serialised endpoint and the WeChat simulator),
and a scheduled event. Only boto3 and its dependencies come from outside the
package, as on the Lambda runtime."""
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

LAMBDA_RUNTIME_PACKAGES = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six.py", "urllib3"]

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


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    out = tmp_path_factory.mktemp("zappa")
    zip_path = out / "dev.zip"
    venv_bin = os.path.dirname(sys.executable)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "dummy", "AWS_SECRET_ACCESS_KEY": "dummy",
           "AWS_DEFAULT_REGION": "cn-northwest-1", "VIRTUAL_ENV": os.path.dirname(venv_bin),
           "PATH": venv_bin + os.pathsep + os.environ["PATH"]}
    r = subprocess.run([os.path.join(venv_bin, "zappa"), "package", "dev", "-o", str(zip_path)],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
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


def test_package__trimmed__no_test_or_dev_tools_inside(package):
    names = zipfile.ZipFile(package["zip"]).namelist()
    tops = {n.split("/")[0] for n in names}
    assert {"handler.py", "miniprogram_api", "functions", "core", "models", "gateways"} <= tops
    assert not {"moto", "pytest", "hypothesis", "tests", "bench", "boto3", "botocore"} & tops
    assert os.path.getsize(package["zip"]) < 40 * 1024 * 1024
    settings = json.loads(zipfile.ZipFile(package["zip"]).read("zappa_settings.json") or "{}") \
        if "zappa_settings.json" in names else {}
    assert not settings or settings.get("dev", {}).get("log_level") != "DEBUG"


def test_package__handler_answers_api_gateway_and_schedule(package, settings):
    from core import settings as settings_mod
    from infra import tables
    from infra.aws_endpoint import AwsEndpoint
    from infra.servers import ThreadedServer
    from infra.sim_wechat import create_sim

    endpoint = AwsEndpoint(port=free_port()).start()
    sim = ThreadedServer(create_sim("wx-zappa", "zappa-secret", "wx-zappa-oa", "zappa-oa-secret"),
                         port=free_port()).start()
    try:
        # zappa's handler sets STAGE/TABLE_PREFIX/AWS_REGION from zappa_settings.json: dev, tanpuhui.
        deployed = settings_mod.Settings(stage="dev", table_prefix="tanpuhui", region="cn-northwest-1",
                                         aws_endpoint=endpoint.url)
        tables.create_all(deployed)
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": f"{package['dir']}{os.pathsep}{package['runtime']}",
               "AWS_ENDPOINT": endpoint.url, "WECHAT_API_BASE": sim.url + "/", "WECHAT_APPID": "wx-zappa",
               "WECHAT_SECRET": "zappa-secret", "TOKEN_SECRET": "t" * 32, "HASH_KEY": "h" * 32,
               "YCT_CHANNEL": "c", "YCT_KEY": "k", "OA_APPID": "wx-zappa-oa", "OA_SECRET": "zappa-oa-secret",
               "OA_TOKEN": "oa-token", "OA_AES_KEY": "k" * 43, "WECHATPAY_MCHID": "1900000109",
               "WECHATPAY_SERIAL_NO": "S1", "WECHATPAY_PRIVATE_KEY": "unused by these events",
               "WECHATPAY_APIV3_KEY": "a" * 32, "WECHATPAY_NOTIFY_URL": "https://x.invalid/n",
               "WECHATPAY_PUBLIC_KEY": "unused", "WECHATPAY_PUBLIC_KEY_ID": "PUB_KEY_ID_1", "AWS_ACCESS_KEY_ID": "dummy", "AWS_SECRET_ACCESS_KEY": "dummy"}
        script = INVOKE.replace("{EVENTS}", EVENTS)
        r = subprocess.run([sys.executable, "-I", "-c", script.replace("import json, sys",
                            f"import json, sys; sys.path[:0] = {[str(package['dir']), str(package['runtime'])]!r}")]
                           + ["apigw_healthz", "apigw_login", "scheduled_refresh_token"],
                           cwd=str(package["dir"]), env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr[-3000:]
        result = json.loads(r.stdout.split("RESULT", 1)[1])
    finally:
        sim.stop()
        endpoint.stop()
    health = result["apigw_healthz"]
    assert health["statusCode"] == 200 and json.loads(health["body"]) == {"status": "ok"}
    login = result["apigw_login"]
    assert login["statusCode"] == 200, login
    assert json.loads(login["body"])["token"].startswith("v1.")
    assert result["scheduled_refresh_token"]["seconds_left"] > 600
    # Every line the package logged is JSON, and none names the simulator's openid.
    for line in r.stdout.split("RESULT", 1)[0].splitlines():
        if line.strip().startswith("{"):
            json.loads(line)
