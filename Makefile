# One entry point for set-up, the main job and every check; .ci/run calls `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
REPORTS ?= reports

.PHONY: run test check lint typecheck pytest lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## run: the main job: a PNG report (every chart, report.png, summary.md) per seed document in $(REPORTS)/
run: $(STAMP)
	$(BIN)/threadlens report seeds/* -o $(REPORTS)

## test: every check CI runs: lint, format check, type check, the test suite
test: check

check: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest

## lock: re-resolve every dependency into requirements.lock (needs the package index)
lock:
	rm -rf /tmp/threadlens-lock && $(PYTHON) -m venv /tmp/threadlens-lock
	/tmp/threadlens-lock/bin/pip install --quiet --upgrade setuptools && /tmp/threadlens-lock/bin/pip install --quiet -e '.[notebooks,dask,dev]'
	/tmp/threadlens-lock/bin/pip freeze --all --exclude-editable | grep -vE '^(threadlens|pip)==' > requirements.lock

clean:
	rm -rf $(VENV) $(REPORTS) .mypy_cache .ruff_cache .pytest_cache
