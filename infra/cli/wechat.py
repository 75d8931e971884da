"""wechat refresh-token: what the worker's refresh_wechat_token schedule does, run once by ops."""

from infra.cli import cli, output, services, summary


@cli.group(help="WeChat's shared access tokens (微信访问令牌).")
def wechat():
    pass


@wechat.command(
    "refresh-token",
    help="Refresh the mini-program's and the official account's shared access "
    "tokens if they expire within 15 minutes (what the schedule does every 30 "
    "minutes); prints the seconds each has left and emits WechatTokenAge.",
)
def refresh_token():
    from functions.refresh_wechat_token import run

    left = run(services().gateways)
    output(**left)
    summary(
        f"微信令牌：小程序剩余 {left['seconds_left']} 秒，公众号剩余 {left['oa_seconds_left']} 秒 · "
        f"wechat tokens: {left['seconds_left']} s / {left['oa_seconds_left']} s left"
    )
