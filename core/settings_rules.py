"""What valid settings are: the tables and checks core.settings applies at start-up. No I/O.

Invariants:
- STAGE is one of STAGES; a deployed stage (dev, prod) has every setting of REQUIRED_IN_AWS set
  (local and test run on safe defaults), and a missing one is named in the error.
- Settings that pass `check` have a LOG_LEVEL of LOG_LEVELS (any case; never DEBUG in prod), an
  OA_MESSAGE_MODE of OA_MESSAGE_MODES, a 43-character OA_AES_KEY, a 32-byte WECHATPAY_APIV3_KEY,
  no negative period, positive coin and settlement numbers, 1 to 100 platform book slots and a
  behaviour retention of at least MIN_RETENTION_DAYS.
- Every refusal is a SettingsError naming the variable, so start-up stops saying what to fix.
"""

from __future__ import annotations

STAGES = ("local", "test", "dev", "prod")
LOG_LEVELS = (
    "DEBUG",
    "INFO",
    "WARNING",
    "ERROR",
    "CRITICAL",
)  # metric lines are written at every level
OA_MESSAGE_MODES = ("plain", "compatible", "safe")  # the OA console's 明文模式, 兼容模式, 安全模式
# Settings a deployed stage cannot run without; local and test get safe defaults.
REQUIRED_IN_AWS = (
    "WECHAT_APPID",
    "WECHAT_SECRET",
    "TOKEN_SECRET",
    "HASH_KEY",
    "YCT_CHANNEL",
    "YCT_KEY",
    "OA_APPID",
    "OA_SECRET",
    "OA_TOKEN",
    "OA_AES_KEY",
    "WECHATPAY_MCHID",
    "WECHATPAY_SERIAL_NO",
    "WECHATPAY_PRIVATE_KEY",
    "WECHATPAY_APIV3_KEY",
    "WECHATPAY_NOTIFY_URL",
    "WECHATPAY_PUBLIC_KEY",
    "WECHATPAY_PUBLIC_KEY_ID",
    "LOG_SIGNING_KEY",
)
MIN_RETENTION_DAYS = 30  # the late-data window (7 days) and room to re-run a month


class SettingsError(RuntimeError):
    pass


def check_stage(stage: str, env) -> None:
    """Before anything is read: a known stage, and a deployed one with all it cannot run without."""
    if stage not in STAGES:
        raise SettingsError(f"STAGE must be one of {', '.join(STAGES)}, got {stage!r}")
    if stage in ("dev", "prod"):
        missing = [name for name in REQUIRED_IN_AWS if not env.get(name)]
        if missing:
            raise SettingsError(f"missing setting(s) for stage {stage}: {', '.join(missing)}")


def check(s) -> None:
    """The values of loaded settings (core.settings.Settings, its stage's defaults applied)."""
    if s.log_level.upper() not in LOG_LEVELS:
        raise SettingsError(
            f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {s.log_level!r}"
        )
    if s.stage == "prod" and s.log_level.upper() == "DEBUG":
        raise SettingsError(
            "LOG_LEVEL must not be DEBUG in prod (debug lines may carry request data)"
        )
    if s.oa_message_mode not in OA_MESSAGE_MODES:
        raise SettingsError(
            f"OA_MESSAGE_MODE must be plain, compatible or safe, got {s.oa_message_mode!r}"
        )
    if len(s.oa_aes_key) != 43:
        raise SettingsError(
            "OA_AES_KEY must be the 43-character EncodingAESKey of the official account"
        )
    if len(s.wechatpay_apiv3_key.encode()) != 32:
        raise SettingsError(
            "WECHATPAY_APIV3_KEY must be the 32-byte APIv3 key of the merchant account"
        )
    if min(s.local_snapshot_seconds, s.local_notice_seconds, s.log_merge_delay_seconds) < 0:
        raise SettingsError(
            "LOCAL_SNAPSHOT_SECONDS, LOCAL_NOTICE_SECONDS, LOG_MERGE_DELAY_SECONDS must be 0 or more"
        )
    if (
        s.grams_per_coin <= 0
        or s.settle_shards <= 0
        or s.settle_in_flight <= 0
        or not 0 < s.platform_book_slots <= 100
    ):
        raise SettingsError(
            "GRAMS_PER_COIN, SETTLE_SHARDS, SETTLE_IN_FLIGHT must be positive; PLATFORM_BOOK_SLOTS 1 to 100"
        )
    if s.behaviour_retention_days < MIN_RETENTION_DAYS:
        raise SettingsError(
            f"BEHAVIOUR_RETENTION_DAYS must be at least {MIN_RETENTION_DAYS}: "
            "a day's records are read again until its late-data window closes"
        )
