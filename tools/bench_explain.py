# Run with `odoo-bin shell -d DB < tools/bench_explain.py` on the `make bench` database:
# the plans of the page's queries on journal items, for the customer with the longest
# history. Prints each plan (EXPLAIN ANALYZE) and fails when one scans account_move_line
# sequentially.
import logging
import re
import sys

from odoo.tools import SQL

env = env  # noqa: F821  (given by odoo-bin shell)


class QueryLog(logging.Handler):
    def __init__(self):
        super().__init__()
        self.queries = []

    def emit(self, record):
        self.queries.append(
            record.args[1]
        )  # "[%.3f ms] query: %s": the query, with parameters.


(items,) = env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0]
print(f"{items:,} journal items in the database.")
links = env["paylink.link"].search(
    [("partner_id.name", "=like", "Bench Customer %")], order="id"
)
seq_scans = 0
for link in links:
    link = env["paylink.link"].browse(
        link.id
    )  # Alone, as on the page: no batch prefetch.
    customer_items = env["account.move.line"].search_count(
        [("partner_id", "=", link.partner_id.id)]
    )
    env.invalidate_all()
    log, sql_logger = QueryLog(), logging.getLogger("odoo.sql_db")
    sql_logger.addHandler(log)
    sql_logger.setLevel(logging.DEBUG)
    try:
        # What the page, its refresh and the payment route compute.
        link._get_page_values()
    finally:
        sql_logger.removeHandler(log)
        sql_logger.setLevel(logging.WARNING)
    print(f"\n===== {link.partner_id.name}: {customer_items:,} journal items")
    for query in log.queries:
        if "account_move_line" not in query:
            continue
        plan = "\n".join(
            row[0]
            for row in env.execute_query(
                SQL(f"EXPLAIN (ANALYZE, BUFFERS) {query}".replace("%", "%%"))
            )
        )
        print(f"\n--- {' '.join(query.split())[:160]}...\n{plan}")
        seq_scans += len(re.findall(r"Seq Scan on account_move_line", plan))
print(
    f"\nSequential scans of account_move_line: {seq_scans}"
    f"  {'FAIL' if seq_scans else 'PASS'}"
)
env.cr.rollback()
sys.exit(1 if seq_scans else 0)
