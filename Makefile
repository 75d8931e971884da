# Two commands matter: `make run` and `make test`. Both create .venv and install first.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test demo reset bench fuzz install clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)  ## start the local stack with demo data and serve the API on :8000
	$(BIN)/python -m infra.local_stack

test: $(STAMP)  ## lint and format check, then the whole suite: unit, integration, e2e, deploy package
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest tests -n 2 --dist loadgroup

demo: $(STAMP)  ## a scripted journey over HTTP against a running `make run`
	$(BIN)/python -m infra.demo

reset: ## forget the local stack's saved state
	rm -rf .local/state

bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) .local build *.egg-info

fuzz: $(STAMP)  ## a longer contract-fuzzing run (outside `make test`'s time budget)
	$(BIN)/python -m pytest tests/e2e/test_fuzz.py -n 0 --fuzz-examples 400
	HOSTILE_EXAMPLES=600 $(BIN)/python -m pytest tests/integration/test_hostile_input.py -n 0 -s
