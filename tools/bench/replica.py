"""`make replica`: the payment page served from a PostgreSQL hot standby.

Starts a PostgreSQL primary and a streaming hot standby of its own (Debian's binaries,
`initdb` then `pg_basebackup -R`), on loopback ports, with their data and sockets in a
fresh temporary directory; as the `postgres` user when run as root, since PostgreSQL
refuses to run as root. The machine's own server is neither used nor touched.

Builds a database on the primary (paylink_portal and payment_demo, quieted, a few
customers with their links), waits for the standby to replay it, then runs a 2-worker
Odoo against the primary with `--db_replica_host`/`--db_replica_port` on the standby,
and sends page loads, JSON refreshes, payment steps and bad tokens. From each server's
own statistics (pg_stat_statements, pg_stat_database) it prints where the page's
queries ran, and checks: the page's reads mostly on the standby, every failed lookup
recorded on the primary, every answer the expected one (no 5xx), no traceback in
Odoo's log. Exits non-zero when a check fails.

Odoo and both servers are stopped and the directory removed whatever happens: an
error, Ctrl-C, SIGTERM or the run's time limit.
"""

import argparse
import collections
import concurrent.futures
import contextlib
import functools
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import psycopg2
import requests

# The modules the tools share are in tools/lib.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from odoo_server import (  # noqa: E402
    check_log_for_tracebacks,
    port_is_free,
    run_script,
    running_odoo,
)

PG_BIN = "/usr/lib/postgresql/15/bin"
PG_OS_USER = "postgres"
# Odoo refuses to connect as `postgres`: a superuser of its own creates the database.
ODOO_ROLE = "odoo"
REPLICATION_ROLE = "replicator"
# The page's own reads: the link lookup, the balance and the lines. Odoo's other
# queries of each request (registry signalling, the public user) are not the page's.
PAGE_QUERY = r"\m(account_move_line|paylink_link)\M"
# Odoo's log line of each request ends with the cursor it was served on: `ro` (the
# replica), `rw` (the primary) or `ro->rw` (a read-only request that wrote, served again
# on the primary: odoo.http.Request._transactioning).
REQUEST_LOG = re.compile(
    r' werkzeug: .*"(?:GET|POST) /pay/\S* HTTP/[\d.]+" .* (ro|rw|ro->rw)$'
)
# Valid requests whose page queries must run on the standby, at least this share.
STANDBY_SHARE = 0.9
JSON_CALL = {"jsonrpc": "2.0", "method": "call", "params": {"fingerprint": None}}


class TimeLimit(Exception):
    pass


def _raise_time_limit(signum, frame):
    raise TimeLimit("the run took longer than its time limit (--timeout)")


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


class Cluster:
    """One PostgreSQL server of the run: its data directory, port and log, and the
    commands to create, start and stop it."""

    def __init__(self, name, base_dir, port, run_as):
        self.name = name
        self.base_dir = base_dir
        self.data_dir = os.path.join(base_dir, name)
        self.log_file = os.path.join(base_dir, f"{name}.log")
        self.port = port
        self.run_as = run_as
        self.started = False

    def run(self, program, *args, timeout=120):
        command = [*self.run_as, os.path.join(PG_BIN, program), *args]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode:
            raise RuntimeError(
                f"{self.name}: {program} exited with {result.returncode}\n"
                f"{result.stdout}{result.stderr}{self.log_tail()}"
            )

    def pg_ctl(self, action, *args):
        self.run("pg_ctl", action, "-D", self.data_dir, "-w", *args)

    def log_tail(self, lines=20):
        try:
            with open(self.log_file, errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return ""

    def configure(self, settings):
        """Append `settings` to postgresql.conf, where the last value of each wins."""
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
            conf.write(f"\n# make replica ({self.name})\n")
            for key, value in settings.items():
                conf.write(f"{key} = {value}\n")

    def start(self):
        self.started = True  # pg_ctl may leave a server running when it times out.
        self.pg_ctl("start", "-l", self.log_file, "-t", "60")

    def stop(self):
        """Stop the server (fast shutdown), else kill its postmaster (immediate)."""
        if not self.started:
            return
        try:
            self.pg_ctl("stop", "-m", "fast", "-t", "30")
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            pid_file = os.path.join(self.data_dir, "postmaster.pid")
            if os.path.exists(pid_file):
                with open(pid_file) as pids:
                    postmaster = int(pids.readline())
                print(f"{self.name}: {error}; killing postmaster {postmaster}")
                with contextlib.suppress(ProcessLookupError):
                    os.kill(postmaster, signal.SIGQUIT)
                    time.sleep(2)
                    os.kill(postmaster, signal.SIGKILL)

    def connect(self, dbname="postgres"):
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=ODOO_ROLE, dbname=dbname
        )
        connection.autocommit = True
        return connection

    def query(self, sql, params=(), dbname="postgres"):
        connection = self.connect(dbname)
        try:
            with connection.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else None
        finally:
            connection.close()


