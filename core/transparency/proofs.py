"""What the log's public endpoints and a citizen's proof answer (read-only).

Invariants: a proof names perfect subtrees only (core.transparency.nodes) and reads them in one
BatchGetItem of tiles, so it costs O(log n / 8) items in a constant number of requests; a
citizen's proof is only ever of their own entry (the caller passes the signed-in user), and
carries their salt, which nobody else is given; a proof is always against the latest signed head.
"""

from __future__ import annotations

from datetime import datetime

from core import localday
from core.books import ledger, written
from core.errors import Conflict, NotFound, Unprocessable
from core.logs import log
from core.transparency import leaves, nodes, rfc6962, salts, store, tiles


class NotInLogYet(NotFound):
    # API.md fixes 404 `not_logged_yet`: the entry exists, its leaf does not yet.
    code = "not_logged_yet"
    message = "This entry is not in the public log yet: entries are appended every few minutes. Please try later."
    message_zh = "这笔记录尚未写入公开日志（日志每隔几分钟追加一次），请稍后再试。"


class LogMismatch(Conflict):
    code = "log_mismatch"
    message = "This entry differs from its leaf in the public log. Operations have been alerted."
    message_zh = "这笔记录与公开日志中的叶子不一致，已通知运营人员核查。"


class NoHead(NotFound):
    code = "no_log_head"
    message = "No signed tree head for this day."
    message_zh = "该日没有已签名的日志树头。"


def _proof(ids: nodes.Nodes) -> list[str]:
    return [h.hex() for h in ids.rehash(store.node_hashes(ids.ids), rfc6962.hash_children)]


def entry_proof(user_id: str, entry_id: str) -> dict:
    entry = ledger.find_entry(user_id, entry_id)
    if entry is None:
        raise NotFound()
    head = store.latest_head(with_cutoff=True)
    if head is None or entry.created_at >= head["cutoff"]:
        raise NotInLogYet()
    salt = salts.salt_of(user_id)
    leaf = leaves.leaf_of(entry, leaves.commitment(salt, user_id))
    leaf_hash = rfc6962.hash_leaf(leaves.canonical(leaf))
    tile = store.tile_holding(written.key_of(entry.created_at, user_id, entry_id))
    row = tiles.split(store.read_tile(0, tile).hashes) if tile is not None else []
    if leaf_hash not in row:
        log("log_mismatch", entry=entry_id)  # an entry changed after it was logged: ops must look
        raise LogMismatch()
    index, size = tile * tiles.WIDTH + row.index(leaf_hash), int(head["tree_size"])
    if index >= size:
        raise NotInLogYet()
    return {
        "entry_id": entry_id,
        "user_id": user_id,
        "leaf": leaf,
        "leaf_hash": leaf_hash.hex(),
        "salt": salt.hex() if salt else None,
        "leaf_index": index,
        "tree_size": size,
        "inclusion_proof": _proof(nodes.inclusion(index, size)),
        "head": {k: head[k] for k in store.HEAD_FIELDS},
    }


def consistency(first: int, second: int) -> dict:
    head = store.latest_head()
    size = head["tree_size"] if head else 0
    if not 1 <= first <= second <= size:
        raise Unprocessable(
            "first and second must satisfy 1 <= first <= second <= the latest tree size",
            zh="参数须满足 1 ≤ first ≤ second ≤ 最新树大小。",
            tree_size=size,
        )
    return {"first": first, "second": second, "proof": _proof(nodes.consistency(first, second))}


def latest() -> dict:
    head = store.latest_head()
    if head is None:  # not "this day": the log has no head at all yet
        raise NoHead(
            "The public log has no signed tree head yet.", zh="公开日志还没有已签名的树头。"
        )
    return head


def head_of(date: str) -> dict:
    localday.parse_date(date)
    found = store.day_heads(date)
    if not found:
        raise NoHead()
    return store.head_dict(found[0])


def totals(date: str) -> dict:
    localday.parse_date(date)
    head = store.latest_head(with_cutoff=True)
    day_end = datetime.fromisoformat(localday.utc_bounds(date)[1])
    complete = (
        bool(head) and bool(head["cutoff"]) and datetime.fromisoformat(head["cutoff"]) >= day_end
    )
    # complete: the latest head's cut-off is past the day's end, so no entry of the day is still to come.
    return {
        "date": date,
        **leaves.merge_totals(store.day_totals(date)),
        "complete": complete,
        "tree_size": head["tree_size"] if head else 0,
    }


def overview(today: str, days: int = 30, head_days: int = 7) -> dict:
    """What the /transparency page shows: the latest head, each recent day's last head, and each
    of the last `days` days' totals (coins issued per scenario: the books' issuance accounts)."""
    dates = [localday.add_days(today, -i) for i in range(days - 1, -1, -1)]
    heads = [
        store.head_dict(h[0])
        for h in (store.day_heads(d) for d in reversed(dates[-head_days:]))
        if h
    ]
    totals = []
    for d in dates:
        t = leaves.merge_totals(store.day_totals(d))
        issued = {
            k.split(":", 1)[1]: -v
            for k, v in t["platform"].items()
            if k.startswith("issuance:") and v
        }
        totals.append({"date": d, "entries": t["entries"], "grams": t["grams"], "issued": issued})
    return {"latest": store.latest_head(), "heads": heads, "days": totals}
