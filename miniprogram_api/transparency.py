"""The public transparency log (/public/v1/log, no login, cacheable), a citizen's proof of their
own ledger entry, and the /transparency page (API.md "Public transparency log")."""

from flask import Blueprint, g, jsonify

from miniprogram_api.deps import citizen_required
from miniprogram_api.openapi import CITIZEN, Response, spec
from miniprogram_api.schemas import Error
from miniprogram_api.shapes import Field, Model

bp = Blueprint("transparency", __name__)

# Seconds a public answer may be cached: a head or a day's totals change with the next append
# (every 10 minutes); a key, a past day's head and a proof between two sizes never change.
SHORT, LONG = 60, 86400


class KeyOut(Model):
    key_id: str
    algorithm: str
    public_key: str


class HeadOut(Model):
    tree_size: int
    root_hash: str
    date: str
    timestamp: str
    key_id: str
    signature: str


class ConsistencyQuery(Model):
    first: int = Field(ge=1, le=2**53, description="the older tree size")
    second: int = Field(
        ge=1, le=2**53, description="the newer tree size (at most the latest head's)"
    )


class ConsistencyOut(Model):
    first: int
    second: int
    proof: list[str]


class TotalsOut(Model):
    date: str
    entries: int
    citizens: int = Field(
        description="coins the day's entries moved on citizens' accounts (the books' citizens side)"
    )
    coins: dict[str, int] = Field(description="coins by entry kind")
    platform: dict[str, int] = Field(
        description="the books' platform accounts (issuance:<scenario>, spending:<merchant>, ...)"
    )
    grams: int
    complete: bool = Field(description="true once the log's cut-off has passed the day's end")
    tree_size: int


class ProofOut(Model):
    entry_id: str
    user_id: str
    leaf: dict
    leaf_hash: str
    salt: str | None
    leaf_index: int
    tree_size: int
    inclusion_proof: list[str]
    head: HeadOut


def _cached(body, seconds: int):
    response = jsonify(body)
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response


@bp.get("/public/v1/log/key")
@spec.validate(resp=Response(HTTP_200=KeyOut), tags=["transparency"], security={})
def log_key():
    """日志签名公钥

    透明日志树头签名所用的 Ed25519 公钥（base64）及其 key_id。The Ed25519 public key that signs the
    log's tree heads; key_id is the first 16 hex digits of SHA-256 of the raw key."""
    from core.transparency import heads

    return _cached(heads.signer().key(), LONG)


@bp.get("/public/v1/log/heads/latest")
@spec.validate(resp=Response(HTTP_200=HeadOut, HTTP_404=Error), tags=["transparency"], security={})
def latest_head():
    """最新签名树头

    最近一次追加后签名的树头：树大小、根哈希（hex）、签名日、时间与 Ed25519 签名（对不含 signature 的
    规范 JSON 签名）。The latest signed tree head; 404 `no_log_head` before the first append."""
    from core.transparency import proofs

    return _cached(proofs.latest(), SHORT)


@bp.get("/public/v1/log/heads/<date>")
@spec.validate(
    resp=Response(HTTP_200=HeadOut, HTTP_404=Error, HTTP_422=Error),
    tags=["transparency"],
    security={},
)
def day_head(date):
    """某日最后签名的树头

    该日（北京时间）最后一次签名的树头；该日无树头时 404 `no_log_head`，日期格式错误 422。The last head
    signed that local day."""
    from core import localday
    from core.transparency import proofs

    head = proofs.head_of(date)
    return _cached(head, LONG if date < localday.today() else SHORT)


@bp.get("/public/v1/log/consistency")
@spec.validate(
    query=ConsistencyQuery,
    resp=Response(HTTP_200=ConsistencyOut, HTTP_422=Error),
    tags=["transparency"],
    security={},
)
def consistency(query: ConsistencyQuery):
    """一致性证明

    RFC 9162 一致性证明：证明大小为 second 的树是大小为 first 的树的追加扩展（旧记录未被改写）。须
    1 ≤ first ≤ second ≤ 最新树大小，否则 422。RFC 9162 consistency proof between two tree sizes."""
    from core.transparency import proofs

    return _cached(proofs.consistency(query.first, query.second), LONG)


@bp.get("/public/v1/log/totals/<date>")
@spec.validate(
    resp=Response(HTTP_200=TotalsOut, HTTP_422=Error), tags=["transparency"], security={}
)
def day_totals(date):
    """某日公开合计

    该日（北京时间，按记账日）已写入日志的所有账目的合计：条数、按类型的碳币、各平台账户（按场景发放、
    按商户消费、退款、注销没收、调整），以及结算所计克数；与 `tanpuhui books` 该日的试算平衡一致。
    complete 为 true 表示日志截止时间已过该日结束。The day's totals summed from the log's leaves."""
    from core.transparency import proofs

    return _cached(proofs.totals(date), SHORT)


@bp.get("/api/v1/coins/ledger/<path:entry_id>/proof")
@citizen_required
@spec.validate(
    resp=Response(HTTP_200=ProofOut, HTTP_401=Error, HTTP_404=Error, HTTP_409=Error),
    tags=["coins"],
    security=CITIZEN,
)
def entry_proof(entry_id):
    """我的账目存在性证明

    本人一笔账目（entry_id 需 URL 编码，如 settle%232026-11-24）在公开日志中的叶子、账户盐、叶子序号、
    RFC 9162 包含证明与签名树头；可用 infra/verify_proof.py 与 /public/v1/log/key 离线核验。仅本人可取；
    他人或不存在的账目 404；尚未追加 404 `not_logged_yet`；账目与日志叶子不一致 409 `log_mismatch`。
    The caller's own entry's leaf, salt, leaf index, inclusion proof and signed head."""
    from core.transparency import proofs

    return jsonify(proofs.entry_proof(g.user_id, entry_id))


@bp.get("/transparency")
def page():
    """公开透明页（HTML）"""
    from core import localday
    from core.transparency import proofs
    from miniprogram_api import transparency_page
    from miniprogram_api.deps import registry

    today = localday.today()
    response = transparency_page.render(proofs.overview(today), registry(), today)
    response.headers["Cache-Control"] = f"public, max-age={SHORT}"
    return response
