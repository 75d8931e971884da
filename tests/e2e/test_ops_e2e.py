"""Official account, notifications, logs and the ops CLI over real HTTP against the local stack."""

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from infra.sim_wechat import oa_openid_for, openid_for, session_key_for, unionid_for
from tests.support.concurrency import http
from tests.support.oa import decrypt_reply, encrypt, reply_content, signed_args, text_xml
from tests.support.privacy import find_leaks
from tests.support.stack import default_ports, ports_free, start_plain_stack, stop_stack

pytestmark = pytest.mark.e2e


def oa_push(stack, xml, safe=False, bad=False):
    s = stack.settings()
    args = signed_args(s, bad=bad)
    if safe:
        args, xml = encrypt(s, xml, args)
    req = urllib.request.Request(
        f"{stack.api}/wechat/oa?{urllib.parse.urlencode(args)}",
        data=xml.encode(),
        method="POST",
        headers={"Content-Type": "text/xml"},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())
    return 200, reply_content(decrypt_reply(s, body, args) if safe else body)


def test_e2e__official_account_balance_in_both_modes_and_bad_signature(stack):
    login = http("POST", stack.api + "/api/v1/auth/login", {"code": "test-e2e-oa"})
    assert login.status == 200
    for safe in (False, True):
        status, text = oa_push(stack, text_xml(oa_openid_for("e2e-oa"), "碳币"), safe=safe)
        assert status == 200 and "碳币余额为 0" in text
    status, body = oa_push(stack, text_xml(oa_openid_for("e2e-oa"), "碳币"), bad=True)
    assert status == 403 and body["error"]["code"] == "forbidden"


def test_e2e__subscriptions_reported_and_read_back(stack):
    token = http("POST", stack.api + "/api/v1/auth/login", {"code": "test-e2e-subs"}).body["token"]
    auth = {"Authorization": f"Bearer {token}"}
    r = http(
        "POST",
        stack.api + "/api/v1/me/subscriptions",
        {"templates": {"settlement_credit": "accept"}},
        auth,
    )
    assert r.status == 200 and r.body["templates"]["settlement_credit"] == {
        "status": "accept",
        "remaining": 1,
    }
    assert http("GET", stack.api + "/api/v1/me/subscriptions", headers=auth).body == r.body


def test_e2e__every_logged_line_is_json_without_personal_data(stack):
    http("POST", stack.api + "/api/v1/auth/login", {"code": "test-e2e-logs"})
    oa_push(stack, text_xml(oa_openid_for("e2e-logs"), "余额"), safe=True)
    oa_push(stack, text_xml(oa_openid_for("e2e-logs"), "余额"), bad=True)
    http(
        "POST",
        stack.api + "/merchant/v1/redemptions",
        {"code": "ABCD-EFGH-JKLM"},
        {"Authorization": "Bearer mk_not-a-key"},
    )
    lines = stack.log_lines()
    parsed = [
        json.loads(line) for line in lines
    ]  # every line, not only the ones that look like JSON
    assert all("event" in p for p in parsed)
    assert find_leaks(lines) == []
    text = "\n".join(lines)
    for secret in (
        openid_for("e2e-logs"),
        oa_openid_for("e2e-logs"),
        unionid_for("e2e-logs"),
        session_key_for("e2e-logs"),
    ):
        assert secret not in text


def _tanpuhui(cwd, *args):
    """`.venv/bin/tanpuhui ARGS` as typed in a second terminal: nothing exported but PATH and HOME."""
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(cwd))}
    return subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "tanpuhui"), *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_e2e__ops_cli_with_nothing_exported__talks_to_make_run_stack(tmp_path):
    if not ports_free(default_ports().values()):
        if os.environ.get("CI"):
            pytest.fail(f"make run's ports {sorted(default_ports().values())} are taken")
        pytest.skip("make run's default ports are taken on this machine (a `make run` is up?)")
    stack = start_plain_stack(str(tmp_path))
    try:
        banner = open(stack.log_path + ".stderr", encoding="utf-8").read()
        assert "with nothing exported" in banner
        r = _tanpuhui(tmp_path, "ledger", "check")
        assert r.returncode == 0, r.stderr[-3000:]
        assert r.stdout == "" and r.stderr.strip().splitlines()[-1] == "ledger check: 0 problem(s)"

        r = _tanpuhui(tmp_path, "merchant", "key", "m_demo_01")
        assert r.returncode == 0, r.stderr[-3000:]
        values = dict(line.split("=", 1) for line in r.stdout.splitlines())
        assert (
            set(values) == {"key_id", "key"}
            and values["key_id"] in r.stderr.strip().splitlines()[-1]
        )
        today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
        seen = http(
            "GET",
            f"{stack.api}/merchant/v1/redemptions?date={today}",
            headers={"Authorization": f"Bearer {values['key']}"},
        )
        assert seen.status == 200  # the key was issued in the stack's own tables

        yesterday = (
            datetime.now(timezone(timedelta(hours=8))).date() - timedelta(days=1)
        ).isoformat()
        r = _tanpuhui(tmp_path, "settle", "--date", yesterday)
        assert r.returncode == 0 and "failed shards none" in r.stderr.strip().splitlines()[-1], (
            r.stderr[-3000:]
        )
    finally:
        stop_stack(stack)
