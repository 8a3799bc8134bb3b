# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests run with DEBUG off, as in production; the key below is for tests only.
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-not-a-secret

.PHONY: run test setup lint format migrate clean serve release deploy-check bench bench-browser lock backup restore

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_nato_data

run: migrate
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint deploy-check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python -m pytest

# --- production ---
# The app's one start command, natively and in docker-compose.yml: gunicorn with the settings
# from the environment (gunicorn.conf.py). Needs `make setup` (the Docker image has the venv).
serve:
	$(BIN)/gunicorn --config gunicorn.conf.py nato_tracker.wsgi

# Run once per deployment, before `serve`: schema, the NATO data (idempotent), static files.
release:
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_nato_data
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# Everything the app holds, portable between SQLite and PostgreSQL (spending/backup.py):
# `make backup FILE=nato.xml.gz`, then into an empty database `make restore FILE=nato.xml.gz`
# (after `manage.py migrate`). Large PostgreSQL databases: pg_dump / pg_restore (README).
FILE ?= backup.xml.gz
backup: setup
	$(BIN)/python manage.py backup $(FILE)

restore: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py restore $(FILE)

# Django's deployment checklist with production values, as docker-compose.yml and .env.example set
# them; any warning fails.
DEPLOY_ENV := DEBUG=0 ALLOWED_HOSTS=tracker.example.org \
	CSRF_TRUSTED_ORIGINS=https://tracker.example.org BEHIND_PROXY=1 SECURE_SSL_REDIRECT=1 \
	SECURE_HSTS_PRELOAD=1
deploy-check: setup
	$(DEPLOY_ENV) SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# Pins the runtime dependencies the Docker image installs (pip-tools in a throwaway venv).
lock:
	$(PYTHON) -m venv /tmp/nato-lock-venv
	/tmp/nato-lock-venv/bin/pip install --quiet pip-tools
	/tmp/nato-lock-venv/bin/pip-compile --quiet --strip-extras --no-emit-index-url \
		--no-emit-find-links --output-file requirements.lock pyproject.toml

# Speed on PostgreSQL with production settings; flags: `python bench/run.py --help`. Not in `make test`.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Each page in Chromium (bytes, time until the charts are drawn); writes bench/BROWSER.md.
# Flags: `python bench/browser.py --help`, e.g. `make bench-browser BROWSER_ARGS="--rounds 3"`.
BROWSER_ARGS ?=
bench-browser: setup
	$(BIN)/python bench/browser.py $(BROWSER_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-output
