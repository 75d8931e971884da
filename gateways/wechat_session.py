"""wechatpy session storage backed by DynamoDB, so every container shares one
access token. wechatpy refreshes the token itself when fewer than 60 s remain."""
import time

from models import WechatToken


class DynamoSessionStorage:
    """Implements wechatpy.session.SessionStorage (get/set/delete)."""

    def get(self, key, default=None):
        try:
            item = WechatToken.get(key, consistent_read=True)
        except WechatToken.DoesNotExist:
            return default
        if item.expires_at and item.expires_at <= time.time():
            return default
        return int(item.value) if key.endswith("_expires_at") else item.value

    def set(self, key, value, ttl=None):
        expires_at = int(time.time() + ttl) if ttl else int(time.time() + 7200)
        WechatToken(key, value=str(value), expires_at=expires_at).save()

    def delete(self, key):
        WechatToken(key).delete()

    def __getitem__(self, key):
        return self.get(key)

    def __setitem__(self, key, value):
        self.set(key, value)

    def __delitem__(self, key):
        self.delete(key)
