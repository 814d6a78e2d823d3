# Two commands do everything on a fresh clone:
#   make demo   installs edukg, builds the graph of the bundled reports into out/, draws its views
#   make test   installs edukg with its test tools (and the system packages) and runs the suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint system clean bench neo4j-server neo4j-server-stop

# A real Neo4j 5 on 127.0.0.1 (tests/neo4j-server, built with Maven): `make neo4j-server` for trials
# (data in NEO4J_SERVER_DIR, password in its file password); `make test` starts its own in NEO4J_TEST_DIR.
NEO4J_SERVER_DIR ?= out/neo4j
NEO4J_TEST_DIR   ?= out/neo4j-test

$(BIN)/edukg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

demo: $(BIN)/edukg
	$(BIN)/edukg build --out out
	$(BIN)/edukg view --out out
	$(BIN)/edukg export rdf --out out
	@echo "open out/views/index.html; query with: $(BIN)/edukg load && $(BIN)/edukg query list"

system:
	bash .ci/install-system.sh

lint: $(BIN)/edukg
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/edukg system
	$(BIN)/ruff check .
	bash tests/neo4j-server/server.sh run $(NEO4J_TEST_DIR) $(BIN)/python -m pytest

neo4j-server:
	@bash tests/neo4j-server/server.sh start $(NEO4J_SERVER_DIR)

neo4j-server-stop:
	@bash tests/neo4j-server/server.sh stop $(NEO4J_SERVER_DIR)

# The performance benchmark (about 20 minutes on 2 cores): prints each figure, writes bench/RESULTS.md
bench: $(BIN)/edukg
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf out .pytest_cache tests/artifacts
