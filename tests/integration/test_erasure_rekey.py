"""Erasing a LEGACY account (id = `u_` + keyed hash of the openid): everything kept moves to one new
random id, nothing in any table names the legacy id, the books balance, the log still verifies."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from core import localday
from core.books import checks
from core.books.platform import trial_balance
from core.carbon import behaviours, cards, intake, quarantine, settlement_batches
from core.citizens import erasure, openids, ranking_choice
from core.mall import placing
from core.notices.outbox import bucket_of
from core.transparency import append, proofs
from gateways import aws_client
from infra import verify_proof
from infra.sim_wechat import openid_for
from models import REGISTRY, Account, LedgerEntry, User
from models.behaviours import Behaviour
from models.cards import CardHistory
from models.orders import Order
from models.outbox import Notice
from models.quarantine import QuarantinedRecord
from models.rankings import RankingItem
from models.settlement import SettledDay
from tests.support.behaviours import add_behaviour
from tests.support.cli import run_cli_streams
from tests.support.faults import clear_faults, fail_write
from tests.support.mall import give_coins, make_shop

pytestmark = pytest.mark.usefixtures("yct_sim")  # the card is bound through the simulator

OPENID = openid_for("legacy-elder")  # the WeChat simulator's openid for code "test-legacy-elder.N"


def _legacy_account(s, yct) -> tuple[str, str]:
    """An account as code before random ids made it: coins, a settled day, an order, a card; and
    another citizen's entries around it in the log."""
    legacy = openids.legacy_user_id(OPENID, s.hash_key)
    User(legacy, openid=OPENID, created_at=datetime.now(UTC), token_gen=1).save()
    other = openids.new_user_id()
    give_coins(legacy, 30)  # the log's first leaf (its tile's first key names the account)
    ranking_choice.choose(legacy, True, "老街坊")  # listed: its credit puts it in the week's top
    give_coins(other, 11)
    cards.bind(s, yct, legacy, "5300246813")
    day = localday.yesterday()
    add_behaviour(s, legacy, day, "metro", 1, "t1", facts={"line": "3", "from_station": "体育西路"})
    stamp = localday.stamp()  # a trip from the card: its source claim names the account
    trip = Behaviour.of(
        legacy, day, "bus", 1, f"{day}T18:00:00+08:00", "yct", "T-legacy-1", s.settle_shards,
        stamp, None, keep_days=s.behaviour_retention_days,
    )  # fmt: skip
    assert intake.store_once(trip, stamp)
    for shard in range(s.settle_shards):
        settlement_batches.settle_shard(s, day, shard)
    give_coins(other, 5)
    shop = make_shop(stock=5, price=2, valid_days=30)
    placing.place_order(s, legacy, shop["product_id"], 1, None)  # the last leaf: the log's cursor
    return legacy, other


def _kept(user_id: str) -> dict:
    """What the books keep of an account, without its id."""
    return {
        "ledger": sorted(
            (e.entry_id, int(e.amount), int(e.balance_after), e.created_at, e.seq)
            for e in LedgerEntry.query(user_id, consistent_read=True)
        ),
        "settled": sorted((d.date, int(d.grams), int(d.coins)) for d in SettledDay.query(user_id)),
        "orders": sorted((o.order_id, o.status) for o in Order.by_user.query(user_id)),
    }


def _tables_naming(s, needle: str) -> list[str]:
    db, found = aws_client("dynamodb", s), []
    for model in REGISTRY:
        for page in db.get_paginator("scan").paginate(TableName=model.Meta.table_name):
            found += [
                model.Meta.short_name
                for item in page["Items"]
                if needle in json.dumps(item, ensure_ascii=False, default=repr)
            ]
    return sorted(set(found))


