# paylink_portal: set-up, demo and tests against a real Odoo (18.0, 19.0) and PostgreSQL.
#
#   make demo   set everything up, build a demo database, serve it on http://localhost:8069
#   make test   set everything up, build fresh test databases, run the whole test suite on
#               each supported series, one after the other
#   make lint   run the linters and formatters of .pre-commit-config.yaml on every file
#   make wheel  build the addons' wheels into dist/, one per series, and check them
#   make bench  seed a 1,000,000-item database and measure the page against Odoo's own pages
#   make bench-phone  load the page in a throttled phone browser against Odoo's own pages
#   make replica  serve the page from a PostgreSQL hot standby of its own and show it
#
# Everything a fresh machine lacks is installed here: Debian packages, a virtualenv per
# series with Odoo's pinned requirements, the test tools. Odoo itself is not vendored: each
# series' tree is looked up at ODOO_PATH_<major> (see tools/setup/series.mk and
# tools/setup/ensure_odoo.sh).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# --- Odoo series --------------------------------------------------------------
# The series the addon supports. `make test`, `make setup` and `make wheel` work on each,
# one after the other; every other command on the newest (the last word). Pick others with
# SERIES=: `make test SERIES=19.0`, `make demo SERIES=18.0`.
SUPPORTED_SERIES := 18.0 19.0
SERIES ?= $(SUPPORTED_SERIES)
KNOWN_SERIES := 18.0 19.0
$(foreach s,$(SERIES),$(if $(filter $(s),$(KNOWN_SERIES)),,$(error Unknown Odoo series '$(s)': SERIES takes $(KNOWN_SERIES))))
include tools/setup/series.mk

# The series of this make: the last of SERIES (the only one in the per-series runs that
# the multi-series targets start), and what follows from it. Database names end with the
# series' major number, so that both series' databases live side by side.
ONE_SERIES := $(lastword $(SERIES))
MAJOR := $(basename $(ONE_SERIES))
ODOO_PATH ?= $(ODOO_PATH_$(MAJOR))
VENV ?= $(HOME)/.cache/paylink_portal/venv-odoo$(MAJOR)
PYTHON ?= python3
DEMO_DB ?= paylink_demo_$(MAJOR)
TEST_DB ?= paylink_test_$(MAJOR)
TEST_WEBSITE_DB ?= paylink_test_website_$(MAJOR)
HTTP_PORT ?= 8069
LINT_VENV ?= $(HOME)/.cache/paylink_portal/venv-lint
PRE_COMMIT_HOME ?= $(HOME)/.cache/paylink_portal/pre-commit
WHEEL_VENV ?= $(HOME)/.cache/paylink_portal/venv-wheel
DIST ?= $(CURDIR)/dist

REPO := $(CURDIR)
VPY := $(VENV)/bin/python
ODOO_BIN = $(VPY) $(ODOO_PATH)/odoo-bin
WITH_DEMO = $(DEMO_$(MAJOR))
WITHOUT_DEMO = $(NO_DEMO_$(MAJOR))
# Odoo's nightly source tree holds every addon in odoo/addons; a git checkout (18.0's
# branch, or the 19.0 tree) keeps them in addons/ and only base (and the test modules) in
# odoo/addons.
ODOO_ADDONS = $(if $(wildcard $(ODOO_PATH)/odoo/addons/account/__manifest__.py),$(ODOO_PATH)/odoo/addons,$(ODOO_PATH)/addons,$(ODOO_PATH)/odoo/addons)
ADDONS_PATH = $(ODOO_ADDONS),$(REPO)
ODOO_ARGS = --addons-path=$(ADDONS_PATH)
# Scripts run against a database (tools/db, the benchmarks' seeds and plans) run with
# click-odoo, the runner OCA's tooling builds on, rather than piped into `odoo-bin shell`
# or a runner of our own: the script is named by its path (its tracebacks show its file
# and lines, and it can import a module beside it), gets `env` (superuser), and is
# committed when it ends, rolled back with a non-zero exit when it fails.
CLICK_ODOO = $(VENV)/bin/click-odoo --config=$(REPO)/tools/setup/odoo.conf $(ODOO_ARGS) --log-level=warn
# What every database build passes: 19.0 warns at each start without an explicit
# --http-interface (its default changes in 20.0), even when no server starts.
INSTALL_ARGS = --http-interface=127.0.0.1
# wkhtmltopdf renders Odoo's PDF reports (the payment receipt); gettext merges the .po files.
APT_PACKAGES := libpq-dev libldap2-dev libsasl2-dev chromium postgresql-client wkhtmltopdf gettext
ADDONS := paylink_portal paylink_portal_website

