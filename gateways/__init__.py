"""Clients of outside systems, built in one place (`Gateways.from_settings`) and passed in.

Each gateway is built on first use so a cold start pays only for what it calls.
"""

from __future__ import annotations

from functools import cached_property


class Gateways:
    def __init__(self, settings):
        self.settings = settings

    @cached_property
    def wechat(self):
        from gateways.wechat import WechatGateway
        from gateways.wechat_session import DynamoSessionStorage

        s = self.settings
        return WechatGateway(
            s.wechat_appid, s.wechat_secret, s.wechat_api_base, DynamoSessionStorage()
        )

    @cached_property
    def oa(self):
        from gateways.wechat_oa import OfficialAccountGateway
        from gateways.wechat_session import DynamoSessionStorage

        s = self.settings
        # Its own app and its own shared token (wechatpy keys stored tokens by appid).
        return OfficialAccountGateway(
            s.oa_appid,
            s.oa_secret,
            s.oa_token,
            s.oa_aes_key,
            s.wechat_api_base,
            DynamoSessionStorage(),
        )

    @cached_property
    def yct(self):
        from gateways.yct import YctGateway

        s = self.settings
        return YctGateway(s.yct_api_base, s.yct_channel, s.yct_key)

    @cached_property
    def wechatpay(self):
        from gateways.wechatpay import WechatPayGateway

        return WechatPayGateway(self.settings)

    @cached_property
    def s3(self):
        return aws_client("s3", self.settings)

    @cached_property
    def sqs(self):
        return aws_client("sqs", self.settings)


def aws_client(service: str, settings):
    """A boto3 client on the configured endpoint (dummy credentials when it is local)."""
    import boto3

    creds = {}
    if settings.aws_endpoint:
        creds = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    return boto3.client(
        service, region_name=settings.region, endpoint_url=settings.aws_endpoint, **creds
    )
