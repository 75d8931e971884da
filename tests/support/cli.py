"""Run the ops CLI in-process, as ops would type it; returns (exit code, stdout, stderr).
stdout holds what a script reads (`name=value` lines, exports); the summary is stderr's last line."""


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    from infra.cli import main

    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else ""
