"""Run the ops CLI in-process, as ops would type it; returns (exit code, stdout)."""


def run_cli(capsys, *args: str) -> tuple[int, str]:
    from infra.cli import main

    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = e.code or 0
    return code, capsys.readouterr().out
