"""The ops CLI as ops meet it: help on every command, a summary line, non-zero exit on failure."""

import json
import urllib.request

import click
import pytest

from tests.support.cli import last_line, run_cli_streams


def _all_commands():
    import importlib
    import pkgutil

    import infra.cli

    for m in pkgutil.iter_modules(infra.cli.__path__):
        importlib.import_module(f"infra.cli.{m.name}")

    def walk(group, path):
        for name, cmd in sorted(group.commands.items()):
            yield path + (name,)
            if isinstance(cmd, click.Group):
                yield from walk(cmd, path + (name,))

    return [()] + list(walk(infra.cli.cli, ()))


@pytest.mark.parametrize("path", _all_commands(), ids=lambda p: " ".join(p) or "tanpuhui")
def test_cli__every_command__has_help(capsys, path):
    code, out, err = run_cli_streams(capsys, *path, "--help")
    assert code == 0 and out.startswith("Usage: ") and len(out.splitlines()) > 3


def test_cli__help__works_without_valid_settings():
    """In a process of its own, as ops would type it: prod with no secrets, where any command
    would refuse to start, still shows a command's help."""
    import os
    import pathlib
    import subprocess
    import sys

    tanpuhui = pathlib.Path(sys.executable).parent / "tanpuhui"
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "STAGE": "prod"}
    r = subprocess.run(
        [str(tanpuhui), "settle", "--help"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0 and "--date" in r.stdout, r.stderr[-2000:]
    refused = subprocess.run(
        [str(tanpuhui), "ledger", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert (
        refused.returncode != 0
        and "missing setting(s) for stage prod" in refused.stdout + refused.stderr
    )


def test_cli__bad_date__exits_non_zero(aws, capsys):
    code, _, _ = run_cli_streams(capsys, "settle", "--date", "yesterday")
    assert code != 0


def test_cli__failure__one_line_on_stderr_and_non_zero(aws, capsys):
    from infra.cli import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as e:
        main(["merchant", "key", "m_nobody"])
    # Besides JSON log lines (ops_command: who ran a command that changes data), one line for people.
    lines = [ln for ln in capsys.readouterr().err.strip().splitlines() if not ln.startswith("{")]
    assert e.value.code == 1 and len(lines) == 1 and lines[0].startswith("failed: ")


def test_cli__missing_argument__usage_error_non_zero(aws, capsys):
    code, _, _ = run_cli_streams(capsys, "adjust")
    assert code == 2


def test_cli__oa_menu__created_in_simulator_with_summary(aws, wechat_sim, capsys):
    code, out, err = run_cli_streams(capsys, "oa", "menu")
    assert code == 0 and out == "" and last_line(err).startswith("official account menu created")
    menu = json.loads(urllib.request.urlopen(wechat_sim.url + "/_sim/menu").read())["menu"]
    assert [b.get("key") for b in menu["button"]] == [None, "BALANCE", "HELP"]


def test_cli__expire_orders__summary_line(aws, capsys):
    code, out, err = run_cli_streams(capsys, "expire-orders")
    assert code == 0 and "expired 0 of 0 due orders" in last_line(err)


def test_cli__template__summary_on_stderr_keeps_stdout_json(capsys):
    code, out, err = run_cli_streams(capsys, "template")
    assert code == 0 and json.loads(out)["Resources"] and last_line(err).startswith("template: ")


def test_cli_merchant__add_and_key__name_value_lines_on_stdout_summary_on_stderr(aws, capsys):
    code, out, err = run_cli_streams(capsys, "merchant", "add", "测试咖啡店")
    assert code == 0 and out.startswith("merchant_id=") and len(out.splitlines()) == 1
    merchant_id = out.strip().split("=", 1)[1]
    assert merchant_id in last_line(err)
    code, out, err = run_cli_streams(capsys, "merchant", "key", merchant_id)
    values = dict(line.split("=", 1) for line in out.splitlines())
    assert code == 0 and set(values) == {"key_id", "key"} and values["key_id"] in last_line(err)
    assert values["key"] not in err  # shown once, on stdout only
    code, out, err = run_cli_streams(capsys, "merchant", "revoke-key", values["key_id"])
    assert code == 0 and last_line(err).startswith("revoked 1 key(s)")
