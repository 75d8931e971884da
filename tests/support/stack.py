"""The local stack as a subprocess on free ports: what `make run` starts, with its
stdout captured so tests can read every log line it wrote."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Stack:
    api: str
    aws: str
    wechat: str
    yct: str
    wechatpay: str
    env: dict
    log_path: str
    proc: subprocess.Popen = field(repr=False)

    def log_lines(self) -> list[str]:
        with open(self.log_path, encoding="utf-8") as f:
            return [line.rstrip("\n") for line in f if line.strip()]

    def tool_env(self) -> dict:
        """The environment of an ops tool or function pointed at this stack (what ops would export)."""
        return {
            **self.env,
            "AWS_ENDPOINT": self.aws,
            "WECHAT_API_BASE": self.wechat + "/",
            "YCT_API_BASE": self.yct + "/",
            "WECHATPAY_API_BASE": self.wechatpay + "/",
        }

    def settings(self):
        from core import settings as settings_mod

        return settings_mod.load(self.tool_env())

    def cli(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        """`tanpuhui ARGS` in its own process against this stack, as ops would type it."""
        tanpuhui = os.path.join(os.path.dirname(sys.executable), "tanpuhui")
        r = subprocess.run(
            [tanpuhui, *args],
            cwd=ROOT,
            env=self.tool_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        _check_emf(r.stdout, f"tanpuhui {args[0] if args else ''} stdout")
        _check_emf(r.stderr, f"tanpuhui {args[0] if args else ''} stderr")
        return r


PORTS = ("API_PORT", "AWS_PORT", "WECHAT_PORT", "YCT_PORT", "WECHATPAY_PORT")
NO_STATE = ("--fresh", "--no-save")  # neither load a saved state nor save one
SAVING = ("--fresh",)  # start from the demo seed, save state periodically and on stop


def start_stack(tmpdir: str, extra_env: dict | None = None, args=NO_STATE) -> Stack:
    ports = {name: free_port() for name in PORTS}
    env = {
        **os.environ,
        **{k: str(v) for k, v in ports.items()},
        "STAGE": "test",
        "TABLE_PREFIX": "e2e",
        "LOCAL_STATE_DIR": os.path.join(tmpdir, "state"),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    env.pop("AWS_ENDPOINT", None)
    return _launch(tmpdir, env, ports, args)


def restart_stack(stack: Stack, tmpdir: str, name: str) -> Stack:
    """The same stack again (ports, settings, state folder) after it stopped or was killed: it
    loads the saved state and keeps saving; its log is `name`.log in tmpdir."""
    ports = {p: int(stack.env[p]) for p in PORTS}
    return _launch(tmpdir, stack.env, ports, (), name)


def default_ports() -> dict[str, int]:
    from core import settings as settings_mod

    plain = settings_mod.Settings()
    return {name: getattr(plain, name.lower()) for name in PORTS}


def ports_free(ports) -> bool:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def start_plain_stack(tmpdir: str) -> Stack:
    """`make run` as a fresh clone starts it: stage local, the default ports, nothing exported
    (PATH and HOME aside); --fresh --no-save keeps it away from a developer's saved state."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", tmpdir),
        "PYTHONUNBUFFERED": "1",
    }
    return _launch(tmpdir, env, default_ports())


def _launch(tmpdir: str, env: dict, ports: dict, args=NO_STATE, name: str = "stack") -> Stack:
    log_path = os.path.join(tmpdir, f"{name}.log")
    out, err = open(log_path, "w"), open(log_path + ".stderr", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "infra.local_stack", *args],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=err,
    )
    api = f"http://127.0.0.1:{ports['API_PORT']}"
    deadline = time.time() + 180  # a loaded 2-core CI machine: the seed alone can take a minute
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"local stack exited: {open(log_path + '.stderr').read()[-2000:]}")
        try:
            urllib.request.urlopen(api + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("local stack did not start in 180 s")
    return Stack(
        api=api,
        aws=f"http://127.0.0.1:{ports['AWS_PORT']}",
        wechat=f"http://127.0.0.1:{ports['WECHAT_PORT']}",
        yct=f"http://127.0.0.1:{ports['YCT_PORT']}",
        wechatpay=f"http://127.0.0.1:{ports['WECHATPAY_PORT']}",
        env=env,
        log_path=log_path,
        proc=proc,
    )


def stop_stack(stack: Stack) -> None:
    """Stop it; then every metric line it wrote must be valid EMF (tests/support/emf.py)."""
    stack.proc.terminate()
    try:
        stack.proc.wait(15)
    except subprocess.TimeoutExpired:
        stack.proc.kill()
    for path in (stack.log_path, stack.log_path + ".stderr"):
        with open(path, encoding="utf-8", errors="replace") as f:
            _check_emf(f.read(), os.path.basename(path))


def _check_emf(text: str, where: str) -> None:
    from tests.support import emf

    bad = emf.check(text, where)
    assert not bad, "invalid EMF metric lines:\n" + "\n".join(bad[:20])
