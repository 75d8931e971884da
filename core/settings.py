"""Settings: the only reader of os.environ.

Read once per process (a Lambda container, the CLI, the local stack) and
validated at start-up (core.settings_rules), so a deploy with a missing secret fails on its
first request with a message naming the setting, not deep inside a handler.

Invariants:
- Every field is read from its one variable (the field's name upper-cased; AWS_REGION for
  region); an integer field that is not an integer stops start-up naming it.
- A deployed stage (dev, prod) has its own defaults where it differs from local (_stage_defaults);
  an unset address of stage local points at `make run`'s stack (LOCAL_ADDRESSES).
- load() returns only settings that pass core.settings_rules.check, with LOG_LEVEL upper-cased.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

from core.settings_rules import SettingsError, check, check_stage

# Keys of local and test stages only (deployed stages set their own): the merchant API key (the WeChat Pay
# simulator knows its public half), the simulator's platform public key, the transparency log's Ed25519 key.
_HERE = os.path.dirname(os.path.abspath(__file__))
LOCAL_PEMS = {
    "wechatpay_private_key": os.path.join(_HERE, "wechatpay_local_key.pem"),
    "wechatpay_public_key": os.path.join(_HERE, "wechatpay_local_platform_public.pem"),
    "log_signing_key": os.path.join(_HERE, "log_local_signing_key.pem"),
}


@dataclass(frozen=True)
class Settings:
    stage: str = "local"
    table_prefix: str = "tanpuhui"
    region: str = "cn-northwest-1"
    aws_endpoint: str | None = None  # DynamoDB and S3 endpoint; None means real AWS
    wechat_appid: str = "wx-local-appid"
    wechat_secret: str = "local-secret"
    wechat_api_base: str = "https://api.weixin.qq.com/"
    # The official account (公众号), its own WeChat app: appid/secret, push token, safe mode's 43-char EncodingAESKey.
    oa_appid: str = "wx-local-oa"
    oa_secret: str = "local-oa-secret"
    oa_token: str = "local-oa-token"
    oa_aes_key: str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    oa_message_mode: str = (
        "compatible"  # 消息加解密方式; unset: safe in dev/prod (local/test push both kinds)
    )
    # Subscribe-message template ids (per mini-program, from the WeChat console) by our template name.
    template_settlement_credit: str = "local-tmpl-settlement-credit"
    template_order_expiring: str = "local-tmpl-order-expiring"
    template_appeal_result: str = "local-tmpl-appeal-result"
    privacy_policy_version: str = (
        "2026-11-27"  # in force: partners' records earn only citizens who accepted it
    )
    # WeChat Pay (v3, JSAPI): merchant number, the merchant API certificate's serial and private key (PEM), the
    # APIv3 key, where notifications are posted (this API's /wechatpay/v1/notify); answers and notifications are
    # verified with WeChat Pay's platform public key ("微信支付公钥") and its id.
    wechatpay_mchid: str = "1900000109"
    wechatpay_serial_no: str = "3775B6A45ACD588826D15E583A95F5DD00000001"
    wechatpay_private_key: str = ""
    wechatpay_public_key: str = ""
    wechatpay_public_key_id: str = "PUB_KEY_ID_0119000000000000000000000000000001"
    wechatpay_apiv3_key: str = "local-apiv3-key-0123456789abcdef"
    wechatpay_api_base: str = "https://api.mch.weixin.qq.com/"
    wechatpay_notify_url: str = "https://tanpuhui.example.invalid/wechatpay/v1/notify"
    token_secret: str = "local-token-secret-change-me"
    token_ttl_seconds: int = 7 * 24 * 3600
    hash_key: str = "local-hash-key-change-me"  # keys hashes of card numbers and openids
    yct_api_base: str = "https://yct.example.invalid/"
    yct_channel: str = "local-channel"
    yct_key: str = "local-yct-key"
    trip_bucket: str = "tanpuhui-local-trips"
    work_queue: str = "tanpuhui-local-work"  # the worker's SQS queue of work units; its dead-letter queue: <name>-dlq
    # A trip file larger than this is ingested in byte ranges of this size, one work unit each.
    ingest_range_bytes: int = 16 * 1024 * 1024
    ingest_rows_per_second: int = (
        0  # a range's pace (0: none); dev/prod: infra/capacity.py INGEST_UNIT_RATE
    )
    grams_per_coin: int = 10
    settle_shards: int = 64  # work units per date
    settle_in_flight: int = 8  # credit transactions a unit keeps in flight at once
    platform_book_slots: int = (
        100  # partition keys of a day's platform book (<= 100: one BatchGetItem reads a day)
    )
    # Days a behaviour item is kept after its date (DynamoDB TTL; the ledger entry keeps what traceability needs).
    behaviour_retention_days: int = 90  # more than the late-data window (7 days) and re-run needs
    log_level: str = "INFO"
    log_signing_key: str = (
        ""  # the transparency log's Ed25519 private key (PEM); local/test: the bundled one
    )
    log_merge_delay_seconds: int = (
        0  # an append's cut-off trails the clock by this (README: 1800 in dev/prod)
    )
    partner_pushes_per_minute: int = 120  # per partner; 500 records each
    login_limit_per_minute: int = (
        120  # per client address: wx.login codes cannot be brute-forced anyway
    )
    # Local stack only: ports of the app and simulators, and where state is saved between runs.
    api_port: int = 8000
    aws_port: int = 8001
    wechat_port: int = 8002
    yct_port: int = 8003
    wechatpay_port: int = 8004
    local_state_dir: str = ".local/state"
    local_snapshot_seconds: int = (
        30  # how often the stack snapshots its state: what a kill -9 can lose (0: on stop)
    )
    local_notice_seconds: int = (
        10  # how often the stack runs the notice sender, AWS's schedule (0: never)
    )
    extra: dict = field(default_factory=dict, compare=False)

    def table_name(self, name: str) -> str:
        return f"{self.table_prefix}-{self.stage}-{name}"

    def pem(self, name: str) -> str:
        """wechatpay_private_key, wechatpay_public_key or log_signing_key: as set, or the local stages' key."""
        if getattr(self, name):
            return getattr(self, name)
        if self.stage in ("dev", "prod"):  # unreachable: load() requires them there
            raise SettingsError(f"{name.upper()} is not set")
        with open(LOCAL_PEMS[name], encoding="ascii") as f:
            return f.read()

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


