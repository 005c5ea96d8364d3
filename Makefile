# Continuum: `make demo` starts the demonstration service; `make test` runs the whole test suite.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
VAR := var
HOST ?= 127.0.0.1
PORT ?= 8000
CHILDREN ?= 5000

export CONTINUUM_VAR_DIR ?= $(CURDIR)/$(VAR)

.PHONY: demo test setup assets lint clean

# The virtual environment, with every Python dependency pinned in constraints.txt.
$(BIN)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# GOV.UK Frontend and MoJ Frontend (case-work patterns: the timeline, sub navigation), from npm at the pinned
# versions, copied to where Django's static files look.
$(VAR)/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VAR)/vendor
	mkdir -p $(VAR)/vendor
	cp -r node_modules/govuk-frontend/dist/govuk/assets/fonts node_modules/govuk-frontend/dist/govuk/assets/images $(VAR)/vendor/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css.map $(VAR)/vendor/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map $(VAR)/vendor/
	cp node_modules/@ministryofjustice/frontend/moj/assets/images/* $(VAR)/vendor/images/
	cp node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.css.map $(VAR)/vendor/
	touch $@

$(VAR)/secret_key:
	mkdir -p $(VAR)
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

setup: $(BIN)/.installed $(VAR)/vendor/.installed $(VAR)/secret_key

# The demonstration: SQLite under var/, a synthetic county, demo users, served on http://$(HOST):$(PORT).
demo: export CONTINUUM_SECRET_KEY_FILE = $(CURDIR)/$(VAR)/secret_key
demo: export CONTINUUM_HTTPS = false
demo: export CONTINUUM_REQUIRE_2FA = false
demo: export CONTINUUM_DEBUG = false
demo: export CONTINUUM_DEMO = true
demo: export CONTINUUM_EMAIL_BACKEND = django.core.mail.backends.filebased.EmailBackend
demo: setup
	$(BIN)/continuum demo --children $(CHILDREN) --host $(HOST) --port $(PORT)
	$(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 2 --blocking-threads 4 --no-access-log \
		continuum.web.wsgi:application

# The whole suite: lint and types, then unit, Django and browser tests.
# DATABASE_URL=postgres://... runs it on PostgreSQL.
test: setup lint
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) node_modules $(VAR)
