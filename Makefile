# Everything runs inside .venv, which `make install` creates.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: install run test lint format messages check-messages check-migrations bench clean git-setup screenshots

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Install, migrate, load the Somme and the demo, and serve on http://127.0.0.1:$(PORT) (PORT=8001 for another)
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) import_communes
	$(MANAGE) seed_demo
	$(MANAGE) runserver --demo-accounts 127.0.0.1:$(PORT)

## Install and run the whole test suite (DATABASE_URL picks the database; SQLite by default)
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

## Screenshots of every main screen at 390, 1024 and 1280 px wide, checked, into docs/screenshots/
screenshots: install
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/test_screenshots.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Update the French catalogue from the source strings, and compile it
messages: install
	$(MANAGE) makemessages --locale fr --add-location file --no-obsolete --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'
	$(MANAGE) makemessages --locale fr --domain djangojs --add-location file --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'node_modules/*'
	$(MANAGE) compilemessages --locale fr --ignore '.venv/*'

## Fail when the catalogue is out of date or has untranslated strings
check-messages: install
	$(BIN)/python bin/check_messages.py

check-migrations: install
	$(MANAGE) makemigrations --check --dry-run

## Benchmarks (bench/): BENCH=paths to run one, BENCH_SCALE=small for the quick CI size
BENCH ?=
BENCH_SCALE ?= full
bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) staticfiles

## Merge French catalogues from parallel branches as a union, three-way (see .gitattributes)
git-setup:
	git config merge.pocat.driver 'python3 bin/merge_po.py %O %A %B'
	git config merge.keepours.driver true
