# The project's checks in one place; .ci/run calls `make test` exactly as the README says.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: run test test-replicas lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

run: $(BIN)/.installed
	$(BIN)/unmentor run

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

test: lint
	$(BIN)/pytest

# Three real bot processes on PostgreSQL, killed and restarted at random over 20 rounds of a
# 500-member community (about 12 minutes on a 2-core machine), and one bot killed 20 times
# mid-delivery, on Slack and on Discord (about 5 minutes): kept out of `make test` for time.
test-replicas: $(BIN)/.installed
	REPLICA_ROUNDS=20 $(BIN)/pytest -m replicas tests/runtime/test_replicas.py \
		tests/runtime/test_crash_mid_delivery.py

bench: $(BIN)/.installed
	$(BIN)/python bench/matcher.py
	$(BIN)/python bench/matcher_groups.py
	$(BIN)/python bench/matcher_stable.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
