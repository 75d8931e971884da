"""notices send · notices list · notices resend (the subscribe-message outbox)"""

import json
import sys

import click

from infra.cli import cli, services, summary

STATUSES = ("unknown", "pending", "sending", "failed")


@cli.group(
    help="Subscribe-message notices waiting in the outbox (通知发件箱): send them, list them, "
    "resend one whose outcome is unknown."
)
def notices():
    pass


@notices.command(
    "send",
    help="Run the notice sender once (what the worker's schedule runs every minute); "
    "prints its counts as one JSON object.",
)
def notices_send():
    from functions.send_notices import run

    counts = run(services())
    click.echo(json.dumps(counts, sort_keys=True))
    summary(
        f"通知发送：已发送 {counts['sent']}，延后 {counts['delayed']}，放弃 {counts['dropped']}，"
        f"失败 {counts['failed']}，结果未知 {counts['unknown']} · notices: {counts['sent']} sent, "
        f"{counts['delayed']} delayed, {counts['dropped']} dropped, {counts['failed']} failed, "
        f"{counts['unknown']} unknown"
    )


@notices.command(
    "list",
    help="Notices in one state, one JSON object a line (no openid, no message data). "
    "unknown: a sender died mid-send, WeChat may or may not have delivered it; "
    "failed: WeChat refused it (kept 30 days).",
)
@click.option("--status", type=click.Choice(STATUSES), default="unknown", show_default=True)
def notices_list(status):
    from core.localday import local_iso
    from core.notices import notice_states

    n = 0
    for notice in notice_states.listed(status):
        n += 1
        click.echo(
            json.dumps(
                {
                    "id": notice.notice_id,
                    "status": notice.status or "pending",
                    "template": notice.template,
                    "user_id": notice.user_id,
                    "attempts": int(notice.attempts or 0),
                    "claimed_at": local_iso(notice.claimed_at),  # stored UTC, read at +08:00
                    "errcode": None if notice.errcode is None else int(notice.errcode),
                    "resent_by": notice.resent_by,
                },
                ensure_ascii=False,
            )
        )
    summary(f"{n} 条通知处于 {status} 状态 · {n} notice(s) {status}")


@notices.command(
    "resend",
    help="Send an unknown (or failed) notice again: a person's decision, since the "
    "citizen may have had it already. It is sent at the sender's next run.",
)
@click.argument("notice_id")
@click.option("--by", "by", required=True, help="who decided (operator, recorded)")
def notices_resend(notice_id, by):
    from core.notices import notice_states

    if not by.strip():
        raise click.BadParameter("--by must not be empty")
    try:
        notice = notice_states.resend(notice_id, by.strip())
    except notice_states.NoticeNotFound:
        summary(
            f"找不到结果未知或发送失败的通知 {notice_id} · no unknown or failed notice {notice_id}"
        )
        sys.exit(1)
    summary(
        f"通知 {notice.notice_id} 已重新排队，下次发送时发出（操作人 {by.strip()}）· "
        f"notice {notice.notice_id} queued again by {by.strip()}"
    )
