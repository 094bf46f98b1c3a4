# Faire alliance — the two commands: `make run` and `make test` (and `make bench`).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := uv
PYTHON := .venv/bin/python
TEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_COUNT ?= 100000
BENCH_SEED ?= 1
BENCH_DURATION ?= 10
LOAD_SECONDS ?= 60
BENCH_ARGS ?=

.PHONY: run test audit install install-app uv database fixtures lint clean-db bench

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

install: uv
	$(UV) sync --frozen

# What `make run` needs: the application, without the test and type-checking tools.
install-app: uv
	$(UV) sync --frozen --no-dev

database: install-app
	DEBUG=1 $(PYTHON) manage.py ensure_database
	DEBUG=1 $(PYTHON) manage.py migrate --no-input

fixtures: database
	DEBUG=1 $(PYTHON) manage.py load_fiche

run: fixtures
	DEBUG=1 $(PYTHON) manage.py runserver $(HOST):$(PORT)

# ruff, mypy (settings loaded with DEBUG=1: no secret, no database), then pytest with coverage
# (the floor is fail_under in pyproject.toml).
test: install
	$(UV) run --frozen ruff check .
	DEBUG=1 DEV_TOOLS=1 $(UV) run --frozen mypy
	$(UV) run --frozen pytest -n $(TEST_WORKERS) --cov --cov-report=term

# Known vulnerabilities in the locked dependencies, from PyPI's advisory data. Kept out of `test`:
# it asks the network, so it fails only on a known advisory and lists what it could not check.
audit: install
	set -o pipefail; $(UV) export --frozen --no-hashes --no-emit-project --quiet \
	  | $(PYTHON) -m config.dependency_audit

lint: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

# Its own database (fa_bench), gunicorn with production settings, wrk from a second process,
# then a load test (LOAD_SECONDS at 50 connections, loopback only) that fails the target on any
# error: see docs/performance.md. wrk comes from Debian, like chromium for the tests.
bench: install
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	$(PYTHON) bench/run.py --count $(BENCH_COUNT) --seed $(BENCH_SEED) --duration $(BENCH_DURATION) \
	  --load-seconds $(LOAD_SECONDS) $(BENCH_ARGS)
