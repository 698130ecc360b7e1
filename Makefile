# The two commands of the README: `make run` (install, generate, train, serve) and
# `make test` (install test tools, lint, run the whole suite). Each builds its own
# virtualenv in .venv, so a machine with only Python 3.11+ is enough.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FIFTHBRANCH_HOME ?= $(CURDIR)/.fifthbranch
HISTORY ?= $(FIFTHBRANCH_HOME)/history.csv
ROWS ?= 50000
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install install-dev lint pip-audit browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	@mkdir -p $(FIFTHBRANCH_HOME)
	@test -f $(HISTORY) || $(BIN)/fifthbranch generate --rows $(ROWS) --seed 7 --out $(HISTORY)
	$(BIN)/fifthbranch train --data $(HISTORY)
	$(BIN)/fifthbranch serve

lint: install-dev
	$(BIN)/ruff check .

# The browser tests drive Debian's Chromium (never a Playwright download). As root with
# apt-get, install it when missing; elsewhere say that those tests will skip.
browser:
	@if [ -x "$(CHROMIUM)" ]; then \
	  echo "browser tests: using $(CHROMIUM)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "browser tests: $(CHROMIUM) is missing; running apt-get update && apt-get install -y chromium"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
	    || echo "browser tests: installing chromium failed; the browser tests will skip"; \
	else \
	  echo "browser tests: $(CHROMIUM) is missing and cannot be installed here (needs root and apt-get); the browser tests will skip"; \
	fi

# The dependency audit (tests/security/audit_dependencies.py): pip-audit against PyPI's
# advisory API. A known vulnerability fails `make test`; when PyPI cannot be reached the
# audit says it was skipped and does not fail. PIP_AUDIT_ARGS=--ignore-vuln ID for an
# advisory that was assessed and accepted (say why in SECURITY.md).
PIP_AUDIT_ARGS ?=
pip-audit: install-dev
	$(BIN)/python -m tests.security.audit_dependencies $(PIP_AUDIT_ARGS)

test: install-dev lint pip-audit browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# About 30 minutes on 2 cores; BENCH_ARGS=--quick for a smoke run (see README "Performance").
BENCH_ARGS ?=
bench: install-dev
	$(BIN)/python -m bench all $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