.PHONY: help setup setup-series system-deps odoo venv node-deps check-db demo demo-db test test-series test-db pot pot-check lint wheel bench bench-phone loadtest replica readme screenshots clean-db

help:
	@echo "Odoo series: SERIES=\"$(SERIES)\" (supported: $(SUPPORTED_SERIES); pick with SERIES=18.0 or SERIES=19.0)"
	@echo "make demo   - set up and run Odoo $(ONE_SERIES) with paylink_portal and demo customers on http://localhost:$(HTTP_PORT)"
	@echo "make test   - set up and run the addon's test suite on fresh databases, on each series of SERIES"
	@echo "make setup  - check each series' Odoo tree, build its virtualenv, install the system packages"
	@echo "make lint   - run the linters and formatters (pre-commit) on every file"
	@echo "make wheel  - build the addons' wheels into dist/, one per series of SERIES, and check them"
	@echo "make pot    - regenerate paylink_portal's .pot from the code and merge it into the .po files"
	@echo "make bench  - the payment page against /web/login and /payment/pay on a 2-worker Odoo"
	@echo "make bench-phone - the payment page, /payment/pay and /my/invoices in a throttled phone browser"
	@echo "make loadtest - a bounded mixed load on a 2-worker Odoo, with correctness checks"
	@echo "make replica - the page served from a PostgreSQL hot standby (db_replica_host), shown by its statistics"

# Every series of SERIES: its Odoo tree and its virtualenv.
setup: system-deps node-deps check-db
	@for s in $(SERIES); do $(MAKE) --no-print-directory odoo venv SERIES=$$s; done

# The one series the other commands use (ONE_SERIES).
setup-series: system-deps odoo venv node-deps check-db

# Debian packages: headers to build psycopg2 and python-ldap, Chromium for the tours, and
# Node.js with npm for axe-core (any npm already on the PATH will do).
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

odoo:
	@ODOO_PATH=$(ODOO_PATH) SERIES=$(ONE_SERIES) ODOO_SOURCE="$(ODOO_SOURCE_$(MAJOR))" tools/setup/ensure_odoo.sh

# The series' virtualenv, on Python 3.11 (the pins of tools/requirements/ are those of both
# series' requirements.txt for 3.11). It is (re)built when the requirement lists differ from
# those it was built from: compared by content, since a fresh clone gives every file a new
# modification time. The checks: the greenlet Odoo pins (tools/setup/series.mk), and the one
# Odoo's gevent process (--workers) makes at start, gevent's requirements resolved by
# pkg_resources (see tools/requirements/constraints.txt). Installing the tree itself
# prints setuptools' warnings for each of its data directories (180,000 lines for 18.0's
# nightly tree): they go to a log in the virtualenv, shown only when the install fails.
VENV_INPUTS = $(ODOO_PATH)/requirements.txt tools/requirements/test.txt tools/requirements/constraints.txt tools/requirements/build-constraints.txt
venv:
	@digest=$$({ cat $(VENV_INPUTS); printf %s "$(EDITABLE_$(MAJOR))"; } | sha256sum | cut -c1-16); \
	if [ "$$(cat $(VENV)/.paylink-requirements 2>/dev/null)" = "$$digest" ] && [ -x $(VPY) ]; then \
	  exit 0; \
	fi; \
	echo "Building the virtualenv of Odoo $(ONE_SERIES) at $(VENV)"; \
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
	  || { echo "ERROR: $(PYTHON) is not Python 3.11, which the pins of Odoo $(ONE_SERIES) and tools/requirements/ are for: PYTHON=python3.11" >&2; exit 1; }; \
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV); \
	$(VPY) -m pip install -q --upgrade 'pip>=25.3'; \
	PIP_BUILD_CONSTRAINT=$(REPO)/tools/requirements/build-constraints.txt \
	  $(VPY) -m pip install -q -r $(ODOO_PATH)/requirements.txt -c tools/requirements/constraints.txt; \
	$(VPY) -m pip install -q --no-deps $(EDITABLE_$(MAJOR)) -e $(ODOO_PATH) > $(VENV)/pip-odoo.log 2>&1 \
	  || { tail -n 40 $(VENV)/pip-odoo.log >&2; echo "ERROR: pip could not install Odoo from $(ODOO_PATH): see $(VENV)/pip-odoo.log" >&2; exit 1; }; \
	$(VPY) -m pip install -q -r tools/requirements/test.txt -c tools/requirements/constraints.txt; \
	$(VPY) -c "import greenlet, odoo.release; assert greenlet.__version__ == '$(GREENLET_$(MAJOR))', greenlet.__version__; print('Odoo', odoo.release.version)"; \
	$(VPY) -W ignore::DeprecationWarning -c "import pkg_resources; pkg_resources.require('gevent')"; \
	echo "$$digest" > $(VENV)/.paylink-requirements

