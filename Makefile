# The two commands a newcomer needs:  `make run`  and  `make test`.
# Each creates the virtual environment it needs (.venv) on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint demo clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ecgviewer

test: $(STAMP)
	$(BIN)/ruff check ecgviewer trainer tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/python -m trainer demo --out resources/demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
