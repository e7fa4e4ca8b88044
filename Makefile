# Portale PAQ — the two commands of the README, and a few helpers.
# Everything installs into .venv with the Python found on the machine (3.11+).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run install install-test test lint check clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install: $(PY) ## Install the portal into .venv
	$(PY) -m pip install --quiet -e .

install-test: $(PY) ## Install the portal and the test tools into .venv
	$(PY) -m pip install --quiet -e '.[test]'

run: install ## Migrate, load the demo and serve on http://127.0.0.1:8000 (ASGI)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test ## Run the whole suite (SQLite pass, then PostgreSQL pass when available)
	$(PY) -m tests.run_suite

lint: ## ruff check and format check
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check: ## Django checks, migrations, production --deploy check
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=portal.settings.production SECRET_KEY=check-only-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-long-enough ALLOWED_HOSTS=portale.example.it $(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the demo database, media and test artifacts
	rm -rf db.sqlite3* media private_media .test-artifacts static_collected