_ENV = {f.name: f.name.upper() for f in fields(Settings) if f.name != "extra"}
_ENV["region"] = "AWS_REGION"
# Stage `local` with nothing exported means `make run`'s stack on this machine: each address
# that is not set points at the port the stack serves it on (dummy credentials go with a local
# endpoint), so the ops CLI in a second terminal needs no environment.
LOCAL_ADDRESSES = {
    "aws_endpoint": ("aws_port", ""),
    "wechat_api_base": ("wechat_port", "/"),
    "yct_api_base": ("yct_port", "/"),
    "wechatpay_api_base": ("wechatpay_port", "/"),
    # WeChat Pay posts payment notifications to the local API (a public HTTPS URL in AWS)
    "wechatpay_notify_url": ("api_port", "/wechatpay/v1/notify"),
}


def _stage_defaults(stage: str) -> dict:
    """Defaults a deployed stage has instead of the local ones (the field defaults)."""
    deployed = {
        "oa_message_mode": "safe",
        "ingest_rows_per_second": 400,
        "log_merge_delay_seconds": 1800,
    }
    return deployed if stage in ("dev", "prod") else {}


def load(environ=None) -> Settings:
    env = os.environ if environ is None else environ
    stage = env.get("STAGE", "local")
    check_stage(stage, env)
    values = {}
    for f in fields(Settings):
        key = _ENV.get(f.name)
        if key is None or key not in env or key == "STAGE":
            continue
        raw = env[key]
        if f.type == "int":
            try:
                values[f.name] = int(raw)
            except ValueError:
                raise SettingsError(f"{key} must be an integer, got {raw!r}") from None
        else:
            values[f.name] = raw or None if f.name == "aws_endpoint" else raw
    s = Settings(stage=stage, **values)
    if stage == "local":
        s = s.with_(
            **{
                name: f"http://127.0.0.1:{getattr(s, port)}{tail}"
                for name, (port, tail) in LOCAL_ADDRESSES.items()
                if _ENV[name] not in env
            }
        )
    s = s.with_(**{k: v for k, v in _stage_defaults(stage).items() if _ENV[k] not in env})
    check(s)
    return s.with_(log_level=s.log_level.upper())


def exported_names(s: Settings) -> list[str]:
    """The environment variables another process must share to load settings equal to `s`
    (none for stage `local` as it comes): what `make run` tells the ops CLI's terminal."""
    plain = load({}) if s.stage == "local" else Settings(stage=s.stage, **_stage_defaults(s.stage))
    differ = {
        f.name
        for f in fields(Settings)
        if f.name != "extra" and getattr(s, f.name) != getattr(plain, f.name)
    }
    if s.stage == "local":  # a local address that follows its port needs only the port
        differ -= {name for name, (port, _) in LOCAL_ADDRESSES.items() if port in differ}
    return ([] if s.stage == "local" else ["STAGE"]) + sorted(_ENV[n] for n in differ)


_current: Settings | None = None


def get(load_missing: bool = True) -> Settings | None:
    """The process-wide settings, loaded on first use (None if none are installed and not load_missing)."""
    global _current
    if _current is None and load_missing:
        _current = load()
    return _current


def use(settings: Settings) -> Settings:
    """Install settings for this process (tests, the local stack, the CLI)."""
    global _current
    _current = settings
    return settings
