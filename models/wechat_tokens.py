from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from models.base import table


@table("wechat_tokens")
class WechatToken(Model):
    """WeChat's access token, shared by every Lambda container: WeChat invalidates
    the previous token when a new one is fetched, so containers must not each fetch."""

    class Meta:
        table_name = "wechat_tokens"

    name = UnicodeAttribute(hash_key=True)
    value = UnicodeAttribute()
    expires_at = NumberAttribute()  # unix seconds
    ttl = TTLAttribute(null=True)
