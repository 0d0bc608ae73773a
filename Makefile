# Two commands do all of the set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test system-deps neo4j-start neo4j-stop notebook bench fuzz soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,notebook]'
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/pairnet demo

# Debian packages the tests need (Chromium, CJK fonts, docker-compose); installs only what is missing.
system-deps:
	scripts/system-deps

test: $(STAMP) system-deps
	scripts/neo4j start
	status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; scripts/neo4j stop; exit $$status

notebook: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
