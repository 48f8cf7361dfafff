# Familienkompass – one command runner. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: help setup system-deps run-deps run serve db-upgrade demo test test-sqlite test-postgres test-production lint format typecheck \
        contracts audit bench-analysis bench-export bench-load bench-crash bench-dashboard bench-cluster translations-extract translations-update \
        translations-compile clean

help:
	@echo "make run     – set up, migrate, seed the demo and serve on http://127.0.0.1:$(PORT)"
	@echo "make test    – set up and run ruff, mypy, import contracts, bandit/pip-audit and pytest (SQLite + PostgreSQL)"
	@echo "make bench-* – benchmarks (see README)"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

setup: $(VENV)/.installed translations-compile

system-deps:
	@bash scripts/install-system-deps.sh

# Running the demo needs no root: only report what is missing (PDF handouts need Pango).
run-deps:
	@bash scripts/install-system-deps.sh --check-run

db-upgrade: setup
	$(FLASK) db upgrade

demo: db-upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) users demo-accounts

run: run-deps demo
	@echo ""
	@echo "Familienkompass läuft auf http://127.0.0.1:$(PORT)  (Strg+C beendet)"
	@echo ""
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

serve: demo
	$(VENV)/bin/gunicorn --no-control-socket -w 2 -b 127.0.0.1:$(PORT) wsgi:app

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: setup
	$(VENV)/bin/mypy app surveys analysis demo

contracts: setup
	$(VENV)/bin/lint-imports

test: setup system-deps lint typecheck contracts audit test-sqlite test-postgres test-production

test-sqlite: setup
	@echo "== pytest on SQLite =="
	@bash scripts/pytest.sh -m "not production"

test-postgres: setup
	@bash scripts/test-postgres.sh

test-production: setup system-deps
	@bash scripts/test-production.sh

audit: setup
	@bash scripts/audit.sh

bench-analysis: setup
	$(PY) -m bench.analysis

bench-export: setup
	$(PY) -m bench.export

bench-load: setup
	$(PY) -m bench.load

bench-crash: setup
	$(PY) -m bench.crash

bench-dashboard: demo
	$(PY) -m bench.dashboard

bench-cluster: setup system-deps
	$(PY) -m bench.cluster $(BENCH_CLUSTER_ARGS)

translations-extract: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k N_ -k NP_:1,2 -o app/translations/messages.pot .

translations-update: translations-extract
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

translations-compile: $(VENV)/.installed
	@if ls app/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(VENV)/bin/pybabel compile -d app/translations >/dev/null; fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