def start_servers(base_dir, primary, standby):
    """Create and start the primary, then the standby from its base backup."""
    primary.run(
        "initdb",
        "-D",
        primary.data_dir,
        "-U",
        PG_OS_USER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )
    settings = {
        "listen_addresses": "'127.0.0.1'",
        "port": primary.port,
        "unix_socket_directories": f"'{base_dir}'",
        "wal_level": "replica",
        "max_wal_senders": 4,
        "hot_standby": "on",
        # A throw-away cluster: no need to survive a crash of the machine.
        "fsync": "off",
        "synchronous_commit": "off",
    }
    if os.path.exists("/usr/share/postgresql/15/extension/pg_stat_statements.control"):
        settings["shared_preload_libraries"] = "'pg_stat_statements'"
    primary.configure(settings)
    with open(os.path.join(primary.data_dir, "pg_hba.conf"), "w") as hba:
        hba.write(
            "# make replica: trust on this run's socket and on loopback only.\n"
            "local all all trust\n"
            "host all all 127.0.0.1/32 trust\n"
            f"host replication {REPLICATION_ROLE} 127.0.0.1/32 trust\n"
        )
    primary.start()
    primary.run(
        "psql",
        "-X",
        "-q",
        "-h",
        base_dir,
        "-p",
        str(primary.port),
        "-U",
        PG_OS_USER,
        "-d",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        f"CREATE ROLE {ODOO_ROLE} SUPERUSER LOGIN",
        "-c",
        f"CREATE ROLE {REPLICATION_ROLE} REPLICATION LOGIN",
    )
    stat_statements = "shared_preload_libraries" in settings
    if stat_statements:
        # In `postgres`, where the run's statistics are read: the view shows every
        # database's statements, and the standby gets the extension by replication.
        primary.query("CREATE EXTENSION pg_stat_statements")
    # -R: standby.signal and primary_conninfo, the standby streams from the primary.
    standby.run(
        "pg_basebackup",
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        REPLICATION_ROLE,
        "-D",
        standby.data_dir,
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
    )
    standby.configure({"port": standby.port})
    standby.start()
    deadline = time.time() + 30
    while not primary.query(
        "SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'"
    ):
        if time.time() > deadline:
            raise RuntimeError(f"the standby does not stream\n{standby.log_tail()}")
        time.sleep(0.2)
    [(in_recovery,)] = standby.query("SELECT pg_is_in_recovery()")
    if not in_recovery:
        raise RuntimeError("the standby is not in recovery")
    return stat_statements


def odoo_command(args, primary):
    return [
        sys.executable,
        os.path.join(args.odoo_path, "odoo-bin"),
        f"--addons-path={args.addons_path}",
        *db_options(primary),
        "-d",
        args.database,
    ]


def db_options(primary):
    return [
        "--db_host=127.0.0.1",
        f"--db_port={primary.port}",
        f"--db_user={ODOO_ROLE}",
    ]


