"""`tanpuhui`: the ops CLI. Reads the same settings as the app; every command prints
a one-line summary and exits non-zero on failure. Command groups live in modules
of this package and register themselves on `cli`."""
from __future__ import annotations

import importlib
import sys

import click

_HELP = {"--help", "-h"}
_argv: list[str] = []


@click.group(help="Ops CLI of the Guangzhou carbon-inclusion platform. Every command prints a one-line "
                  "summary last and exits non-zero on failure.", context_settings={"help_option_names": ["--help", "-h"]})
@click.pass_context
def cli(ctx):
    import models
    from core import logs
    from core import settings as settings_mod

    if _HELP & set(_argv):
        return  # help needs no settings: it must work where they are missing or wrong
    s = settings_mod.get()
    logs.setup(s.log_level, stream=sys.stderr)  # stdout is for results and the summary line
    models.bind(s)
    ctx.obj = s


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


def summary(text: str, err: bool = False) -> None:
    """The last line a command prints (on stderr when stdout carries the command's output)."""
    click.echo(text, err=err)


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
