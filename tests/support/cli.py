"""Run the ops CLI in-process, as ops would type it. stdout holds what a script reads
(`name=value` lines, exports); the one-line summary is the last line on stderr."""


def run_cli_streams(capsys, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr)."""
    from infra.cli import main

    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_cli(capsys, *args: str) -> tuple[int, str]:
    """(exit code, stdout)."""
    code, out, _ = run_cli_streams(capsys, *args)
    return code, out


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""
