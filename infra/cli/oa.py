"""oa menu"""

import click

from infra.cli import cli, services, summary


@cli.group(help="The WeChat official account (公众号).")
def oa():
    pass


@oa.command(
    "menu",
    help="Create the official account's menu (mini-program, 我的碳币, 帮助) through the WeChat API.",
)
@click.pass_obj
def oa_menu(settings):
    from core.citizens.oa_replies import menu

    m = menu(settings.wechat_appid)
    services().gateways.oa.create_menu(m)
    summary(f"official account menu created: {', '.join(b['name'] for b in m['button'])}")