def build_database(args, primary, base_dir):
    """Install the addons on the primary, quiet the database, enable the Demo provider
    and seed it; return the seed (customers and their tokens)."""
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run(
        odoo_command(args, primary)
        + [
            "-i",
            "paylink_portal,payment_demo",
            # The series' own way to say it (tools/setup/series.mk's NO_DEMO_N).
            args.no_demo_flag,
            "--stop-after-init",
            "--log-level=warn",
        ],
        check=True,
        timeout=args.timeout,
    )
    seed_file = os.path.join(base_dir, "seed.json")
    for script, *script_args in (
        ("../db/quiet_database.py",),
        ("../db/enable_demo_provider.py",),
        ("seed.py", "load", seed_file, "--customers=3"),
    ):
        output = run_script(
            args.addons_path,
            args.database,
            os.path.join(here, script),
            # click-odoo has no database server options: libpq reads these.
            env={
                "PGHOST": "127.0.0.1",
                "PGPORT": str(primary.port),
                "PGUSER": ODOO_ROLE,
            },
            timeout=300,
            args=script_args,
        )
        print(output, end="")
    with open(seed_file) as seed:
        return json.load(seed)


def wait_for_replay(primary, standby, timeout=60):
    """Wait until the standby replayed all the primary wrote; return the seconds."""
    [(target,)] = primary.query("SELECT pg_current_wal_lsn()")
    start = time.time()
    while True:
        [(caught_up,)] = standby.query(
            "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", (target,)
        )
        if caught_up:
            return target, time.time() - start
        if time.time() - start > timeout:
            raise RuntimeError(f"the standby did not replay up to {target}")
        time.sleep(0.1)


def page_queries(cluster, database, stat_statements):
    """Calls of the page's queries and of all statements in `database`, so far."""
    if not stat_statements:
        return 0, 0
    [(page, total)] = cluster.query(
        "SELECT coalesce(sum(calls) FILTER (WHERE query ~* %s), 0),"
        " coalesce(sum(calls), 0) FROM pg_stat_statements"
        " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)",
        (PAGE_QUERY, database),
    )
    return int(page), int(total)


def reset_statistics(cluster, database, stat_statements):
    if stat_statements:
        cluster.query("SELECT pg_stat_statements_reset()")
    cluster.query("SELECT pg_stat_reset()", dbname=database)


