"""Start a real multi-worker Odoo on loopback for the load test and the benchmark."""

import contextlib
import os
import subprocess
import sys
import time
import urllib.request


@contextlib.contextmanager
def running_odoo(
    odoo_path, addons_path, database, port, workers=2, log_file=None, gevent_port=None
):
    """Run `odoo-bin` with `workers` workers on 127.0.0.1:`port`, serving `database`
    only, and stop it on exit. Crons stay off: the run measures HTTP workers alone.

    With workers, Odoo also starts its gevent process (websocket, bus) on `gevent_port`,
    by default `port` + 100: Odoo's own default, 8072, would be shared by every run, and
    the second one's gevent process could not listen."""
    command = [
        sys.executable,
        os.path.join(odoo_path, "odoo-bin"),
        f"--addons-path={addons_path}",
        "-d",
        database,
        f"--db-filter=^{database}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--workers={workers}",
        f"--gevent-port={gevent_port or port + 100}",
        "--max-cron-threads=0",
        "--proxy-mode",
        "--log-level=info",
        "--no-database-list",
        # Room for the load: the defaults kill a worker after 60 s of CPU or 2 GiB.
        "--limit-time-cpu=600",
        "--limit-time-real=1200",
    ]
    log = open(log_file or os.devnull, "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {process.returncode}; see {log_file}"
                )
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/web/health", timeout=5
                ) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError("Odoo did not answer /web/health within 120 s")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def percentile(values, fraction):
    """The `fraction` percentile of `values` (nearest rank), in the values' unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]