# axe-core, the accessibility checker the browser tests inject into the payment page, pinned
# by tools/a11y/package-lock.json. `npm ci` runs only when node_modules is missing or was
# installed from other package files (compared by content, as for the virtualenv).
A11Y_DIR := tools/a11y
A11Y_INPUTS = $(A11Y_DIR)/package.json $(A11Y_DIR)/package-lock.json
AXE_JS = $(REPO)/$(A11Y_DIR)/node_modules/axe-core/axe.min.js
node-deps:
	@digest=$$(cat $(A11Y_INPUTS) | sha256sum | cut -c1-16); \
	if [ "$$(cat $(A11Y_DIR)/node_modules/.paylink-lock 2>/dev/null)" = "$$digest" ] && [ -f $(AXE_JS) ]; then \
	  exit 0; \
	fi; \
	echo "Installing axe-core in $(A11Y_DIR)/node_modules"; \
	(cd $(A11Y_DIR) && npm ci --no-audit --no-fund --loglevel=error); \
	test -f $(AXE_JS); \
	echo "$$digest" > $(A11Y_DIR)/node_modules/.paylink-lock

check-db:
	@pg_isready -q || { echo "ERROR: PostgreSQL does not answer on the libpq defaults (socket or PGHOST/PGPORT). Start it, or export PGHOST/PGPORT/PGUSER." >&2; exit 1; }
	@psql -XtAc 'select 1' postgres >/dev/null || { echo "ERROR: PostgreSQL answers but refuses role '$${PGUSER:-$$USER}'. Create it with CREATEDB, or export PGUSER." >&2; exit 1; }

# --- demo -------------------------------------------------------------------

# Warns when the wkhtmltopdf on the PATH is not wkhtmltopdf's own build against its patched
# Qt, the only one that prints a PDF's header and footer (README.md, "wkhtmltopdf"). That build
# says "(with patched qt)" in its --version: the words Odoo 19.0 looks for too.
WKHTMLTOPDF_WARNING = version=$$(wkhtmltopdf --version 2>/dev/null || true); \
  case "$$version" in \
    "") echo "WARNING: no wkhtmltopdf on the PATH: Odoo prints no PDF." ;; \
    *"(with patched qt)"*) ;; \
    *) echo "WARNING: $$version is not wkhtmltopdf's build with patched Qt (its --version does not say '(with patched qt)')."; \
       echo "  Its PDFs have no header or footer: Odoo's invoice PDF prints without the company's logo and address"; \
       echo "  and without page numbers, and printing several records into one PDF fails. The statement and the"; \
       echo "  invoice breakdown name the company in their own body on either build. The patched build adds the"; \
       echo "  headers and footers: https://github.com/wkhtmltopdf/packaging/releases (see README.md)."; \
       echo ;; \
  esac

# One series: the newest of SERIES (ONE_SERIES).
demo: setup-series demo-db
	@PAYLINK_HTTP_PORT=$(HTTP_PORT) $(CLICK_ODOO) -d $(DEMO_DB) tools/db/print_demo_links.py
	@$(WKHTMLTOPDF_WARNING)
	@echo "Serving Odoo $(ONE_SERIES), database $(DEMO_DB)"
	$(ODOO_BIN) $(ODOO_ARGS) -d $(DEMO_DB) --db-filter='^$(DEMO_DB)$$' --http-interface=127.0.0.1 --http-port=$(HTTP_PORT) --no-database-list

demo-db:
	dropdb --if-exists $(DEMO_DB)
	$(ODOO_BIN) $(ODOO_ARGS) -d $(DEMO_DB) -i paylink_portal,payment_demo $(WITH_DEMO) --stop-after-init --log-level=warn $(INSTALL_ARGS)
	$(CLICK_ODOO) -d $(DEMO_DB) tools/db/quiet_database.py
	$(CLICK_ODOO) -d $(DEMO_DB) tools/db/enable_demo_provider.py

