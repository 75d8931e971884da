from datetime import UTC

from core.books import ledger
from models import Account
from tests.support.behaviours import add_behaviour
from tests.support.cli import last_line, run_cli_streams

D = "2026-11-23"


def test_cli_settle__date__credits_and_prints_summary(aws, capsys):
    add_behaviour(aws, "u1", D, "metro", 1, "t1")
    code, out, err = run_cli_streams(capsys, "settle", "--date", D)
    assert code == 0 and "1 users credited, 51 coins, 515 g" in last_line(err)


def test_cli_settle__bad_date__nonzero_exit(aws, capsys):
    code, _, _ = run_cli_streams(capsys, "settle", "--date", "2026-13-40")
    assert code != 0


def user(uid="u1"):
    from datetime import datetime

    from models import User

    User(uid, openid=f"o-{uid}", created_at=datetime.now(UTC)).save()
    return uid


def test_cli_adjust__reason_and_operator_recorded_and_idempotent_by_id(aws, capsys):
    user()
    args = (
        "adjust",
        "u1",
        "30",
        "--reason",
        "补发: 客服工单 123",
        "--by",
        "ops-li",
        "--id",
        "T123",
    )
    code, out, err = run_cli_streams(capsys, *args)
    assert (
        code == 0 and out == "entry_id=adjust#T123\nbalance=30\n" and "balance 30" in last_line(err)
    )
    code, out, err = run_cli_streams(capsys, *args)
    assert code == 0 and "already applied" in last_line(err) and Account.get("u1").balance == 30
    assert ledger.find_entry("u1", "adjust#T123").detail == {
        "reason": "补发: 客服工单 123",
        "by": "ops-li",
    }


def test_cli_adjust__unknown_user__refused_no_orphan_account(aws, capsys):
    code, _, _ = run_cli_streams(
        capsys, "adjust", "u_nobody", "30", "--reason", "typo", "--by", "ops-li"
    )
    assert code == 1 and Account.count() == 0


def test_cli_adjust__without_by_or_reason__refused(aws, capsys):
    user()
    assert run_cli_streams(capsys, "adjust", "u1", "30", "--reason", "x")[0] != 0
    assert run_cli_streams(capsys, "adjust", "u1", "30", "--by", "ops-li")[0] != 0
    assert run_cli_streams(capsys, "adjust", "u1", "30", "--reason", " ", "--by", "ops-li")[0] != 0
    assert Account.count() == 0


def test_cli_adjust__logs_who_ran_it(aws, capsys):
    from infra.cli import main

    user()
    capsys.readouterr()
    main(["adjust", "u1", "5", "--reason", "x", "--by", "ops-li"])
    err = capsys.readouterr().err  # the CLI logs JSON lines to stderr
    assert any(
        '"ops_command"' in line and '"by":"ops-li"' in line and '"adjust"' in line
        for line in err.splitlines()
    ), err


def test_cli_adjust__debit_below_zero__fails_and_writes_nothing(aws, capsys):
    user()
    code, _, _ = run_cli_streams(
        capsys, "adjust", "--reason", "reversal", "--by", "ops-li", "--", "u1", "-5"
    )
    assert code == 1 and Account.count() == 0


def test_cli_ledger_check__clean_then_tampered(aws, capsys):
    user()
    run_cli_streams(capsys, "adjust", "u1", "10", "--reason", "x", "--by", "ops-li")
    assert run_cli_streams(capsys, "ledger", "check")[0] == 0
    Account("u1").update(actions=[Account.balance.set(-3)])
    code, out, err = run_cli_streams(capsys, "ledger", "check")
    assert code == 1 and "negative balance -3" in out and "books out of balance by -13" in out
    assert "3 problem(s)" in last_line(err)


def test_cli_export_phcer__bike_and_pv_only(aws, capsys, tmp_path):
    add_behaviour(aws, "u1", D, "bike", 5, "r1", facts={"duration_s": 900})
    add_behaviour(aws, "u1", D, "metro", 1, "t1")
    run_cli_streams(capsys, "settle", "--date", D)
    out_file = tmp_path / "phcer.csv"
    code, out, err = run_cli_streams(
        capsys, "export", "phcer", "--from", D, "--to", D, "--out", str(out_file)
    )
    assert (
        code == 0 and out_file.read_text() == f"date,scenario,grams,count,users\n{D},bike,465,1,1\n"
    )
