"""wechatpy session storage backed by DynamoDB, so every container shares one access
token (WeChat invalidates the old token when a new one is fetched).

Each container keeps the token in memory until shortly before it expires, so most
WeChat calls read no table; a token within REFRESH_AHEAD of expiry reads as missing,
which makes wechatpy fetch a fresh one before the old one dies.
"""

import time
from datetime import UTC

from models import WechatToken

REFRESH_AHEAD = 300  # seconds


class DynamoSessionStorage:
    """Implements wechatpy.session.SessionStorage (get/set/delete)."""

    def __init__(self):
        self._memory: dict = {}  # key -> (value, expires_at); one storage per container's gateways

    def get(self, key, default=None):
        now = time.time()
        hit = self._memory.get(key)
        if hit and hit[1] - now > REFRESH_AHEAD:
            return hit[0]
        left = self.seconds_left(key)
        if left is None or left <= REFRESH_AHEAD:
            return default
        return self._memory[key][0]

    def seconds_left(self, key) -> int | None:
        """Seconds until the shared token expires (reads the table), or None if there is none."""
        try:
            item = WechatToken.get(key, consistent_read=True)
        except WechatToken.DoesNotExist:
            return None
        self._memory[key] = (item.value, int(item.expires_at))
        return int(item.expires_at - time.time())

    def set(self, key, value, ttl=None):
        from datetime import datetime

        expires_at = int(time.time() + (ttl or 7200))
        WechatToken(
            key,
            value=str(value),
            expires_at=expires_at,
            ttl=datetime.fromtimestamp(expires_at + 3600, tz=UTC),
        ).save()
        self._memory[key] = (str(value), expires_at)

    def delete(self, key):
        self._memory.pop(key, None)
        WechatToken(key).delete()

    def __getitem__(self, key):
        return self.get(key)

    def __setitem__(self, key, value):
        self.set(key, value)

    def __delitem__(self, key):
        self.delete(key)
