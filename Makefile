# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test browser pdftotext clean

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

# The browser tests drive Debian's Chromium; as root on Debian/Ubuntu it is installed here.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at /usr/bin/chromium: run 'sudo apt-get install chromium'"; exit 1; \
	  fi; }

# The persona walk (tests/access/test_personas.py) reads every PDF a donor can download with
# poppler's pdftotext; as root on Debian/Ubuntu it is installed here.
pdftotext:
	@command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing poppler-utils (pdftotext) for the persona walk"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	  else \
	    echo "The persona walk needs pdftotext: run 'sudo apt-get install poppler-utils'"; exit 1; \
	  fi; }

## Run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
test: install-test browser pdftotext
	npm ci --no-audit --no-fund --silent  # axe-core from the npm registry, for the accessibility tests
	$(BIN)/pytest -n auto  # one worker per core; each has its own test database

clean:
	rm -rf $(VENV) *.egg-info
