"""`tanpuhui`: the ops CLI. Starts from bootstrap like the app (same settings, gateways,
notifier and registry); with nothing exported, stage `local` points at `make run`'s stack.
Output a script needs is `name=value` lines on stdout; the one-line summary goes to stderr
and the command exits non-zero on failure. Command groups live in modules of this package
and register themselves on `cli`."""

from __future__ import annotations

import importlib
import sys

import click

_HELP = {"--help", "-h"}
_argv: list[str] = []
_services = None


@click.group(
    help="Ops CLI of the Guangzhou carbon-inclusion platform. Every command prints a one-line "
    "summary last and exits non-zero on failure.",
    context_settings={"help_option_names": ["--help", "-h"]},
)
@click.pass_context
def cli(ctx):
    import bootstrap

    global _services
    if _HELP & set(_argv):
        return  # help needs no settings: it must work where they are missing or wrong
    _services = bootstrap.start(log_stream=sys.stderr)  # stdout is for what a script reads
    ctx.obj = _services.settings
    log_operator(_argv)


def services():
    """The services bootstrap built for this run (gateways, notifier, methodology registry)."""
    return _services


# Commands that change nothing; every other command changes money, rules or data, so who ran it
# is logged (`ops_command`: the command words and the operator, never the other arguments).
READ_ONLY = {
    "ledger check",
    "books",
    "methodology list",
    "rate list",
    "quarantine list",
    "template",
    "appeals list",
    "notices list",
    "log verify",
    "report day",
    "parameter list",
    "methodology review",
}


def log_operator(argv: list[str]) -> None:
    import getpass

    from core.logs import log

    words = []
    for a in argv:
        if a.startswith("-"):
            break
        words.append(a)
    group = cli.commands.get(words[0]) if words else None
    command = " ".join(words[:2] if isinstance(group, click.Group) else words[:1])
    if not command or command in READ_ONLY or command.startswith("export"):
        return
    by = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--by"), None)
    by = by or next((a.split("=", 1)[1] for a in argv if a.startswith("--by=")), None)
    try:
        operator = by or getpass.getuser()
    except Exception:  # no login name (a container): still say that someone unnamed ran it
        operator = "unknown"
    log("ops_command", command=command, by=operator)


@cli.group(help="Exports for partners and reconciliation.")
def export():
    pass


def operator() -> str:
    """Who runs an ops command, when --by is not given: the login name (recorded with the change)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container): the change is still recorded, as unknown
        return "unknown"


# The option of every command that records who made a change (partners, orgs, PHCER, policies).
BY = click.option(
    "--by",
    default=operator,
    show_default="your login name",
    help="the operator doing this (recorded)",
)


def refused(e) -> click.ClickException:
    """A refusal of core (core.errors.ApiError) as ops read it: the Chinese reason, then the English;
    raise it `from None`, the reason is the whole story."""
    return click.ClickException(f"拒绝：{e.message_zh} / refused: {e.message}")


def summary(text: str, err: bool = True) -> None:
    """The last line a command prints, always on stderr: stdout carries only what a script reads.
    (`err` is accepted from call sites written when stdout was the default; it changes nothing.)"""
    click.echo(text, err=True)


def output(**values) -> None:
    """`name=value` lines on stdout, for scripts (`key_id=…`, `key=…`)."""
    for name, value in values.items():
        click.echo(f"{name}={value}")


def main(argv: list[str] | None = None) -> None:
    import pkgutil

    import infra.cli

    # Every module of this package registers its commands on `cli`: a new command group is a new file.
    for m in pkgutil.iter_modules(infra.cli.__path__):
        importlib.import_module(f"infra.cli.{m.name}")
    global _argv
    _argv = list(sys.argv[1:] if argv is None else argv)
    try:
        cli(args=argv, standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except SystemExit:
        raise
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except Exception as e:  # an ops command that fails says so in one line and exits 1
        click.echo(f"failed: {type(e).__name__}: {e}", err=True)
        sys.exit(1)
