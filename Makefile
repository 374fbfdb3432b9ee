# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { echo "Python's venv module is missing: on Debian/Ubuntu run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Run the product on SQLite with the demo network at http://127.0.0.1:8000
run: install
	$(BIN)/cascade demo

## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: install-test
	npm ci --no-audit --no-fund --silent  # axe-core for the accessibility tests
	$(BIN)/pytest

clean:
	rm -rf $(VENV) *.egg-info
