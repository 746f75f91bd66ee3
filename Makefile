# Two commands set everything up on a fresh machine:
#   make run    virtualenv, install, migrate, load the demo campaign, serve on 127.0.0.1:8000
#   make serve  production: collectstatic, migrate, gunicorn (DEBUG off; SECRET_KEY required)
#   make worker production: the background worker of the admin's imports, beside make serve
#   make test   the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests and lint need a key; a development server runs with DEBUG on and a development key.
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help run runserver serve worker collectstatic install install-dev migrate demo demo-data test test-fast test-slow lint format check bench clean vendor messages

help:
	@echo "make run        set up (virtualenv, install, migrate, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make serve      production: collectstatic, migrate, gunicorn on $(HOST):$(PORT) (DEBUG off; needs SECRET_KEY, ALLOWED_HOSTS; docs/deploy.md)"
	@echo "make worker     production: the background worker of the admin's imports, beside make serve (docs/deploy.md)"
	@echo "make test       run the whole test suite (SQLite, or PostgreSQL with DATABASE_URL=postgres://...)"
	@echo "make test-fast  the suite without the slow, browser and fuzz tests (what CI runs on both databases)"
	@echo "make test-slow  only the slow (whole demo), browser and fuzz tests (CI runs them once, on PostgreSQL)"
	@echo "make lint       ruff check, ruff format --check, makemigrations --check"
	@echo "make format     ruff format and autofix"
	@echo "make demo-data  regenerate the demo CSV files in demo/data/ with tools/demo/ (deterministic)"
	@echo "make bench      the performance table: SCALE=10 times the demo, DATABASES=\"sqlite postgres\" (bench/scale.py)"
	@echo "make messages   update the translation catalogues (locale/) from the code and compile them (needs GNU gettext; docs/i18n.md)"
	@echo "make vendor     re-vendor the front-end assets and map outlines from npm (static/vendor, static/geo; axe-core for the tests)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files: pip runs again only when a requirements file changes, so re-running is fast.
$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DEBUG=$${DEBUG:-true} $(MANAGE) migrate --no-input

# Loads the demo campaign only into an empty database (a no-op afterwards).
demo: migrate
	DEBUG=$${DEBUG:-true} $(MANAGE) load_demo

run: demo runserver

# The laptop's server: Django's runserver, DEBUG on, reloading on every change; beside it the
# worker that runs the admin's imports in the background (`db_worker`, reloading too), stopped
# with the server. Without a worker an import waits, and its page says so.
runserver: install
	DEBUG=$${DEBUG:-true} $(MANAGE) db_worker --verbosity 0 & worker=$$!; \
	trap 'kill $$worker $$(pgrep -P $$worker) 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-true} $(MANAGE) runserver $(HOST):$(PORT)

# Production (docs/deploy.md): DEBUG off, static files collected under hashed names and served by
# whitenoise, the database migrated, then gunicorn (gunicorn.conf.py: WEB_CONCURRENCY,
# GUNICORN_THREADS, GUNICORN_TIMEOUT, HOST, PORT). A process manager may run `make collectstatic
# migrate` once per release and `.venv/bin/gunicorn` itself: it starts with the database down.
# The admin's imports run in a separate process that `make serve` does not start: run
# `make worker` (or `.venv/bin/python manage.py db_worker`) beside it (docs/deploy.md, 10.).
serve: collectstatic
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is not set: make serve runs with DEBUG off and needs one (docs/deploy.md)" >&2; exit 1; }
	DEBUG=false $(MANAGE) migrate --no-input
	DEBUG=false HOST=$(HOST) PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py

# The background worker of production (docs/deploy.md, 10.): one process, one import at a time.
worker: install
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is not set: make worker runs with DEBUG off and needs one (docs/deploy.md)" >&2; exit 1; }
	DEBUG=false exec $(MANAGE) db_worker --no-reload

collectstatic: install
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY is not set: make $@ runs with DEBUG off and needs one (docs/deploy.md)" >&2; exit 1; }
	DEBUG=false $(MANAGE) collectstatic --no-input

# The slow (whole demo), browser and fuzz tests: `make test` runs them with the rest.
SLOW_MARKERS := slow or browser or fuzz

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/pytest -m "not ($(SLOW_MARKERS))" $(PYTEST_ARGS)

test-slow: install-dev
	$(BIN)/pytest -m "$(SLOW_MARKERS)" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint-only $(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo-data: install
	$(BIN)/python tools/demo/generate.py

# The performance table (README "Performance"): a campaign SCALE times the demo, imported and
# measured against the database doing the same work, on each of DATABASES (sqlite, postgres; by
# default postgres too when DATABASE_URL is set). Always a throwaway test_... database: on
# PostgreSQL the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench).
# Results: bench/results/scale-SCALE-<database>.md. bench/pages.py, bench/imports.py and
# bench/api.py look closer at one part, by hand (README, "Performance").
SCALE ?= 1
DATABASES ?= sqlite $(if $(DATABASE_URL),postgres)
BENCH_POSTGRES_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/bench)
bench: install-dev
	@for database in $(DATABASES); do \
	  case $$database in \
	    sqlite) url= ;; \
	    postgres) url="$(BENCH_POSTGRES_URL)" ;; \
	    *) echo "DATABASES: sqlite and/or postgres, not $$database" >&2; exit 2 ;; \
	  esac; \
	  DATABASE_URL=$$url DEBUG=false SECRET_KEY=$${SECRET_KEY:-bench-only} \
	    $(BIN)/python bench/scale.py --scale $(SCALE) $(BENCH_ARGS) || exit 1; \
	done

vendor:
	scripts/vendor_assets.sh

# The translation catalogues (docs/i18n.md): every string marked in the code and templates into
# locale/<language>/LC_MESSAGES/django.po (new ones untranslated, changed ones fuzzy), then the .po
# compiled into the .mo that is committed beside it (so that running the site needs no gettext).
# tests/i18n/test_catalogue.py fails until every public string is translated and compiled.
LANGUAGES_TO_TRANSLATE ?= ar
messages: install
	SECRET_KEY=messages-only $(MANAGE) makemessages $(addprefix -l ,$(LANGUAGES_TO_TRANSLATE)) \
	  --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=bench --ignore=tools --no-obsolete
	SECRET_KEY=messages-only $(MANAGE) compilemessages $(addprefix -l ,$(LANGUAGES_TO_TRANSLATE)) --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
