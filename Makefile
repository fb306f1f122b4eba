# The README's two commands are `make run` and `make test`; the other targets help with them.
# Longer logic lives in tools/: devservices.py (embedded PostgreSQL and Redis), run.py,
# test.sh, sysdeps.sh (apt packages for the tests), find_python.sh, lock.py.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SERVICES := $(PY) tools/devservices.py
# Throwaway PostgreSQL and Redis for the tests: new data every run, deleted after.
WITH_TEST_SERVICES := $(SERVICES) run --dir .data/test --fresh --
PYTEST_ARGS ?=

# The virtualenv's tools (ruff, python, celery) first, for tools/test.sh and friends.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# playwright drives Debian's /usr/bin/chromium and must never fetch a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help venv run test e2e lint fmt lock sysdeps stop clean distclean

help:
	@echo "make run     the portal with demo data at http://127.0.0.1:$${PORT:-8000}/ (Ctrl-C stops it)"
	@echo "make test    lint, migrations check and the whole test suite on a real PostgreSQL and Redis"
	@echo "make e2e     only the browser tests (tests/e2e)"
	@echo "make lint | fmt | lock | venv | stop | clean | distclean"

venv: $(STAMP)

$(PY):
	@python=$$(sh tools/find_python.sh) && echo "creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstalled only when the pins change.
$(STAMP): requirements/base.txt requirements/dev.txt | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
		|| { echo "$(VENV) has a Python older than 3.12: remove it (rm -rf $(VENV)) and retry" >&2; exit 1; }
	$(PY) -m pip install --quiet -r requirements/dev.txt
	@touch $@

run: venv
	$(PY) tools/run.py

test: venv sysdeps
	$(WITH_TEST_SERVICES) tools/test.sh $(PYTEST_ARGS)

e2e: venv sysdeps
	$(WITH_TEST_SERVICES) python -m pytest tests/e2e $(PYTEST_ARGS)

sysdeps:
	@sh tools/sysdeps.sh

lint: venv
	ruff check .
	ruff format --check .

fmt: venv
	ruff check --fix .
	ruff format .

# Pins every installed package in requirements/*.txt from the ranges in pyproject.toml.
lock:
	"$$(sh tools/find_python.sh)" tools/lock.py

# Stops the embedded servers of `make run` if a crash left them running (data is kept).
stop:
	@if [ -x $(PY) ]; then $(SERVICES) stop --dir .data/dev; fi

# Removes test data, caches and collected static files; keeps .venv and the dev database.
clean:
	@if [ -x $(PY) ]; then $(SERVICES) destroy --dir .data/test; fi
	rm -rf .data/test staticfiles .pytest_cache .ruff_cache .hypothesis tests/e2e/screenshots
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

# Back to a fresh clone: also the dev database, the mail folder and the virtualenv.
distclean: clean
	@if [ -x $(PY) ]; then $(SERVICES) destroy --dir .data/dev; fi
	rm -rf .data $(VENV)
