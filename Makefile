# Two commands do everything on a fresh clone:
#   make demo   installs edukg, builds the graph of the bundled reports into out/, draws its views
#   make test   installs edukg with its test tools (and the system packages) and runs the suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint system clean bench

$(BIN)/edukg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: $(BIN)/edukg
	$(BIN)/edukg build --out out
	$(BIN)/edukg view --graph out/graph.json --out out/views
	$(BIN)/edukg export rdf --graph out/graph.json --format turtle --out out/graph.ttl
	@echo "open out/views/index.html; query with: $(BIN)/edukg load && $(BIN)/edukg query list"

system:
	bash .ci/install-system.sh

lint: $(BIN)/edukg
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/edukg system
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The performance benchmark (about 20 minutes on 2 cores): prints each figure, writes bench/RESULTS.md
bench: $(BIN)/edukg
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf out .pytest_cache tests/artifacts