# --- tests ------------------------------------------------------------------

# Tests run post-install on a database where the addon is installed, as pytest-odoo expects;
# payment_demo is Odoo's simulated provider, whose form the browser tests pay through (the
# other payment tests use Odoo's dummy provider of its payment tests). A second database
# has `website` (and so paylink_portal_website) installed: the page must work with and without.
# PAYLINK_AXE_JS tells the accessibility tests where axe-core is (they skip without it).
#
# `make test` runs the wheels' build and check and the READMEs' check once, then the rest
# on each series of SERIES in a make of its own (test-series), one after the other, even
# when one fails; then it prints each series' pytest summaries and fails if any series did.
PYTEST_ODOO = PAYLINK_AXE_JS=$(AXE_JS) $(VPY) -m pytest --odoo-config=$(REPO)/tools/setup/odoo.conf \
  --odoo-addons-path=$(ADDONS_PATH) --odoo-http --odoo-log-level=warn -p no:cacheprovider
test: wheel
	for addon in $(ADDONS); do $(PYTHON) tools/release/gen_readme.py $$addon --check; done
	@logs=$$(mktemp -d); trap 'rm -rf $$logs' EXIT; failed=""; \
	for s in $(SERIES); do \
	  echo "=== make test on Odoo $$s ==="; \
	  $(MAKE) --no-print-directory test-series SERIES=$$s 2>&1 | tee $$logs/$$s.log || failed="$$failed $$s"; \
	done; \
	echo; echo "=== Summary of make test, per Odoo series ==="; \
	for s in $(SERIES); do \
	  summaries=$$(grep -E '^=+ .*( in [0-9.]+s| no tests ran).* =+$$' $$logs/$$s.log || true); \
	  case " $$failed " in *" $$s "*) verdict=FAILED;; *) verdict=passed;; esac; \
	  echo "Odoo $$s: $$verdict"; \
	  if [ -n "$$summaries" ]; then echo "$$summaries" | sed 's/^/  /'; else echo "  (no test ran: it failed before the tests, see its log above)"; fi; \
	done; \
	[ -z "$$failed" ] || { echo "make test failed on:$$failed" >&2; exit 1; }

# One series (SERIES=19.0): its set-up, fresh databases, the .pot's check, both suites.
test-series: setup-series test-db pot-check
	cd $(REPO) && $(PYTEST_ODOO) $(call PYTEST_TEST_MODE_$(MAJOR),paylink_portal/tests) \
	  --odoo-database=$(TEST_DB) paylink_portal/tests
	cd $(REPO) && $(PYTEST_ODOO) $(call PYTEST_TEST_MODE_$(MAJOR),paylink_portal_website/tests) \
	  --odoo-database=$(TEST_WEBSITE_DB) paylink_portal_website/tests

# Both databases are built at once: each build keeps one core busy. payment_stripe, without
# credentials, for a provider whose payment form loads its own SDK (tests/test_pay_step.py).
test-db:
	dropdb --if-exists $(TEST_DB)
	dropdb --if-exists $(TEST_WEBSITE_DB)
	$(ODOO_BIN) $(ODOO_ARGS) -d $(TEST_DB) -i paylink_portal,payment_demo,payment_stripe \
	  $(WITHOUT_DEMO) --stop-after-init --log-level=warn $(INSTALL_ARGS) & main=$$!; \
	$(ODOO_BIN) $(ODOO_ARGS) -d $(TEST_WEBSITE_DB) -i paylink_portal_website \
	  $(WITHOUT_DEMO) --stop-after-init --log-level=warn $(INSTALL_ARGS) & web=$$!; \
	wait $$main && wait $$web
	$(CLICK_ODOO) -d $(TEST_DB) tools/db/quiet_database.py
	$(CLICK_ODOO) -d $(TEST_WEBSITE_DB) tools/db/quiet_database.py

# --- translations -------------------------------------------------------------

