# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
export PORTAL_URL ?= http://$(HOST):$(PORT)
NODE_MODULES := node_modules/.package-lock.json

.PHONY: run test test-fast venv lint format messages clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: venv
	mkdir -p var
	DJANGO_SETTINGS_MODULE=seminar_portal.settings.local $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=seminar_portal.settings.local $(BIN)/python manage.py load_demo
	@echo ""
	@echo "Seminar portal: http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/)"
	@echo "Mail is written to var/mail/ unless EMAIL_URL is set. Ctrl-C stops web, worker and beat."
	@echo ""
	PATH="$(abspath $(BIN)):$$PATH" DJANGO_SETTINGS_MODULE=seminar_portal.settings.local HOST=$(HOST) PORT=$(PORT) \
		$(BIN)/honcho --procfile Procfile.dev --no-prefix start

test: venv $(NODE_MODULES)
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The fast lane while working: no browser, no other programs, fewer Hypothesis examples.
test-fast: venv
	HYPOTHESIS_PROFILE=fast $(BIN)/python -m pytest -n 2 -m "not integration and not browser" $(PYTEST_ARGS)

# ical.js (pinned by package-lock.json): the tests read the calendar feeds with it, as Thunderbird does.
$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext (Debian: gettext). The compiled .mo files are committed, so run and test do not need it.
messages: venv
	DJANGO_SETTINGS_MODULE=seminar_portal.settings.local $(BIN)/python manage.py makemessages -l de --no-obsolete --ignore=.venv --ignore=var
	DJANGO_SETTINGS_MODULE=seminar_portal.settings.local $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles node_modules
