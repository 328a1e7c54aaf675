# AshyqKen: `make run` serves the product, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py

.PHONY: run setup setup-dev test lint bench load messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up everything and serve http://127.0.0.1:8000 with a Celery worker and beat"
	@echo "make test   run every test (REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 turn skips into failures)"
	@echo "make lint   ruff and the import-linter layering contract"
	@echo "make bench  benchmarks; results in bench/README.md"
	@echo "make load   opening-day load test (locust, PostgreSQL and Redis, minutes); bench/README.md"

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled translations are generated, not committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po locale_vendor/*/LC_MESSAGES/*.po))
%.mo: %.po
	msgfmt --check-format -o $@ $<

setup: $(VENV)/.runtime node_modules/.installed $(MO_FILES)

setup-dev: setup $(VENV)/.dev

run: setup
	$(PY) -m config.var
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/honcho start -f Procfile

# On PostgreSQL, two processes (pytest-xdist), each with a test database, a task queue and
# cache keys of its own; on the embedded SQLite, one. TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= $(if $(DATABASE_URL),2,0)
test: setup-dev
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup-dev
	$(PY) -m config.var
	$(PY) bench/run.py
	$(PY) bench/backbone.py
	$(PY) bench/licensing.py
	$(PY) bench/processing_statistics.py
	$(PY) bench/open_data.py
	$(PY) bench/scale.py

# Opening day under load: needs PostgreSQL and Redis (LOAD_DATABASE_URL, LOAD_REDIS_URL: wiped).
load: setup-dev
	$(PY) -m config.var
	$(PY) bench/load.py

# Refresh the .po files after changing user-visible strings.
messages: setup-dev
	$(MANAGE) makemessages --locale ru --locale kk --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --no-obsolete

clean:
	rm -rf var test-artifacts .pytest_cache
