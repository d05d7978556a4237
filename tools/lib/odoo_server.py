"""What the tools share to run Odoo: a throw-away Odoo server on loopback
(`running_odoo`), a script run against a database (`run_script`), and the checks of an
Odoo log.

Run as a program, with the Odoo virtualenv's Python, it runs a command while a
throw-away Odoo serves a database on 127.0.0.1, then checks Odoo's log (`make loadtest`
runs Locust so):

    python tools/lib/odoo_server.py --odoo-path=... --addons-path=... --database=DB \\
        --port=8079 --log-file=odoo.log -- COMMAND [ARGUMENT...]

It exits with the command's status, or 1 when that was 0 and Odoo logged a traceback.
"""

import argparse
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

# Odoo's log records start with their time: "2026-11-25 10:00:00,123 4242 ERROR ...".
LOG_RECORD = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ")
TRACEBACK = "Traceback (most recent call last)"
# Python's lines between the tracebacks of one chained exception.
CHAINED = (
    "During handling of the above exception",
    "The above exception was the direct",
)


# Seconds Odoo gets to stop on SIGTERM, then what is left of its processes to follow.
STOP_TIMEOUT = 30
STRAGGLERS_TIMEOUT = 5


def port_is_free(port):
    """Whether nothing listens on `port` of 127.0.0.1."""
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@contextlib.contextmanager
def running_odoo(
    odoo_path,
    addons_path,
    database,
    port,
    workers=2,
    log_file=None,
    gevent_port=None,
    extra_args=(),
):
    """Run `odoo-bin` with `workers` workers on 127.0.0.1:`port`, serving `database`
    only, and stop it on exit. Crons stay off: the run measures HTTP workers alone.

    With workers, Odoo also starts its gevent process (websocket, bus) on `gevent_port`,
    by default `port` + 100: Odoo's own default, 8072, would be shared by every run, and
    the second one's gevent process could not listen. `extra_args` are added to the
    command (another database server, a read replica). A port already in use is
    refused: the server holding it would answer for this one.

    Odoo runs in a session, and so a process group, of its own, which its HTTP workers
    and gevent process share: on exit the whole group is stopped (stop_process_group),
    so that none of them outlives the run."""
    gevent_port = gevent_port or port + 100
    busy = [
        p for p in ((port, gevent_port) if workers else (port,)) if not port_is_free(p)
    ]
    if busy:
        raise RuntimeError(
            f"127.0.0.1:{busy[0]} is already in use: choose another port"
        )
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
        f"--gevent-port={gevent_port}",
        "--max-cron-threads=0",
        "--proxy-mode",
        "--log-level=info",
        "--no-database-list",
        # Room for the load: the defaults kill a worker after 60 s of CPU or 2 GiB.
        "--limit-time-cpu=600",
        "--limit-time-real=1200",
        *extra_args,
    ]
    log = open(log_file or os.devnull, "w")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
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
        stop_process_group(process)
        log.close()


def stop_process_group(process):
    """Stop the process group that `process` leads (started with
    `start_new_session=True`): SIGTERM to all its processes, up to STOP_TIMEOUT seconds
    for `process` to exit and STRAGGLERS_TIMEOUT more for the others, then SIGKILL to
    whatever is left. `process` is reaped."""

    def signal_group(signum):
        try:
            os.killpg(process.pid, signum)
            return True
        except ProcessLookupError:  # Nothing left in the group.
            return False

    signal_group(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    else:
        deadline = time.monotonic() + STRAGGLERS_TIMEOUT
        while signal_group(0) and time.monotonic() < deadline:
            time.sleep(0.1)
    signal_group(signal.SIGKILL)
    process.wait()


def run_script(
    addons_path, database, script, env=None, timeout=600, source=None, args=()
):
    """Run the script at the path `script` with the arguments `args` against
    `database` with click-odoo, as the Makefile does (its CLICK_ODOO), with this
    Python's Odoo; with `script` None, the Python `source`, which click-odoo reads from
    its standard input. `env` is added to the environment (PGHOST, PGPORT, PGUSER for
    another server, what the script reads). Return what it printed; RuntimeError with
    its last lines when it fails."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "click_odoo",
            f"--addons-path={addons_path}",
            "--log-level=warn",
            "-d",
            database,
            # After `--`, the script's own options are not click-odoo's.
            *([script, "--", *args] if script else []),
        ],
        input=source if script is None else None,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )
    if result.returncode:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-30:])
        raise RuntimeError(
            f"{os.path.basename(script or 'a script')} on {database} exited with"
            f" {result.returncode}:\n{tail}"
        )
    return result.stdout


def check_log_for_tracebacks(log_file, shown=3):
    """Print to stderr the tracebacks in the Odoo log `log_file` (the first `shown` in
    full, each with the log record that announced it, then how many there were in all),
    and return True when there is none. A traceback is a failure even when every answer
    looked right: a worker or the gevent process that crashed and was respawned, or an
    error Odoo answered for and logged, leaves nothing else behind."""
    with open(log_file, errors="replace") as log:
        lines = log.read().splitlines()
    tracebacks = []
    end = 0
    for number, line in enumerate(lines):
        if number < end or not line.startswith(TRACEBACK):
            continue
        start = number - 1 if number and LOG_RECORD.match(lines[number - 1]) else number
        end = number + 1
        # To the next log record, or to the next traceback that is not a chained one
        # (a process's stderr holds tracebacks one after the other).
        while end < len(lines) and not LOG_RECORD.match(lines[end]):
            if lines[end].startswith(TRACEBACK) and not lines[end - 2].startswith(
                CHAINED
            ):
                break
            end += 1
        tracebacks.append(lines[start:end])
    if not tracebacks:
        return True
    sys.stdout.flush()  # The tracebacks after what the run printed so far.
    for traceback in tracebacks[:shown]:
        print("\n".join(traceback), file=sys.stderr)
    print(f"{len(tracebacks)} traceback(s) in the Odoo log {log_file}", file=sys.stderr)
    return False


def percentile(values, fraction):
    """The `fraction` percentile of `values` (nearest rank), in the values' unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def main():
    parser = argparse.ArgumentParser(
        description="Run a command while a throw-away Odoo serves a database on"
        " 127.0.0.1, then check Odoo's log for tracebacks."
    )
    parser.add_argument("--odoo-path", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--log-file", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run (after --)")
    # Stopped by a signal, Odoo is stopped too (running_odoo's finally).
    signal.signal(signal.SIGTERM, lambda _signal, _frame: sys.exit(143))
    with running_odoo(
        args.odoo_path,
        args.addons_path,
        args.database,
        args.port,
        workers=args.workers,
        log_file=args.log_file,
    ):
        status = subprocess.call(command)
    clean = check_log_for_tracebacks(args.log_file)
    print(
        f"check: {'PASS' if clean else 'FAIL'} no traceback in the Odoo log"
        f" ({args.log_file})"
    )
    return status or (0 if clean else 1)


if __name__ == "__main__":
    sys.exit(main())
