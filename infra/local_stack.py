"""`make run`: the real app on :8000 with a serialised moto endpoint (:8001), the
WeChat simulator (:8002) and the Yangchengtong simulator (:8003); tables and the
trip bucket created, demo data seeded or the last run's state loaded. Ports and the state
folder come from settings.

State is saved as one consistent moment (infra/snapshot.py): every LOCAL_SNAPSHOT_SECONDS
while running, which bounds what a kill -9 loses, and on Ctrl-C/SIGTERM after the API has
stopped accepting requests and finished those in flight. The notice sender (AWS's every-minute
schedule of functions/send_notices) runs every LOCAL_NOTICE_SECONDS."""

from __future__ import annotations

import logging
import signal
import sys
import threading

from core import logs
from core import settings as settings_mod


def simulators() -> list:
    """Every infra/sim_*.py module declares SIMULATOR = (name, port setting, base-URL setting)
    and create(settings) -> WSGI app; the stack serves each and points settings at it."""
    import importlib
    import pkgutil

    import infra

    found = []
    for m in sorted(pkgutil.iter_modules(infra.__path__), key=lambda m: m.name):
        if m.name.startswith("sim_"):
            module = importlib.import_module(f"infra.{m.name}")
            name, port_attr, base_attr = module.SIMULATOR
            found.append((name, port_attr, module.create, base_attr))
    return found


def start(base: settings_mod.Settings, fresh: bool = False, persist: bool = True):
    """Start everything; return (settings, stop function)."""
    import bootstrap
    from functions import send_notices, work_queue
    from gateways import aws_client
    from infra import seed, snapshot, tables
    from infra.aws_endpoint import AwsEndpoint
    from infra.servers import ThreadedServer
    from miniprogram_api import create_app

    # Werkzeug's access log is not JSON and names full URLs; our request log line replaces it.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    endpoint = AwsEndpoint("127.0.0.1", base.aws_port).start()
    changes = {"aws_endpoint": endpoint.url}
    servers = [endpoint]
    for name, port_attr, factory, base_attr in simulators():
        sim = ThreadedServer(factory(base), port=getattr(base, port_attr), name=name).start()
        servers.append(sim)
        changes[base_attr] = sim.url + "/"
    # WeChat Pay posts payment notifications to this API (a public HTTPS URL in AWS).
    changes["wechatpay_notify_url"] = f"http://127.0.0.1:{base.api_port}/wechatpay/v1/notify"
    settings = settings_mod.use(base.with_(**changes))
    tables.create_all(settings)
    tables.ensure_bucket(settings, aws_client("s3", settings))
    work_queue.ensure_queues(settings, aws_client("sqs", settings))
    loaded = False if fresh else snapshot.load(settings)
    summary = {} if loaded else seed.seed_demo(settings)
    api = ThreadedServer(create_app(settings), port=base.api_port, name="api").start()
    servers.insert(0, api)
    logs.log(
        "local_stack_started",
        api=api.url,
        aws=endpoint.url,
        state="loaded" if loaded else "seeded",
        seeded=summary,
        **{name: changes[b] for name, _, _, b in simulators()},
    )

    periodic = Periodic(
        settings.local_snapshot_seconds,
        lambda: logs.log(
            "local_stack_saved", path=snapshot.save(settings, endpoint), reason="periodic"
        ),
        "snapshots",
        "local_stack_save_failed",
    )
    if persist:
        periodic.start()
    # AWS runs functions/send_notices every minute; here the same code runs on a timer, so a
    # credit's notice reaches the WeChat simulator.
    services = bootstrap.Services(settings)
    notices = Periodic(
        settings.local_notice_seconds,
        lambda: send_notices.run(services, log_idle=False),
        "notices",
        "local_notices_failed",
    )
    notices.start()

    def stop():
        notices.stop()  # a run in progress finishes first: no notice is left claimed by this stack
        api.stop()  # no new request; those in flight finish: the snapshot sees none half-done
        periodic.stop()
        if persist:
            path = snapshot.save(settings, endpoint)
            logs.log("local_stack_saved", path=path, reason="stop")
        for s in servers[1:]:
            s.stop()

    return settings, api.url, stop


class Periodic:
    """Runs `job` every `seconds` on a thread of its own until stop(); 0 means never. A job that
    raises logs `failed` (its error type) and runs again at the next tick."""

    def __init__(self, seconds: int, job, name: str, failed: str):
        self.seconds, self.job, self.failed = seconds, job, failed
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=name)

    def start(self) -> None:
        if self.seconds > 0:
            self._thread.start()

    def _run(self) -> None:
        while not self._stopped.wait(self.seconds):
            try:
                self.job()
            except (
                Exception
            ) as e:  # the next run may succeed (a snapshot: the last good file is untouched)
                logs.log(self.failed, level=40, error_type=type(e).__name__)

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join()  # a run in progress finishes first


def cli_line(served: settings_mod.Settings) -> str:
    """The one line telling ops how `tanpuhui` in another terminal reaches this stack."""
    names = settings_mod.exported_names(served)
    if not names:
        return (
            "ops CLI  .venv/bin/tanpuhui (ledger check, settle, merchant key …) in another terminal talks "
            "to this stack with nothing exported"
        )
    return (
        f"ops CLI  .venv/bin/tanpuhui in another terminal talks to this stack once {', '.join(names)} are "
        "set to this stack's values (the addresses above)"
    )


def main() -> None:
    base = settings_mod.get()
    settings, api_url, stop = start(
        base, fresh="--fresh" in sys.argv, persist="--no-save" not in sys.argv
    )
    # The banner goes to stderr: stdout carries only JSON log lines.
    out = sys.stderr
    print(
        f"\n  API            {api_url}   (docs {api_url}/docs, contract {api_url}/openapi.json)",
        file=out,
    )
    print(f"  AWS endpoint   {settings.aws_endpoint}   (DynamoDB + S3, serialised)", file=out)
    for name, _, _, base_attr in simulators():
        print(f"  {name:<14} {getattr(settings, base_attr)}", file=out)
    print(f"  {cli_line(settings)}", file=out)
    print(
        f"  notices sent to the WeChat simulator every {settings.local_notice_seconds} s (0: never)",
        file=out,
    )
    print(
        f"  Ctrl-C saves state and stops (also saved every {settings.local_snapshot_seconds} s); "
        "`make reset` forgets it.\n",
        file=out,
        flush=True,
    )
    done = threading.Event()
    # Ctrl-C and SIGTERM both end in a clean stop that saves state.
    signal.signal(signal.SIGINT, lambda *_: done.set())
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    while not done.wait(0.5):
        pass
    stop()
    print("  stopped; state saved" if "--no-save" not in sys.argv else "  stopped", file=out)


if __name__ == "__main__":
    main()
