"""`make bench`, in-process part: the milliseconds Odoo itself spends on a request.

Calls Odoo's WSGI application through werkzeug's test client, with no HTTP server, load
tool or second process on the CPUs: what is left is Odoo's own work for each page. Three
interleaved rounds of REQUESTS requests per page; the median round is printed. Besides
the pages of `bench.py`, it times the payment page's "too many attempts" answer to a
blocked client: a public route that authenticates nothing but looks a token up, with two
small queries and Odoo's frontend layout around two lines of text. It is the least a
page of this kind costs.

Run with the Odoo virtualenv's Python, on the `make bench` database.
"""

import argparse
import json
import statistics
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--seed", required=True, help="JSON written by tools/bench/seed.py bench"
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with open(args.seed) as seed_file:
        seed = json.load(seed_file)

    import odoo.http  # 19.0's `import odoo` no longer imports it.
    from odoo.tools import config

    config.parse_config(
        [
            f"--addons-path={args.addons_path}",
            f"--database={args.database}",
            f"--db-filter=^{args.database}$",
            "--log-level=critical",
            "--no-database-list",
        ]
    )
    from werkzeug.test import Client

    client = Client(odoo.http.root)
    blocked_ip, bad_link = "10.255.255.1", "/pay/" + "A" * 43
    pages = [(page["name"], page["path"], "127.0.0.1", 200) for page in seed["pages"]]
    pages += [
        ("/pay, too many attempts", bad_link, blocked_ip, 429),
        ("/web/login", seed["web_login"], "127.0.0.1", 200),
        ("/payment/pay", seed["payment_pay"], "127.0.0.1", 200),
    ]

    def get(path, ip_address, status):
        response = client.get(path, environ_base={"REMOTE_ADDR": ip_address})
        if response.status_code != status:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")

    def block_client():
        # Fail lookups until the client is blocked. The block ends once its failures
        # are older than the rate limit's window, so each round blocks it again.
        for _attempt in range(1000):
            response = client.get(bad_link, environ_base={"REMOTE_ADDR": blocked_ip})
            if response.status_code == 429:
                return
        raise RuntimeError("the client never got blocked")

    timings = {name: [] for name, *_rest in pages}
    for _round in range(args.rounds):
        for name, path, ip_address, status in pages:
            if ip_address == blocked_ip:
                block_client()
            for _warmup in range(20):
                get(path, ip_address, status)
            start = time.perf_counter()
            for _request in range(args.requests):
                get(path, ip_address, status)
            timings[name].append((time.perf_counter() - start) / args.requests * 1000)

    print(
        f"\nIn-process (werkzeug test client, no HTTP server): median of {args.rounds}"
        f" interleaved rounds of {args.requests} requests\n"
    )
    login = statistics.median(timings["/web/login"])
    print(f"{'page':<26}{'ms/request':>11}{'x /web/login':>14}")
    for name, values in timings.items():
        median = statistics.median(values)
        print(f"{name:<26}{median:>11.2f}{median / login:>14.2f}")


if __name__ == "__main__":
    main()
