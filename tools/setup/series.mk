# What set-up, the demo and the tests do differently on each Odoo series: one block per
# series, included by the Makefile. Adding 20.0 is a block here (and a tree at its path);
# dropping 18.0 is deleting its block and its word in the Makefile's SUPPORTED_SERIES.
# What differs in the addon's own code lives in the addon, not here.
#
# Each block gives, for the series' major number N:
#   ODOO_PATH_N   the default Odoo source tree (the directory holding odoo-bin), which
#                 tools/setup/ensure_odoo.sh checks; override with ODOO_PATH_N= or, for one
#                 series, ODOO_PATH=.
#   GREENLET_N    the greenlet that Odoo's requirements.txt pins on Python 3.11, checked
#                 once the virtualenv is built (tools/requirements/constraints.txt keeps it).
#   DEMO_N        the odoo-bin flags of a new database with demo data,
#   NO_DEMO_N     and without.
#   EDITABLE_N    pip's options to install the tree (`pip install -e`); they count in the
#                 virtualenv's digest, so that changing them rebuilds it.
#   POT_EXPORT_N  the command that exports paylink_portal's terms from the test database
#                 to the file $(1).
#   PYTEST_TEST_MODE_N  pytest-odoo's options that start Odoo in test mode, for the tests
#                 of the directory $(1).
#
# Both series pin the same greenlet 2.0.2, gevent 22.10.2 and cbor2 5.4.2 (among others)
# on Python 3.11, so tools/requirements/constraints.txt (greenlet, zope.interface
# and zope.event) and build-constraints.txt (setuptools<70 for cbor2's sdist) serve both,
# unchanged; a series that pins otherwise gets files of its own, named here.

# 18.0: the nightly source tree keeps every addon in odoo/addons (a clone of the 18.0
# branch keeps them in addons/; the Makefile's ODOO_ADDONS finds either). Demo data is
# loaded by default; --without-demo takes the modules to leave it out of, or `all`
# (odoo/tools/config.py: `--without-demo`, `options['demo']`).
ODOO_PATH_18 ?= /opt/odoo-18.0
GREENLET_18 := 2.0.2
DEMO_18 :=
NO_DEMO_18 := --without-demo=all
EDITABLE_18 :=
POT_EXPORT_18 = $(ODOO_BIN) $(ODOO_ARGS) -d $(TEST_DB) --modules=paylink_portal \
  --stop-after-init --log-level=warn --i18n-export=$(1)
# pytest-odoo imports Odoo's test framework once it has read Odoo's options, and its
# fixtures set test mode (test_enable) only around each test module: Odoo 18.0 logs that
# import as an ERROR with a stack unless test_enable or test_file is set (odoo/tests/
# common.py). test_enable would also run the at_install tests of every installed module
# when the registry loads (odoo/modules/loading.py); test_file, the tests' directory, only
# means "in test mode" to 18.0 (only `odoo-bin` runs it).
PYTEST_TEST_MODE_18 = --odoo-extra=test-file=$(REPO)/$(1)

# 19.0: addons in addons/, base and the test modules in odoo/addons. A new database gets
# no demo data unless --with-demo; --without-demo is a boolean stored inverted in
# `with_demo` (odoo/tools/config.py: `--with-demo`, `_check_without_demo`), and `all`
# is only accepted with a warning ("since 19.0, invalid boolean value").
ODOO_PATH_19 ?= /opt/odoo-19.0
GREENLET_19 := 2.0.2
DEMO_19 := --with-demo
NO_DEMO_19 := --without-demo
# `odoo` is a namespace package in 19.0 (no odoo/__init__.py): setuptools' default
# editable finder leaves a path hook's name in odoo.addons.__path__, which Odoo reads as an
# addons directory ("addons path is not a directory: __editable__.odoo-19.0.finder...").
# The compat mode puts the tree itself on sys.path.
EDITABLE_19 := --config-settings editable_mode=compat
# The server's --i18n-export and --modules are gone: the `i18n export` command (odoo/cli/
# i18n.py), which takes no option but --addons-path before it and logs at INFO.
POT_EXPORT_19 = $(ODOO_BIN) $(ODOO_ARGS) i18n export -d $(TEST_DB) -o $(1) paylink_portal \
  2>&1 | { grep -v ' INFO ' || true; }
# 19.0 logs the test framework's import as an ERROR only under `odoo-bin server`, and turns
# a test file into test tags: nothing to pass.
PYTEST_TEST_MODE_19 =

# Where a missing tree comes from (tools/setup/ensure_odoo.sh prints it): no package
# registry has Odoo, and nothing is cloned here.
ODOO_SOURCE_18 := a checkout of the 18.0 branch of Odoo's community repository, or Odoo's 18.0 community nightly source
ODOO_SOURCE_19 := a checkout of the 19.0 branch of the community repository zwgshr/odoo-19-zhcn-slim (synced from Odoo's 19.0; no Enterprise code)
