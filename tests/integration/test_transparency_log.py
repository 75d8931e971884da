"""The transparency log over moto: append exactly once and resumably, proofs, verify, totals."""

import json
import subprocess
import sys

import pytest

from core.books import ledger, platform, written
from core.books.ledger import Movement
from core.transparency import append, leaves, proofs, rfc6962, store
from infra import verify_proof
from models import LedgerEntry
from tests.support.cli import run_cli_streams
from tests.support.faults import clear_faults, fail_write


def _entries(n: int, users: int = 7):
    for i in range(n):
        ledger.post(
            Movement(f"u{i % users}", f"adj#{i}", 3 + i % 5, "adjustment", detail={"reason": "x"})
        )


def _expected_root() -> tuple[int, str]:
    """The tree one clean append makes: every entry's leaf in written order, by the RFC's MTH
    (computed here from the ledger itself, not by the append's streaming builder)."""
    from core.transparency.salts import salt_of

    hashes = []
    for w in written.since("", _now().isoformat(timespec="microseconds")):
        e = LedgerEntry.get(w.user_id, w.entry_id)
        leaf = leaves.leaf_of(e, leaves.commitment(salt_of(w.user_id), w.user_id))
        hashes.append(rfc6962.hash_leaf(leaves.canonical(leaf)))
    return len(hashes), rfc6962.mth(hashes).hex()


@pytest.mark.parametrize("k", [3, 7, 11])
def test_append__killed_half_way_then_run_again__the_root_of_one_clean_append(
    endpoint_aws, monkeypatch, k
):
    monkeypatch.setattr(append, "CHECKPOINT_LEAVES", 64)  # several checkpoints in 300 leaves
    _entries(300)
    fail_write(endpoint_aws, k)  # the k-th write from now: a tile, a salt, totals or the checkpoint
    with pytest.raises(Exception):  # noqa: B017 — whichever write the fault hits, the append stops
        append.append(_now(), 0)
    clear_faults(endpoint_aws)
    assert store.checkpoint().tree_size < 300  # it stopped half-way
    done = append.append(_now(), 0)
    assert (done.tree_size, done.root_hash) == _expected_root() and done.head["tree_size"] == 300
    again = append.append(_now(), 0)  # nothing new: the same tree
    assert (again.tree_size, again.root_hash, again.appended) == (300, done.root_hash, 0)


def _now():
    from core import localday

    return localday.now()


def test_append__later_entries_extend_the_tree__consistent_and_proofs_verify(aws):
    _entries(40)
    first = append.append(_now(), 0)
    _entries(30)  # ids adj#0..29 again are replays; new ones follow
    ledger.post(Movement("u1", "adj#late", 9, "adjustment"))
    second = append.append(_now(), 0)
    assert (first.tree_size, second.tree_size) == (40, 41)
    c = proofs.consistency(40, 41)
    verify_proof.verify_consistency(
        40,
        41,
        [bytes.fromhex(h) for h in c["proof"]],
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
    )
    key = {
        "key_id": second.head["key_id"],
        "algorithm": "ed25519",
        "public_key": _key()["public_key"],
    }
    for user, entry in (("u1", "adj#late"), ("u3", "adj#3"), ("u0", "adj#35")):
        p = proofs.entry_proof(user, entry)
        verify_proof.verify_proof(json.loads(json.dumps(p)), key)
        changed = {**p, "leaf": {**p["leaf"], "amount": p["leaf"]["amount"] + 1}}
        changed.pop("leaf_hash")
        with pytest.raises(verify_proof.ProofError):
            verify_proof.verify_proof(changed, key)


def _key():
    from core.transparency import heads

    return heads.signer().key()


def test_proof__not_yet_appended_or_someone_elses__refused(aws):
    _entries(3)
    with pytest.raises(proofs.NotInLogYet):
        proofs.entry_proof("u0", "adj#0")
    append.append(_now(), 0)
    with pytest.raises(proofs.NotFound):
        proofs.entry_proof("u1", "adj#0")  # u0's entry asked for as u1: no such entry of u1


def test_verify__passes__then_fails_when_an_entry_is_altered_after_signing(aws, capsys):
    _entries(20)
    code, out, _ = run_cli_streams(capsys, "log", "append")
    assert code == 0 and "tree_size=20" in out
    code, out, err = run_cli_streams(capsys, "log", "verify")
    assert code == 0 and "problems=0" in out, err
    e = LedgerEntry.get("u2", "adj#9")
    e.update(actions=[LedgerEntry.amount.set(int(e.amount) + 100)])
    code, out, err = run_cli_streams(capsys, "log", "verify")
    assert code == 1 and "adj#9" in err
    with pytest.raises(proofs.LogMismatch):
        proofs.entry_proof("u2", "adj#9")


def test_totals__equal_the_books_of_the_day(aws):
    _entries(25)
    ledger.post(Movement("u1", "order#o1", -4, "order", legs={"spending:m_1": 4}))
    done = append.append(_now(), 0)
    day = done.head["date"]
    t = proofs.totals(day)
    books = platform.trial_balance(day, day)
    assert t["platform"] == {k: v for k, v in books["platform"].items() if v}
    assert t["citizens"] == books["citizens"] and t["entries"] == 26
    assert t["coins"]["order"] == -4


def test_standalone_verifier__imports_nothing_of_the_project():
    src = open(verify_proof.__file__, encoding="utf-8").read()
    imports = [line for line in src.splitlines() if line.startswith(("import ", "from "))]
    assert all(
        m.split()[1].split(".")[0]
        in {"__future__", "argparse", "base64", "hashlib", "hmac", "json", "sys", "cryptography"}
        for m in imports
    )
    r = subprocess.run(
        [sys.executable, verify_proof.__file__, "--help"], capture_output=True, text=True, cwd="/"
    )
    assert r.returncode == 0 and "--key" in r.stdout


def test_erasure__salt_gone__leaves_unlinkable__verify_counts_them_unverifiable(aws, capsys):
    from core.transparency import salts

    _entries(6, users=2)
    append.append(_now(), 0)
    salts.forget("u0")
    ledger.post(Movement("u0", "forfeit#account_deleted", -9, "forfeit"))
    append.append(_now(), 0)
    code, out, err = run_cli_streams(capsys, "log", "verify")
    assert code == 0 and "problems=0" in out, err
    p = proofs.entry_proof("u0", "forfeit#account_deleted")
    assert p["leaf"]["account"] == leaves.ERASED and p["salt"] is None
    assert salts.salt_of("u0") is None and salts.salt_of("u1") is not None
