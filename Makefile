# Two commands on a fresh machine: `make run` and `make test`. Both create .venv and install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test test-fast lint check bench migrate clean

run: $(INSTALLED)
	@$(BIN)/python -m compileall -q bot content slackfake  # bytecode once, even where Python is told not to write it
	$(BIN)/python -m bot

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/python -m content check
	$(BIN)/pytest

# Everything but processes, browsers and PostgreSQL, on two workers: the loop while changing code.
test-fast: $(INSTALLED)
	$(BIN)/ruff check .
	TEST_DATABASE_URL= $(BIN)/pytest -m "not slow" -n 2 -q

lint: $(INSTALLED)
	$(BIN)/ruff check .

check: $(INSTALLED)
	$(BIN)/python -m content check

migrate: $(INSTALLED)
	$(BIN)/python -m bot migrate

bench: $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python -m bench
	$(BIN)/python -m bench.store_drivers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .hypothesis
