# Two commands do everything on a fresh clone:
#   make demo   installs edukg and builds the graph from the bundled reports into out/
#   make test   installs edukg with its test tools (and the system packages) and runs the suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint system clean

$(BIN)/edukg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: $(BIN)/edukg
	$(BIN)/edukg build --out out

system:
	bash .ci/install-system.sh

lint: $(BIN)/edukg
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/edukg system
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf out .pytest_cache tests/artifacts
