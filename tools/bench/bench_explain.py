# Run with `PAYLINK_SEED=seed.json click-odoo -d DB tools/bench/bench_explain.py`
# on a `make bench` database (seeded by seed.py bench or bench-orm): the
# plans of the page's queries on journal items, the balance in each currency and the
# last lines (which the page, its refresh and the payment route all run), and the
# balance the reminders read, for each customer of the seed. Prints each plan (EXPLAIN
# ANALYZE) and fails when one reads account_move or account_move_line sequentially, or
# sorts: a sort of the last lines is a sort of all the customer's lines (or of a whole
# invoice), whose cost grows with the history. The balances by currency may sort to
# group (a planner without statistics does): what they sort is the open items their
# index gives, which they add up anyway.
import json
import os
import re
import sys

from odoo.tools import SQL

env = env  # noqa: F821  (given by click-odoo)

SEQ_SCAN = re.compile(r"Seq Scan on (account_move|account_move_line)\b")
# A Sort node, incremental or not, at the top of the plan or under another node (not
# its "Sort Key:" and "Sort Method:" lines).
SORT = re.compile(r"^\s*(?:->\s+)?((?:Incremental )?Sort)\s+\(", re.MULTILINE)

with open(os.environ["PAYLINK_SEED"]) as seed_file:
    seed = json.load(seed_file)
(items,) = env.execute_query(SQL("SELECT count(*) FROM account_move_line"))[0]
print(f"{items:,} journal items in the database.")
# What the planner knows of the two tables: a table never analyzed has reltuples -1 and
# no column statistics.
for table, tuples, analyzed in env.execute_query(
    SQL(
        """
        SELECT c.relname, c.reltuples,
               GREATEST(s.last_analyze, s.last_autoanalyze) IS NOT NULL
          FROM pg_class c
          JOIN pg_stat_user_tables s ON s.relid = c.oid
         WHERE c.relname IN ('account_move', 'account_move_line')
      ORDER BY c.relname
        """
    )
):
    print(
        f"Planner statistics of {table}: "
        + (f"analyzed, {int(tuples):,} rows" if analyzed else "never analyzed")
        + (f" (reltuples {int(tuples):,})" if not analyzed else "")
    )

failures = []
for page in seed["pages"]:
    link = env["paylink.link"].search([("partner_id", "=", page["partner_id"])])
    link.ensure_one()
    env.flush_all()
    print(f"\n===== {page['name']}: {page['items']:,} journal items")
    ledger = env["paylink.ledger"]
    for label, query, may_sort in (
        (
            "balances",
            ledger._get_currency_balances_sql(link.partner_id, link.company_id),
            True,
        ),
        ("balance", ledger._get_balance_sql(link.partner_id, link.company_id), False),
        (
            "last lines",
            ledger._get_recent_lines_sql(link.partner_id, link.company_id),
            False,
        ),
    ):
        plan = "\n".join(
            row
            for (row,) in env.execute_query(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
        )
        print(f"\n--- {label}: {' '.join(query.code.split())[:150]}...\n{plan}")
        for node in [f"Seq Scan on {table}" for table in SEQ_SCAN.findall(plan)] + (
            [] if may_sort else SORT.findall(plan)
        ):
            failures.append(f"{page['name']}, {label}: {node}")
env.cr.rollback()

print()
for failure in failures:
    print(f"FAIL  {failure}")
print(
    f"{'FAIL' if failures else 'PASS'}  no sequential scan of account_move or"
    f" account_move_line and no sort (but to group the open items by currency) in the"
    f" plans of {len(seed['pages'])} customers"
)
sys.exit(1 if failures else 0)