def _leaves(n: int) -> list[bytes]:
    from core.transparency import store, tiles

    row = []
    for i in range(0, n, tiles.WIDTH):
        row += tiles.split(store.read_tile(0, i // tiles.WIDTH).hashes)
    return row[:n]


def _erased_and_moved(s, legacy: str, before: dict, first_head: dict, capsys) -> str:
    """The checks after a legacy account's erasure: returns the new id."""
    assert _tables_naming(s, legacy) == []
    assert User.count(legacy) == 0 and not _kept(legacy)["ledger"]
    forfeit = [e for e in LedgerEntry.scan() if e.entry_id == erasure.FORFEIT_ID]
    assert len(forfeit) == 1
    new = forfeit[0].user_id
    assert new != legacy and new.startswith("u_") and len(new) == len(legacy)
    after = _kept(new)  # every entry as it was (id, amount, balance after, time), and erasure's own
    assert set(before["ledger"]) <= set(after["ledger"])
    added = {k[0].split("#")[0] for k in set(after["ledger"]) - set(before["ledger"])}
    assert added == {"forfeit", "refund"}  # the unshown order released, the balance forfeited
    assert sum(k[1] for k in after["ledger"]) == 0 and after["settled"] == before["settled"]
    assert [o[0] for o in after["orders"]] == [o[0] for o in before["orders"]]
    acc = Account.get(new, consistent_read=True)
    assert int(acc.balance) == 0 and acc.closed_at and int(acc.grams_total) > 0
    periods = [p for h in CardHistory.scan() for p in h.periods]
    assert {p.user_id for p in periods} == {new} and all(p.unbound_at for p in periods)
    assert checks.check_all() == [] and trial_balance()["total"] == 0
    # The log: appended again, its old leaves untouched, consistent with the head before, verified.
    done = append.append(localday.now(), 0)
    assert _leaves(first_head["tree_size"]) == first_leaves(first_head)
    c = proofs.consistency(first_head["tree_size"], done.tree_size)
    verify_proof.verify_consistency(
        first_head["tree_size"],
        done.tree_size,
        [bytes.fromhex(h) for h in c["proof"]],
        bytes.fromhex(first_head["root_hash"]),
        bytes.fromhex(done.root_hash),
    )
    code, out, err = run_cli_streams(capsys, "log", "verify")
    assert code == 0 and "problems=0" in out, (out, err)
    code, out, err = run_cli_streams(capsys, "ledger", "check")
    assert code == 0, (out, err)
    assert _tables_naming(s, legacy) == []
    return new


_FIRST: dict = {}


def first_leaves(head: dict) -> list[bytes]:
    return _FIRST[head["root_hash"]]


def _logged(s) -> dict:
    head = append.append(localday.now(), 0).head
    _FIRST[head["root_hash"]] = _leaves(head["tree_size"])
    return head


def test_legacy_erasure__everything_kept_moves_to_one_new_id__books_and_log_verify(
    aws, services, capsys
):
    legacy, other = _legacy_account(aws, services.gateways.yct)
    cards.bind(aws, _yct(aws), legacy, "5300246814")  # a card bound and unbound before the erasure
    cards.unbind(legacy, cards.card_id_of(cards.card_hash(aws, "5300246814")))
    day = localday.yesterday()  # a record settlement held back, listed for ops under its key
    add_behaviour(aws, legacy, day, "bus", 1, "q1", facts={"line": "B1"})
    held = next(
        b for b in behaviours.user_day_items(legacy, day, aws.settle_shards) if b.source_id == "q1"
    )
    quarantine.hold(held, day, "too_fast")
    failed = f"settle#{day}@{legacy}"  # a notice WeChat refused, kept for ops until its TTL
    Notice(bucket_of(legacy), f"failed#{failed}", notice_id=failed, user_id=legacy,
           template="settlement_credit", data={}, status="failed").save()  # fmt: skip
    before = _kept(legacy)
    assert len(before["ledger"]) == 3 and len(before["settled"]) == 1 and len(before["orders"]) == 1
    head = _logged(aws)
    assert _tables_naming(aws, legacy) == [
        "accounts", "behaviours", "card_history", "cards", "day_records", "footprints", "inbox",
        "ledger", "ledger_written", "log_salts", "log_state", "log_tiles", "orders", "outbox",
        "purchase_counts", "quarantine", "rankings", "settled_days", "source_claims", "users",
    ]  # fmt: skip
    tops = [t.entries for t in RankingItem.scan() if t.pk.startswith("top#")]
    assert [u for e in tops for u, _ in e] == [legacy, legacy]  # its week's and month's top
    done = erasure.erase(aws, legacy)
    assert done["cards_unbound"] == 1
    new = _erased_and_moved(aws, legacy, before, head, capsys)
    assert [(q.user_id, q.source_id) for q in QuarantinedRecord.scan()] == [(new, "q1")]
    assert [(n.user_id, n.notice_id) for n in Notice.scan()] == [(new, f"settle#{day}@{new}")]
    # Another citizen's proof still verifies against the newest head.
    entry = next(iter(LedgerEntry.query(other))).entry_id
    key = {"key_id": head["key_id"], "algorithm": "ed25519", "public_key": _key()}
    verify_proof.verify_proof(json.loads(json.dumps(proofs.entry_proof(other, entry))), key)
    # Signing in again: nobody, and the legacy id is not recomputed to anything.
    assert openids.user_for_openid(OPENID, aws.hash_key) is None
    assert new not in json.dumps(_tables_naming(aws, OPENID))


def _yct(s):
    import bootstrap

    return bootstrap.Services(s).gateways.yct


def _key():
    from core.transparency import heads

    return heads.signer().key()["public_key"]


# An erasure of this account makes 33 writes: 16 before the moves (target, unbind, the period's
# mask, release, close, forfeit, salt, claims, records ...), then the account's copy (17), the
# order (18), the card's period (19), the new salt (20), the log's hold (21), its cursor (22), the
# entries' move (23), the release (24), the legacy salt (25), the week's and month's top (26-27),
# settled days, footprints, purchase counts (28-30), the legacy account (31), the tokens and the
# user item (32-33). (A step added to erasure shifts these; each k is still a crash somewhere.)
@pytest.mark.parametrize(
    ("k", "applied"),
    [
        (3, False),
        (17, False),
        (21, False),
        (22, False),
        (23, False),
        (23, True),
        (24, False),
        (26, False),
        (31, False),
    ],
)
def test_legacy_erasure__crash_half_way__a_retry_finishes_exactly(endpoint_aws, capsys, k, applied):
    """The k-th write fails (or is applied and its answer lost); DELETE again finishes the job with
    every entry once, under one new id, and nothing under the legacy one."""
    s = endpoint_aws
    legacy, _ = _legacy_account(s, _yct(s))
    before = _kept(legacy)
    head = _logged(s)
    fail_write(s, k, after_applying=applied)
    try:
        erasure.erase(s, legacy)
        crashed = False
    except Exception:  # noqa: BLE001 — whichever write the fault hits, erasure stops there
        crashed = True
    clear_faults(s)
    assert crashed or applied  # a lost answer may be absorbed: the SDK's retry finds it done
    if crashed:
        assert User.count(legacy) == 1  # the user item goes last: the citizen can send DELETE again
        erasure.erase(s, legacy)
    _erased_and_moved(s, legacy, before, head, capsys)


def test_legacy_erasure__log_busy__503_nothing_half_moved__delete_again_finishes(
    aws, client, wechat_sim, capsys, monkeypatch
):
    """An append under way (its target set) keeps the written items from moving: DELETE answers
    503 and the account is still there; once the append is done, DELETE again finishes."""
    from core.citizens import rekey_log
    from core.transparency import store

    legacy, _ = _legacy_account(aws, _yct(aws))
    head = _logged(aws)
    before = _kept(legacy)
    token = client.post("/api/v1/auth/login", json={"code": "test-legacy-elder.1"}).json["token"]
    h = {"Authorization": f"Bearer {token}"}
    give_coins(openids.new_user_id(), 1)  # an entry for the append under way
    store.advance(store.checkpoint(), target=localday.now().isoformat(timespec="microseconds"))
    monkeypatch.setattr(rekey_log, "HOLD_WAIT_S", 0)
    busy = client.delete("/api/v1/me", headers=h)
    assert busy.status_code == 503 and busy.json["error"]["code"] == "service_unavailable"
    assert User.count(legacy) == 1 and _kept(legacy)["ledger"]  # nothing of the ledger moved
    assert append.append(localday.now(), 0).head is not None  # the append finishes its target
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    _erased_and_moved(aws, legacy, before, head, capsys)


def test_log_held__no_append_starts__released__appends_go_on(aws):
    from core.transparency import store

    give_coins(openids.new_user_id(), 3)
    until = (localday.now() + timedelta(seconds=60)).isoformat()
    assert store.hold(until, "u_holder") is not None
    assert store.hold(until, "u_someone_else") is None  # one holder at a time
    with pytest.raises(store.Moved):
        append.append(localday.now(), 0)
    store.release("u_holder")
    assert append.append(localday.now(), 0).tree_size == 1


def _entry_at(user_id: str, created_at: str, like) -> None:
    """An entry of another account written in the very same microsecond, as post_once writes one."""
    from pynamodb.transactions import TransactWrite

    import models
    from core.books import platform, written

    e = LedgerEntry(
        user_id,
        "adjust#same-microsecond",
        seq=f"{created_at}#adjust#same-microsecond",
        kind=like.kind,
        amount=like.amount,
        balance_after=like.amount,
        created_at=created_at,
        legs=like.legs,
    )
    with TransactWrite(connection=models.connection()) as tx:
        tx.save(e)
        platform.add_legs(tx, user_id, like.legs, created_at)
        written.add(tx, e)
        tx.save(Account(user_id, balance=like.amount, earned_total=like.amount, version=1))


def test_legacy_erasure__other_accounts_entries_of_the_same_microsecond__log_verify_passes(
    aws, capsys
):
    """Sixteen accounts' entries share the microsecond of the legacy account's: its new random id
    puts its entry at another place among them than the legacy id did (15 times in 16); the signed
    leaves do not change and `log verify` still passes."""
    legacy = openids.legacy_user_id(OPENID, aws.hash_key)
    User(legacy, openid=OPENID, created_at=datetime.now(UTC), token_gen=1).save()
    give_coins(legacy, 30)
    first = next(iter(LedgerEntry.query(legacy)))
    for k in "0123456789abcdef":
        _entry_at(f"u_{k * 24}", first.created_at, first)
    head = _logged(aws)
    assert head["tree_size"] == 17
    erasure.erase(aws, legacy)
    assert _tables_naming(aws, legacy) == []
    done = append.append(localday.now(), 0)
    assert done.tree_size == 18 and _leaves(17) == first_leaves(head)  # the forfeit added
    code, out, err = run_cli_streams(capsys, "log", "verify")
    assert code == 0 and "problems=0" in out, (out, err)
    assert checks.check_all() == [] and trial_balance()["total"] == 0


def test_settlement_cursor_naming_an_erased_account__an_equivalent_one_or_none(aws):
    """A unit run cut off right after the erased account resumes after the shard's previous user
    instead (the account's records are gone: the same users are settled); a finished run's cursor,
    never read again, goes."""
    from core.carbon import settlement_runs
    from models.behaviours import shard_of
    from models.settlement import SettlementRun

    day, shards = localday.yesterday(), aws.settle_shards
    legacy = openids.legacy_user_id(OPENID, aws.hash_key)
    shard = shard_of(legacy, shards)
    # Another citizen of its shard, settled before it (ids sort below it), still has a record.
    same = (
        u for u in (openids.new_user_id() for _ in range(20_000)) if shard_of(u, shards) == shard
    )
    before = next(u for u in same if u < legacy)
    add_behaviour(aws, before, day, "metro", 1, "t-before")
    SettlementRun(day, shard, status="cut_off", position=legacy).save()
    SettlementRun(localday.add_days(day, -1), shard, status="done", position=legacy).save()
    days = [day, localday.add_days(day, -1)]
    assert settlement_runs.forget_position(legacy, days, shards) == 2
    assert SettlementRun.get(day, shard).position == before
    assert SettlementRun.get(days[1], shard).position is None
    assert settlement_runs.forget_position(legacy, days, shards) == 0  # nothing names it now


def test_legacy_erasure__its_phcer_batch_and_lines_move(aws, client, wechat_sim, capsys):
    """A legacy citizen owning a rooftop project whose readings went into a PHCER batch: the
    citizen's batch item and the lines' owner move to the new id with everything else."""
    from core.enterprise import orgs, phcer
    from models.phcer import PhcerCitizenBatch, PhcerLine
    from tests.integration.test_orgs import day, owner_code, readings

    legacy = openids.legacy_user_id(OPENID, aws.hash_key)
    User(legacy, openid=OPENID, created_at=datetime.now(UTC), token_gen=1).save()
    token = client.post("/api/v1/auth/login", json={"code": "test-legacy-elder.1"}).json["token"]
    h = {"Authorization": f"Bearer {token}"}
    org_id, key = orgs.add_org("阳光光伏", ["pv"], by="ops-test")
    org = {"id": org_id, "auth": {"Authorization": f"Bearer {key}"}}
    body = {"project_id": "roof-a", "type": "pv", "owner_link_code": owner_code(client, h, org_id)}
    assert client.post("/org/v1/projects", json=body, headers=org["auth"]).status_code == 201
    readings(client, org, ("r1", "roof-a", day(40), day(31), 100))
    batch = phcer.make_batch(org_id, day(60), day(0), by="ops-a")
    assert PhcerCitizenBatch.count(legacy) == 1
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    # Only the link code the citizen made (usable 10 minutes, deleted by TTL a day later; keyed by
    # the code's hash, found by nobody without the code): README "Their data", not moved.
    assert _tables_naming(aws, legacy) == ["link_codes"]
    (mine,) = list(PhcerCitizenBatch.scan())
    assert mine.user_id.startswith("u_") and mine.user_id != legacy
    assert [ln.owner_user_id for ln in PhcerLine.query(batch.batch_id)] == [mine.user_id]
    assert checks.check_all() == []