def database_statistics(cluster, database):
    [row] = cluster.query(
        "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched,"
        " tup_inserted FROM pg_stat_database WHERE datname = %s",
        (database,),
    )
    return dict(
        zip(
            ("xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "inserted"),
            row,
            strict=True,
        )
    )


def request_kinds(seed, count, bad_count):
    """The run's requests by kind: (label, method, paths, expected status)."""
    tokens = [customer["token"] for customer in seed["customers"]]

    def valid(number, suffix=""):
        return [f"/pay/{tokens[i % len(tokens)]}{suffix}" for i in range(number)]

    # Tokens of the same length and alphabet as a real one, that prove no link.
    bad = [f"/pay/{secrets.token_urlsafe(32)}" for _ in range(bad_count)]
    return [
        ("GET /pay/<token>", "GET", valid(count), 200),
        ("POST /pay/<token>/summary", "POST", valid(count // 10, "/summary"), 200),
        (
            "GET /pay/<token>/checkout",
            "GET",
            valid(count // 10, "/checkout?tip_percent=20"),
            200,
        ),
        ("GET /pay/<bad token>", "GET", bad, 404),
        ("POST /pay/<bad token>/summary", "POST", [f"{p}/summary" for p in bad], 404),
    ]


def send(base_url, method, path):
    if method == "GET":
        response = requests.get(base_url + path, timeout=60, allow_redirects=False)
    else:
        response = requests.post(base_url + path, json=JSON_CALL, timeout=60)
    return response.status_code


def run_requests(base_url, kinds, servers, database, stat_statements):
    """Send each kind's requests (4 at a time) and return, per kind, its statuses and
    the page's queries each server ran for it."""
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        for label, method, paths, expected in kinds:
            before = [page_queries(s, database, stat_statements) for s in servers]
            statuses = list(pool.map(functools.partial(send, base_url, method), paths))
            after = [page_queries(s, database, stat_statements) for s in servers]
            results.append(
                {
                    "label": label,
                    "expected": expected,
                    "statuses": statuses,
                    "page": [a[0] - b[0] for a, b in zip(after, before, strict=True)],
                    "all": [a[1] - b[1] for a, b in zip(after, before, strict=True)],
                }
            )
    return results


def wait_for_disconnection(servers, database, timeout=15):
    """Wait until Odoo's connections are closed: each backend flushes its statistics to
    pg_stat_database when it ends."""
    deadline = time.time() + timeout
    for server in servers:
        while server.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = %s", (database,)
        ):
            if time.time() > deadline:
                print(f"{server.name}: Odoo's connections still open after {timeout} s")
                break
            time.sleep(0.2)


def print_report(results, totals, stat_statements):
    print()
    if stat_statements:
        print(
            "Statements of the database per server (pg_stat_statements): the page's"
            " queries (on account_move_line or paylink_link), then all"
        )
    print(
        f"{'requests':<30} {'count':>5}  {'statuses':<12}"
        f" {'page: primary':>13} {'standby':>8} {'all: primary':>12} {'standby':>8}"
    )
    for result in results:
        statuses = ", ".join(
            f"{status}: {result['statuses'].count(status)}"
            for status in sorted(set(result["statuses"]))
        )
        print(
            f"{result['label']:<30} {len(result['statuses']):>5}  {statuses:<12}"
            f" {result['page'][0]:>13,} {result['page'][1]:>8,}"
            f" {result['all'][0]:>12,} {result['all'][1]:>8,}"
        )
    print()
    print("Transactions and rows of the database per server (pg_stat_database)")
    keys = list(totals[0])
    print(f"{'server':<8}" + "".join(f" {key:>13}" for key in keys))
    for name, total in zip(("primary", "standby"), totals, strict=True):
        print(f"{name:<8}" + "".join(f" {total[key]:>13,}" for key in keys))


def checks(results, totals, failures, retries, log_file, stat_statements):
    """The PASS/FAIL lines, as (passed, label)."""
    valid = [result for result in results if result["expected"] == 200]
    bad = [result for result in results if result["expected"] != 200]
    if stat_statements:
        primary = sum(result["page"][0] for result in valid)
        standby = sum(result["page"][1] for result in valid)
        share = standby / (primary + standby) if primary + standby else 0.0
        reads = (
            share >= STANDBY_SHARE,
            f"page reads mostly on the standby: {standby:,} of {primary + standby:,}"
            f" page queries of valid requests ({share:.1%}, at least"
            f" {STANDBY_SHARE:.0%})",
        )
    else:
        requests_count = sum(len(result["statuses"]) for result in valid)
        commits = totals[1]["xact_commit"]
        reads = (
            commits >= STANDBY_SHARE * requests_count,
            f"page reads mostly on the standby: {commits:,} transactions on the standby"
            f" for {requests_count:,} valid requests (pg_stat_database)",
        )
    bad_count = sum(len(result["statuses"]) for result in bad)
    answers = [
        (status, result["expected"])
        for result in results
        for status in result["statuses"]
    ]
    return [
        reads,
        (
            failures == bad_count,
            f"failed lookups recorded on the primary: {failures} for {bad_count} bad"
            f" tokens (paylink_lookup_failure; {retries} requests served again on the"
            " primary, ro->rw)",
        ),
        (
            all(status == expected for status, expected in answers),
            "every valid request answered 200, every bad token 404",
        ),
        (all(status < 500 for status, _ in answers), "no 5xx"),
        (
            check_log_for_tracebacks(log_file),
            "no traceback in the Odoo log",
        ),
    ]


def run(args, base_dir, primary, standby):
    stat_statements = start_servers(base_dir, primary, standby)
    [(version,)] = primary.query("SHOW server_version")
    print(
        f"PostgreSQL {version}: primary on 127.0.0.1:{primary.port}, hot standby on"
        f" 127.0.0.1:{standby.port} streaming from it (data and sockets in {base_dir})"
    )
    seed = build_database(args, primary, base_dir)
    lsn, seconds = wait_for_replay(primary, standby)
    print(f"The standby replayed the primary's WAL up to {lsn} ({seconds:.1f} s).")
    servers = (primary, standby)
    replica = [
        *db_options(primary),
        "--db_replica_host=127.0.0.1",
        f"--db_replica_port={standby.port}",
    ]
    print(f"Odoo --workers=2 on 127.0.0.1:{args.port}: {' '.join(replica)}")
    with running_odoo(
        args.odoo_path,
        args.addons_path,
        args.database,
        args.port,
        log_file=args.log_file,
        extra_args=replica,
    ) as base_url:
        for server in servers:
            reset_statistics(server, args.database, stat_statements)
        results = run_requests(
            base_url,
            request_kinds(seed, args.requests, args.bad_tokens),
            servers,
            args.database,
            stat_statements,
        )
    wait_for_disconnection(servers, args.database)
    totals = [database_statistics(server, args.database) for server in servers]
    [(failures,)] = primary.query(
        "SELECT count(*) FROM paylink_lookup_failure", dbname=args.database
    )
    cursors = collections.Counter()
    with open(args.log_file, errors="replace") as log:
        for line in log:
            match = REQUEST_LOG.search(line.rstrip("\n"))
            if match:
                cursors[match.group(1)] += 1
    print_report(results, totals, stat_statements)
    print(
        "Odoo's request log, /pay requests by cursor: "
        + ", ".join(f"{mode} {cursors[mode]}" for mode in ("ro", "ro->rw", "rw"))
    )
    retries = cursors["ro->rw"]
    print()
    outcome = checks(results, totals, failures, retries, args.log_file, stat_statements)
    for passed, label in outcome:
        print(f"{'PASS' if passed else 'FAIL'}  {label}")
    return 0 if all(passed for passed, _ in outcome) else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--odoo-path", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", default="paylink_replica")
    parser.add_argument("--primary-port", type=int, default=55432)
    parser.add_argument("--standby-port", type=int, default=55433)
    parser.add_argument("--port", type=int, default=8076, help="Odoo's HTTP port")
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="page loads; a tenth as many refreshes and payment steps",
    )
    parser.add_argument("--bad-tokens", type=int, default=3, help="of each kind")
    parser.add_argument("--log-file", default="replica-odoo.log")
    parser.add_argument(
        "--no-demo-flag",
        default="--without-demo=all",
        help="Odoo's option for no demo data (18.0: --without-demo=all)",
    )
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds for the whole run"
    )
    args = parser.parse_args()
    args.log_file = os.path.abspath(args.log_file)
    for port in (args.primary_port, args.standby_port, args.port, args.port + 100):
        if not port_is_free(port):
            parser.error(f"port {port} of 127.0.0.1 is in use")
    if not os.access(os.path.join(PG_BIN, "initdb"), os.X_OK):
        parser.error(f"no {PG_BIN}/initdb: install Debian's postgresql-15")
    signal.signal(signal.SIGTERM, _raise_exit)
    signal.signal(signal.SIGALRM, _raise_time_limit)
    signal.alarm(args.timeout)
    base_dir = tempfile.mkdtemp(prefix="paylink-replica-")
    run_as = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root.
        user = pwd.getpwnam(PG_OS_USER)
        os.chown(base_dir, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", PG_OS_USER, "--"]
    primary = Cluster("primary", base_dir, args.primary_port, run_as)
    standby = Cluster("standby", base_dir, args.standby_port, run_as)
    try:
        return run(args, base_dir, primary, standby)
    except TimeLimit as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    finally:
        signal.alarm(0)
        # Whatever happened, within a minute or two: each stop is bounded.
        standby.stop()
        primary.stop()
        shutil.rmtree(base_dir, ignore_errors=True)
        print(f"Stopped both PostgreSQL servers and removed {base_dir}.")


if __name__ == "__main__":
    sys.exit(main())
