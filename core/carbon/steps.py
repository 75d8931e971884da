"""WeRun steps (wx.getWeRunData): one behaviour record per day, replaced by later uploads.

Invariants:
- Decrypted only with the server-side session_key of the signed-in user, and only if
  the watermark names our appid (data decrypted for another app is refused).
- One record per user-day (source "werun", source_id = the date): a later upload
  overwrites it, so steps are never added twice.
- Only the last RECENT_DAYS days count: older days are not accepted, nor days after today.
- The decrypted contents are WeChat's but read as any outside value (core.jsonbounds): an object
  whose stepInfoList is a list, else werun_data_invalid; an entry counts only with a whole
  timestamp inside the calendar and a whole step count in 0..MAX_STEPS (others are skipped).
- A day already settled is marked for the next run (core.carbon.late), which credits the rise.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core import jsonbounds, localday
from core.carbon import intake, late
from core.errors import Unauthorized, Unprocessable
from models import User
from models.behaviours import Behaviour

RECENT_DAYS = 7  # WeRun returns 30 days; a week keeps late uploads useful without rewriting history
MAX_STEPS = 200_000  # a day's steps beyond this are no walk


class WerunDataInvalid(Unprocessable):
    code = "werun_data_invalid"
    message = "The WeRun data could not be read for this session. Please sign in again and retry."
    message_zh = "微信运动数据无法解析，请重新登录后再试。"


def decrypt(settings, session_key: str, encrypted_data: str, iv: str) -> dict:
    from wechatpy.crypto import WeChatWxaCrypto

    try:
        return WeChatWxaCrypto(session_key, iv, settings.wechat_appid).decrypt_message(
            encrypted_data
        )
    except Exception as e:  # bad padding, bad base64, other appid: all are "not valid for us"
        raise WerunDataInvalid() from e


def step_entries(data) -> list[tuple[str, int]]:
    """(local day, steps) of each well-formed entry of decrypted WeRun contents, in their order."""
    listed = data.get("stepInfoList", []) if isinstance(data, dict) else None
    if not isinstance(listed, list):
        raise WerunDataInvalid()
    out = []
    for entry in listed:
        if not isinstance(entry, dict):
            continue
        moment = jsonbounds.from_timestamp(jsonbounds.whole(entry.get("timestamp"), 0, 2**62))
        steps = jsonbounds.whole(entry.get("step"), 0, MAX_STEPS)
        if moment is not None and steps is not None:
            out.append((localday.day_from_timestamp(int(moment.timestamp())), steps))
    return out


def upload(
    settings, user_id: str, encrypted_data: str, iv: str, now: datetime | None = None
) -> dict:
    try:
        user = User.get(user_id)
    except User.DoesNotExist:
        raise Unauthorized() from None
    if not user.session_key:
        raise WerunDataInvalid(
            "No WeChat session: please sign in again.",
            zh="微信会话已失效，请重新登录后再同步步数。",
        )
    data = decrypt(settings, user.session_key, encrypted_data, iv)
    now = now or datetime.now(UTC)
    today = localday.today(now)
    oldest = localday.add_days(today, -(RECENT_DAYS - 1))
    stamp = now.isoformat()
    days: dict[str, Behaviour] = {}
    for entry in step_entries(data):
        d, steps = entry
        if not oldest <= d <= today:
            continue  # ISO dates compare as days
        # The day's record is replaced, never added to (a day listed twice: the later entry).
        days[d] = Behaviour.of(
            user_id,
            d,
            "walk",
            steps,
            localday.end_of_day(d),
            "werun",
            d,
            settings.settle_shards,
            stamp,
            facts={"uploaded_at": stamp},
            keep_days=settings.behaviour_retention_days,
        )
    # Unconditional puts with their day index entries: one TransactWriteItems for the upload.
    intake.store_replacing(list(days.values()))
    accepted = sorted(days)
    # Stored first, then marked: a day already settled is settled again by the next run.
    late.mark_settled_days(accepted, stamp)
    return {"days_accepted": len(accepted)}
