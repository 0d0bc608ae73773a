# Two commands do all of the set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo messages test lint system-deps notebook bench fuzz soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,notebook]'
	touch $@

install: $(STAMP)

# Loads the sample, then serves the API and the maps on loopback until Ctrl-C.
demo: $(STAMP)
	$(BIN)/pairnet demo
	$(BIN)/pairnet serve --demo

# The message catalog: extract every marked text (_(), N_(), ngettext()) into pairnet.pot and
# merge it into the zh_CN and en catalogs; then translate the new entries in the .po files
# (tests/cli/test_i18n.py lists what is missing). The .mo files are compiled at build time
# or on first use (pairnet/i18n/catalog.py).
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header \
		-o pairnet/locale/pairnet.pot pairnet api graph loaders queries
	$(BIN)/pybabel -q update -D pairnet -i pairnet/locale/pairnet.pot -d pairnet/locale --no-fuzzy-matching --ignore-obsolete

# Debian packages the tests and benchmarks need (Chromium, CJK fonts, docker-compose, wrk);
# installs only what is missing.
system-deps:
	scripts/system-deps

# ruff (lint + format) and mypy: the strict profile on graph, loaders, store and service, the
# default one on the rest (pyproject.toml, [tool.mypy]; see README, Layout).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The tests run on two workers (pytest-xdist; TEST_WORKERS=0 runs them in one process); those
# that use the shared Neo4j all run on one worker (tests/support/parallel.py). Neo4j listens on
# the port of PAIRNET_TEST_NEO4J, the address the tests use (bolt://127.0.0.1:7687 by default).
TEST_WORKERS ?= 2
NEO4J_PORT = $(or $(lastword $(subst :, ,$(PAIRNET_TEST_NEO4J))),7687)

test: lint system-deps
	scripts/neo4j start --port $(NEO4J_PORT)
	status=0; $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) || status=$$?; \
		scripts/neo4j stop --port $(NEO4J_PORT); exit $$status

# JupyterLab on the notebooks; it refuses to run as root without --allow-root (containers).
notebook: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# Every benchmark against its baseline, at national scale (up to 20 minutes; ARGS=--quick:
# county scale, under 2 minutes); writes bench/RESULTS.md (RESULTS-quick.md). See bench/run.py.
bench: $(STAMP) system-deps
	$(BIN)/python -m bench.run $(ARGS)

# The long reliability runs (see README, "Reliability and security"): 2,000 damaged files per
# fuzz test and full-size hostile files (a 4 GiB zip bomb, a 300 MB CSV, a million rows),
# 400 option sets per CLI command, and schemathesis with every check at 1,000 cases per API
# operation plus its stateful phase.
fuzz: $(STAMP)
	PAIRNET_FUZZ_PROFILE=long PAIRNET_LONG=1 $(BIN)/python -m pytest -s --hypothesis-show-statistics \
		tests/reliability/test_fuzz_loaders.py tests/reliability/test_hostile_files.py \
		tests/reliability/test_fuzz_cli.py tests/api/test_api_schemathesis.py tests/reliability/test_limits.py

# 200 SIGKILLs mid-import (of the importing process on SQLite, of Neo4j itself), 200 racing
# rounds of processes and 200 of two API workers, and a load test of 10,000 reads and 30
# imports on loopback.
soak: $(STAMP)
	PAIRNET_LONG=1 $(BIN)/python -m pytest -s tests/reliability/test_faults_sqlite.py tests/reliability/test_soak.py \
		tests/store/test_serialised_writes.py tests/store/test_neo4j_atomic.py \
		"tests/api/test_api_imports_guard.py::test_two_workers_racing_end_in_a_serial_order_with_no_orphan"

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