# The terms of paylink_portal's code and templates, exported by Odoo itself from the test
# database (which `make test-db` builds from the current code), then merged into each .po
# file; a new term is left untranslated there until someone translates it, and a term gone
# from the code is dropped.
POT := paylink_portal/i18n/paylink_portal.pot
POT_EXPORT = $(call POT_EXPORT_$(MAJOR),$(1))
pot: setup-series test-db
	$(call POT_EXPORT,$(REPO)/$(POT))
	for po in paylink_portal/i18n/*.po; do \
	  msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-wrap $$po $(POT); \
	  msgattrib --no-obsolete --no-wrap --output-file=$$po $$po; \
	done

# Fails when a term of the code or templates is missing from the .pot (or the .pot holds
# one that is gone): every string the customer sees must reach the translators. One .pot
# serves every series, so the comparison leaves out what differs between them with the
# same terms: the header's dates and Odoo version (`Odoo Server 18.0-...`) and the
# references (`#:` lines; 19.0 lists one more model for `id` and `display_name`).
pot-check:
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	$(call POT_EXPORT,$$tmp/paylink_portal.pot); \
	strip_dates() { grep -v -e '^"POT-Creation-Date:' -e '^"PO-Revision-Date:' -e '^"Project-Id-Version:' -e '^#:' "$$1"; }; \
	diff -u <(strip_dates $(POT)) <(strip_dates $$tmp/paylink_portal.pot) \
	  || { echo "ERROR: $(POT) is out of date: run 'make pot', translate the new terms and commit." >&2; exit 1; }

# --- lint and packaging -------------------------------------------------------

# pre-commit, pinned in its own virtualenv, with the hooks of .pre-commit-config.yaml (each
# pinned there) installed under PRE_COMMIT_HOME. Fails when a check fails or a formatter
# changed a file, and shows the change.
lint: system-deps
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "ERROR: prettier needs Node.js and npm on the PATH (Debian: apt-get install nodejs npm)." >&2; exit 1; }
	@PYTHON=$(PYTHON) tools/setup/ensure_venv.sh $(LINT_VENV) tools/requirements/lint.txt
	PRE_COMMIT_HOME=$(PRE_COMMIT_HOME) $(LINT_VENV)/bin/pre-commit run --all-files --show-diff-on-failure

# One wheel per addon and series of SERIES, built by whool (OCA's build backend, pinned in
# its own virtualenv) from the files git tracks, then checked: name, version, files and
# requirements (tools/release/build_wheels.py says how one source gives each series').
WHEEL_SERIES = $(foreach s,$(SERIES),--series $(s))
wheel:
	@PYTHON=$(PYTHON) tools/setup/ensure_venv.sh $(WHEEL_VENV) tools/requirements/wheel.txt
	rm -rf $(DIST)
	$(WHEEL_VENV)/bin/python tools/release/build_wheels.py $(DIST) $(WHEEL_SERIES) $(ADDONS)
	$(WHEEL_VENV)/bin/python tools/release/check_wheels.py $(DIST) $(WHEEL_SERIES) $(ADDONS)

# The Apps-menu screenshots in paylink_portal/static/description, taken from a real Odoo with
# demo data in Odoo's headless Chromium (ChromeBrowser): a throw-away demo database (make
# demo-db), served on 127.0.0.1 only, dropped (with its filestore) whatever happens.
SHOTS_DB ?= paylink_shots_$(MAJOR)
SHOTS_PORT ?= 8075
screenshots: setup-series
	$(MAKE) --no-print-directory demo-db DEMO_DB=$(SHOTS_DB)
	status=0; \
	$(VPY) tools/release/screenshots.py --odoo-path=$(ODOO_PATH) --addons-path=$(ADDONS_PATH) \
	  --database=$(SHOTS_DB) --port=$(SHOTS_PORT) --log-file=$(REPO)/.screenshots-odoo.log \
	  || status=$$?; \
	$(ODOO_BIN) db $(ODOO_ARGS) drop $(SHOTS_DB) 2>&1 | { grep -v ' INFO ' || true; }; \
	exit $$status

# README.rst of each addon, assembled from its readme/ fragments.
readme:
	for addon in $(ADDONS); do $(PYTHON) tools/release/gen_readme.py $$addon; done

# --- benchmarks: a throw-away database ----------------------------------------

# $(call bench_db,DB[,KIND,SEED_JSON]): a fresh database for a benchmark: paylink_portal
# and payment_demo without demo data, quieted (no phone-home, no mail), Odoo's Demo
# provider enabled; with KIND, seeded by tools/bench/seed.py KIND, which writes what the
# benchmark reads to SEED_JSON.
define bench_db
dropdb --if-exists $(1)
$(ODOO_BIN) $(ODOO_ARGS) -d $(1) -i paylink_portal,payment_demo $(WITHOUT_DEMO) \
  --stop-after-init --log-level=warn $(INSTALL_ARGS)
$(CLICK_ODOO) -d $(1) tools/db/quiet_database.py
$(CLICK_ODOO) -d $(1) tools/db/enable_demo_provider.py
$(if $(2),$(CLICK_ODOO) -d $(1) tools/bench/seed.py $(2) $(3),@:)
endef

# The load tool (Locust) in a virtualenv of its own, pinned by tools/requirements/bench.txt:
# it wants a newer gevent than the one Odoo pins.
BENCH_VENV ?= $(HOME)/.cache/paylink_portal/venv-bench

# --- benchmark --------------------------------------------------------------

BENCH_DB ?= paylink_bench_$(MAJOR)
BENCH_ORM_DB ?= paylink_bench_orm_$(MAJOR)
BENCH_PORT ?= 8078
BENCH_SECONDS ?= 30

# Two fresh databases. The first: customers of 10, 1,000 and 100,000 lines among 1,000,000
# journal items (a minute or two to seed by SQL copies), then VACUUM ANALYZE: the planner's
# best case. The second, a copy of the first as installed: customers of 10 and 5,000 lines
# in invoices of 500 lines created through the ORM (two minutes or so), never analyzed: its
# worst case. Both seeds run at once. Then the plans of the page's queries on both (fails on
# a sequential scan of account_move or account_move_line, or a sort), Odoo's own time per
# request in-process, and wrk against /pay, /web/login and /payment/pay on a 2-worker Odoo,
# then against the second database's /pay pages; both p50 ratios are checked.
bench: setup-series
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(call bench_db,$(BENCH_DB))
	$(ODOO_BIN) db $(ODOO_ARGS) duplicate -f $(BENCH_DB) $(BENCH_ORM_DB) 2>&1 | { grep -v ' INFO ' || true; }
	$(CLICK_ODOO) -d $(BENCH_DB) tools/bench/seed.py bench $(REPO)/.bench-seed.json & sql=$$!; \
	$(CLICK_ODOO) -d $(BENCH_ORM_DB) tools/bench/seed.py bench-orm $(REPO)/.bench-orm-seed.json & orm=$$!; \
	wait $$sql && wait $$orm
	@# The first database as autovacuum keeps a live one: statistics of the real table sizes
	@# for the planner, and the visibility map that lets index-only scans skip the table.
	psql -q -d $(BENCH_DB) -c 'VACUUM (ANALYZE)'
	PAYLINK_SEED=$(REPO)/.bench-seed.json $(CLICK_ODOO) -d $(BENCH_DB) tools/bench/bench_explain.py
	PAYLINK_SEED=$(REPO)/.bench-orm-seed.json $(CLICK_ODOO) -d $(BENCH_ORM_DB) tools/bench/bench_explain.py
	$(VPY) tools/bench/bench_inprocess.py --addons-path=$(ADDONS_PATH) --database=$(BENCH_DB) \
	  --seed=$(REPO)/.bench-seed.json
	$(VPY) tools/bench/bench.py --odoo-path=$(ODOO_PATH) --addons-path=$(ADDONS_PATH) \
	  --database=$(BENCH_DB) --seed=$(REPO)/.bench-seed.json --port=$(BENCH_PORT) \
	  --orm-database=$(BENCH_ORM_DB) --orm-seed=$(REPO)/.bench-orm-seed.json \
	  --duration=$(BENCH_SECONDS) --log-file=$(REPO)/.bench-odoo.log

# --- phone benchmark --------------------------------------------------------

PHONE_DB ?= paylink_phone_$(MAJOR)
PHONE_PORT ?= 8077
PHONE_RUNS ?= 3
# Lighthouse, pinned by its package-lock.json (12.2.3: 13 needs Node.js 22), and where its
# HTML reports are kept (git-ignored).
LIGHTHOUSE_DIR := tools/bench/lighthouse
PHONE_REPORTS ?= $(REPO)/.bench-phone-reports
CHROME_PATH ?= /usr/bin/chromium

# A fresh database with one outstanding customer of 25 charges; then /pay, Odoo's
# /payment/pay for the same amount and the customer's /my/invoices page, each loaded cold
# PHONE_RUNS times by Lighthouse (mobile, devtools throttling), and the taps on /pay (a tip,
# then "Pay": at once and after 10 s) against /payment/pay's own form, in Odoo's
# ChromeBrowser under the same throttling (ten minutes or so).
bench-phone: setup-series
	$(call bench_db,$(PHONE_DB),phone,$(REPO)/.bench-phone-seed.json)
	@tools/setup/ensure_npm.sh $(LIGHTHOUSE_DIR)
	CHROME_PATH=$(CHROME_PATH) $(VPY) tools/bench/bench_phone.py --odoo-path=$(ODOO_PATH) \
	  --addons-path=$(ADDONS_PATH) --database=$(PHONE_DB) --seed=$(REPO)/.bench-phone-seed.json \
	  --port=$(PHONE_PORT) --runs=$(PHONE_RUNS) --lighthouse=$(REPO)/$(LIGHTHOUSE_DIR) \
	  --reports=$(PHONE_REPORTS) --log-file=$(REPO)/.bench-phone-odoo.log

# --- load test --------------------------------------------------------------

LOAD_DB ?= paylink_load_$(MAJOR)
LOAD_PORT ?= 8079
LOAD_SECONDS ?= 60
LOAD_REQUESTS ?= 6000
LOAD_USERS ?= 8

# A bounded mixed load (Locust, headless: LOAD_USERS users, at most LOAD_SECONDS and
# LOAD_REQUESTS) on a 2-worker Odoo on loopback, against a freshly seeded database; then
# Locust checks the answers and the books, and Odoo's log is checked for tracebacks.
loadtest: setup-series
	$(call bench_db,$(LOAD_DB),load,$(REPO)/.loadtest-seed.json)
	@PYTHON=$(PYTHON) tools/setup/ensure_venv.sh $(BENCH_VENV) tools/requirements/bench.txt
	$(VPY) tools/lib/odoo_server.py --odoo-path=$(ODOO_PATH) --addons-path=$(ADDONS_PATH) \
	  --database=$(LOAD_DB) --port=$(LOAD_PORT) --log-file=$(REPO)/.loadtest-odoo.log -- \
	  $(BENCH_VENV)/bin/locust -f tools/bench/loadtest.py --headless --only-summary \
	  --loglevel=WARNING --host=http://127.0.0.1:$(LOAD_PORT) --users=$(LOAD_USERS) \
	  --spawn-rate=$(LOAD_USERS) --run-time=$(LOAD_SECONDS)s --stop-timeout=60 \
	  --max-requests=$(LOAD_REQUESTS) --seed=$(REPO)/.loadtest-seed.json --odoo-database=$(LOAD_DB)

# --- read replica -------------------------------------------------------------

REPLICA_DB ?= paylink_replica_$(MAJOR)
REPLICA_PORT ?= 8076
REPLICA_PRIMARY_PORT ?= 55432
REPLICA_STANDBY_PORT ?= 55433
REPLICA_REQUESTS ?= 200
PG_BIN := /usr/lib/postgresql/15/bin

# A PostgreSQL 15 primary and streaming hot standby of the run's own (Debian's binaries,
# the postgres user, loopback ports, a temporary directory), a database built on the
# primary, a 2-worker Odoo with --db_replica_host on the standby, then page loads,
# refreshes, payment steps and bad tokens, and where their queries ran according to each
# server's statistics. Both servers are stopped and their directory removed at the end.
# When the binaries are missing, Debian's postgresql-15 brings them; it also creates and
# starts a cluster of its own (15/main) where the machine has none.
replica: setup-series
	@[ -x $(PG_BIN)/initdb ] || { echo "Installing Debian packages: postgresql-15"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql-15 >/dev/null; }
	$(VPY) tools/bench/replica.py --odoo-path=$(ODOO_PATH) --addons-path=$(ADDONS_PATH) \
	  --database=$(REPLICA_DB) --port=$(REPLICA_PORT) --primary-port=$(REPLICA_PRIMARY_PORT) \
	  --standby-port=$(REPLICA_STANDBY_PORT) --requests=$(REPLICA_REQUESTS) \
	  --no-demo-flag="$(WITHOUT_DEMO)" --log-file=$(REPO)/.replica-odoo.log

clean-db:
	dropdb --if-exists $(DEMO_DB)
	dropdb --if-exists $(TEST_DB)
	dropdb --if-exists $(TEST_WEBSITE_DB)
	dropdb --if-exists $(LOAD_DB)
