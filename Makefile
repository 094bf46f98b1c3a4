# Faire alliance — the two commands: `make run` and `make test`.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := uv
PYTHON := .venv/bin/python
TEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test audit install uv database fixtures lint clean-db

uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

install: uv
	$(UV) sync --frozen

database: install
	DEBUG=1 $(PYTHON) manage.py ensure_database
	DEBUG=1 $(PYTHON) manage.py migrate --no-input

fixtures: database
	DEBUG=1 $(PYTHON) manage.py load_fiche

run: fixtures
	DEBUG=1 $(PYTHON) manage.py runserver $(HOST):$(PORT)

test: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen pytest -n $(TEST_WORKERS)

# Known vulnerabilities in the locked dependencies, from PyPI's advisory data; --strict fails
# when a package could not be checked rather than passing it silently.
audit: install
	set -o pipefail; $(UV) export --frozen --no-hashes --no-emit-project --quiet \
	  | $(UV) run --frozen pip-audit --strict --vulnerability-service pypi --disable-pip --no-deps \
	      --progress-spinner off --requirement /dev/stdin

lint: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .
