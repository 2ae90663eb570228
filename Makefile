# tracenet: `make demo` runs the network on a local stack, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
TRACENET := $(VENV)/bin/tracenet

.PHONY: setup system venv jars demo up down status test unit integration lint bench clean

setup: system venv jars

system:
	@bash deploy/local/install-system-packages.sh

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip
	@$(PY) -m pip install -q -e '.[test]'
	@touch $@

jars: venv
	@$(PY) -m deploy.local.kafka

demo: setup
	@$(PY) -m streams.demo

up: setup
	@$(TRACENET) up

down:
	@test -x $(TRACENET) && $(TRACENET) down || true

status:
	@$(TRACENET) status

test: setup
	@$(PY) -m pytest tests

unit: venv
	@$(PY) -m pytest tests/unit

integration: setup
	@$(PY) -m pytest tests/integration

lint: venv
	@$(VENV)/bin/ruff check streams schemas connectors deploy tests

bench: setup
	@$(PY) -m tests.benchmarks.correlation

clean: down
	rm -rf .tracenet
