# salesplan: `make run` installs and prints the series-A plan; `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-run
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test lint fmt typecheck pytest bench docs pictures clean install dev

# The plan alone on the screen: make does not echo the command.
run: $(STAMP)
	@$(BIN)/salesplan plan configs/series-a.yaml

install: $(STAMP)
dev: $(DEVSTAMP)

$(BIN)/python:
	@if [ -t 2 ]; then echo "creating $(VENV) and installing salesplan (once)" >&2; fi
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

# An editable install gets no bytecode from pip; compile it as a regular install would
# (where PYTHONDONTWRITEBYTECODE is set, every run would otherwise compile the package).
$(STAMP): pyproject.toml | $(BIN)/python
	@$(BIN)/python -m pip install --quiet -e .
	@$(BIN)/python -m compileall -q src
	@touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src
	touch $@ $(STAMP)

test: $(DEVSTAMP) lint typecheck pytest

lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

fmt: $(DEVSTAMP)
	$(BIN)/ruff format src tests bench tools
	$(BIN)/ruff check --fix src tests bench tools

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

pytest: $(DEVSTAMP)
	$(BIN)/python -m pytest

bench: $(DEVSTAMP)
	$(BIN)/python -m compileall -q src
	$(BIN)/python bench/bench.py

docs: $(DEVSTAMP)
	$(BIN)/python -m tools.docs

# The README's pictures, from real output (needs tmux and chromium).
pictures: $(DEVSTAMP)
	$(BIN)/python -m tools.pictures

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
