# The two commands a newcomer needs: `make run` and `make test`. Both are safe to run again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup lint format migrate demo clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py vapid_keys --dev-file .vapid-dev.env
	$(BIN)/python manage.py load_library
	$(BIN)/python manage.py load_program_templates
	$(BIN)/python manage.py load_measures
	$(BIN)/python manage.py load_demo

# The web server and the background task consumer, stopped together by Ctrl-C.
run: demo
	$(BIN)/honcho -f Procfile.dev start

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Speed at clinic scale on PostgreSQL (bench/__main__.py): `make bench`, or e.g.
# `make bench BENCH_ARGS="--small --duration 3"`. Writes bench-<patients>.json.
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
