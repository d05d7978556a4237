"""`make bench`: the payment page against Odoo's own pages, on a real 2-worker Odoo.

Every page is measured the same way on the same server with `wrk` (one thread,
CONNECTIONS keep-alive connections): WARMUP seconds each, discarded, then ROUNDS
rounds in which every page gets DURATION / ROUNDS seconds in turn. Interleaved, the
pages share whatever else the machine does while they run; measured one after the
other, two runs of the same code gave ratios 10 % apart. Each figure is the median of
the rounds'; the spread of req/s across the rounds is printed too. It prints requests
per second, p50 and p99 latency, the ratios the targets are about, and the bytes a first
visit transfers (the HTML, then every stylesheet and script it links; /pay inlines its
stylesheet and links one small script). Exits non-zero when a target is missed or the
Odoo server's log holds a traceback.

With `--orm-database`, the /pay pages of a second database (seed.py bench-orm's:
invoices created through the ORM and never analyzed, the planner's worst case) are then
measured the same way on a server of their own, and the p50 ratio of its biggest
customer to its smallest is checked against the same target.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import urllib.request

# The modules the tools share are in tools/lib.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from odoo_server import check_log_for_tracebacks, running_odoo  # noqa: E402

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/[^"]+\.(?:css|js))"')
WRK_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_PERCENTILE = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
# Odoo's workers close the connection after each answer, which wrk counts as a read
# error and reconnects: only wrong answers and timeouts are errors here.
WRK_ERRORS = re.compile(
    r"Non-2xx or 3xx responses: \d+|Socket errors: .*timeout [1-9]\d*"
)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, duration, connections):
    output = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = WRK_ERRORS.search(output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(0)}\n{output}")
    percentiles = {
        int(p): float(value) * UNIT_MS[unit]
        for p, value, unit in WRK_PERCENTILE.findall(output)
    }
    return {
        "rps": float(WRK_RPS.search(output).group(1)),
        "p50": percentiles[50],
        "p99": percentiles[99],
    }


def fetch(url, data=None):
    request = urllib.request.Request(
        url, data=data, headers=({"Content-Type": "application/json"} if data else {})
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return response.read()


def first_visit_bytes(base_url, path):
    """Bytes of the HTML, then of the stylesheets and scripts it links, as a browser
    with an empty cache would download them (uncompressed: Odoo sends them so; a proxy
    would compress all pages alike)."""
    html = fetch(base_url + path)
    sizes = {"html": len(html), "css": 0, "js": 0}
    for asset in sorted(set(ASSET.findall(html.decode()))):
        sizes[asset.rsplit(".", 1)[1]] += len(fetch(base_url + asset))
    sizes["total"] = sum(sizes.values())
    return sizes


def measure(args, database, targets, log_file):
    """Start Odoo on `database` and measure each of `targets` (name, path): the bytes
    of a first visit, then req/s, p50 and p99 as the medians of interleaved rounds.
    Return the results by name, and the seconds of one round."""
    results = {}
    with running_odoo(
        args.odoo_path,
        args.addons_path,
        database,
        args.port,
        workers=2,
        log_file=log_file,
    ) as base_url:
        for name, path in targets:
            fetch(base_url + path)  # Templates compiled and assets generated, once.
            wrk(base_url + path, args.warmup, args.connections)
            results[name] = {"bytes": first_visit_bytes(base_url, path)}
        rounds = {name: [] for name, _path in targets}
        seconds = max(args.duration // args.rounds, 1)
        for round_index in range(args.rounds):
            # Each round starts one page further, so that no page always follows the
            # same one.
            shift = round_index % len(targets)
            for name, path in targets[shift:] + targets[:shift]:
                rounds[name].append(wrk(base_url + path, seconds, args.connections))
        for name, measures in rounds.items():
            for key in ("rps", "p50", "p99"):
                results[name][key] = statistics.median(m[key] for m in measures)
            results[name]["spread"] = (
                min(m["rps"] for m in measures),
                max(m["rps"] for m in measures),
            )
    return results, seconds


def print_results(args, seed, results, seconds, label):
    print(
        f"\n{seed['journal_items']:,} journal items in the database ({label}); wrk -t1"
        f" -c{args.connections}; per page {args.warmup} s of warm-up, then"
        f" {args.rounds} interleaved rounds of {seconds} s (medians); Odoo --workers=2"
        " on 127.0.0.1\n"
    )
    print(
        f"{'page':<25}{'req/s':>8}{'(rounds)':>14}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'HTML':>9}{'CSS':>10}{'JS':>10}{'total B':>10}"
    )
    for name, result in results.items():
        b = result["bytes"]
        print(
            f"{name:<25}{result['rps']:>8.1f}"
            f"{'{:.0f}-{:.0f}'.format(*result['spread']):>14}"
            f"{result['p50']:>9.1f}{result['p99']:>9.1f}"
            f"{b['html']:>9,}{b['css']:>10,}{b['js']:>10,}{b['total']:>10,}"
        )


def p50_check(seed, results, label):
    """The check of the target on `seed`'s database: p50 of the page of its biggest
    customer within 15% of its smallest's."""
    small, big = seed["pages"][0], seed["pages"][-1]
    p50_small, p50_big = results[small["name"]]["p50"], results[big["name"]]["p50"]
    return (
        f"p50 at {big['lines']:,} lines within 15% of p50 at {small['lines']:,}"
        f" ({label}: {p50_big / p50_small:.2f}x)",
        p50_big <= 1.15 * p50_small,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--odoo-path", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--seed", required=True, help="JSON written by tools/bench/seed.py bench"
    )
    parser.add_argument(
        "--orm-database",
        help="a second database, of which only the /pay pages are measured",
    )
    parser.add_argument(
        "--orm-seed",
        help="JSON written by tools/bench/seed.py bench-orm on --orm-database",
    )
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument(
        "--duration", type=int, default=30, help="seconds measured per page"
    )
    parser.add_argument(
        "--rounds", type=int, default=6, help="rounds the duration is split into"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="seconds discarded per page"
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--log-file", default="bench-odoo.log")
    args = parser.parse_args()
    if bool(args.orm_database) != bool(args.orm_seed):
        parser.error("--orm-database and --orm-seed go together")
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)

    targets = [(page["name"], page["path"]) for page in seed["pages"]]
    targets += [
        ("/web/login", seed["web_login"]),
        ("/payment/pay", seed["payment_pay"]),
    ]
    label = "SQL copies, VACUUM ANALYZE"
    results, seconds = measure(args, args.database, targets, args.log_file)
    print_results(args, seed, results, seconds, label)
    log_files = [args.log_file]
    p50_checks = [p50_check(seed, results, label)]
    if args.orm_database:
        with open(args.orm_seed) as seed_file:
            orm_seed = json.load(seed_file)
        orm_log_file = f"{args.log_file.removesuffix('.log')}-orm.log"
        orm_label = "through the ORM, never analyzed"
        orm_results, seconds = measure(
            args,
            args.orm_database,
            [(page["name"], page["path"]) for page in orm_seed["pages"]],
            orm_log_file,
        )
        print_results(args, orm_seed, orm_results, seconds, orm_label)
        log_files.append(orm_log_file)
        p50_checks.append(p50_check(orm_seed, orm_results, orm_label))

    pay = [results[page["name"]] for page in seed["pages"]]
    login, payment_pay = results["/web/login"], results["/payment/pay"]
    slowest = min(result["rps"] for result in pay)
    heaviest = max(result["bytes"]["total"] for result in pay)
    checks = [
        (
            "/pay throughput >= 1.0x /web/login"
            f" (slowest /pay {slowest / login['rps']:.2f}x)",
            slowest >= login["rps"],
        ),
        (
            "/pay throughput >= 1.5x /payment/pay"
            f" (slowest /pay {slowest / payment_pay['rps']:.2f}x)",
            slowest >= 1.5 * payment_pay["rps"],
        ),
        *p50_checks,
        (
            f"first visit bytes <= /payment/pay ({heaviest:,} vs "
            f"{payment_pay['bytes']['total']:,})",
            heaviest <= payment_pay["bytes"]["total"],
        ),
    ]
    checks += [
        (
            f"no traceback in the Odoo log ({log_file})",
            check_log_for_tracebacks(log_file),
        )
        for log_file in log_files
    ]
    print()
    for check_label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {check_label}")
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
