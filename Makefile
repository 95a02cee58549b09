# parmath's one task runner: CI (.ci/run) and people call the same targets. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export VIRTUAL_ENV := $(abspath $(VENV))
export PATH := $(abspath $(VENV))/bin:$(PATH)
# Rust tests link CORE-MATH (C) as the correctly rounded reference.
CARGO ?= cargo

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

.PHONY: venv
venv: $(STAMP) ## Create .venv and install the Python tools

.PHONY: build
build: $(STAMP) ## Build the extension in release mode and install it into .venv (editable)
	$(VENV)/bin/maturin develop --release --quiet

.PHONY: demo
demo: build ## Set up, build, and run the main job: `parmath bench` on 10M float64
	$(VENV)/bin/parmath info
	$(VENV)/bin/parmath bench

.PHONY: test
test: build lint stubcheck test-rust test-python ## Set up, build, lint, and run every test

.PHONY: lint
lint: $(STAMP) ## cargo fmt --check, clippy -D warnings, ruff
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --quiet -- -D warnings
	$(VENV)/bin/ruff check python tests scripts
	$(VENV)/bin/ruff format --check python tests scripts
	$(VENV)/bin/mypy

.PHONY: stubs
stubs: build ## Rewrite python/parmath/_core.pyi from the registry
	$(PY) scripts/gen_stubs.py

.PHONY: stubcheck
stubcheck: build ## Check the stubs against the registry and the built module
	$(PY) scripts/gen_stubs.py --check
	$(PY) -m mypy.stubtest parmath._core

.PHONY: test-rust
test-rust: ## Rust unit tests and kernel accuracy against CORE-MATH at every ISA level
	$(CARGO) test --workspace --quiet

.PHONY: test-python
test-python: build ## pytest: the ufuncs against NumPy and mpmath, threads, fork, pickling, errors
	$(PY) -m pytest -q

.PHONY: sweep
sweep: ## Exhaustive float32 accuracy: all 2^32 inputs per function and ISA (PARMATH_TEST_ONLY=exp,log and PARMATH_SWEEP_ISA=avx512 narrow it)
	$(CARGO) test --release -p parmath-core --test accuracy -- --ignored --nocapture float32_exhaustive

.PHONY: accuracy
accuracy: build ## ULP errors of parmath and NumPy against mpmath into docs/accuracy.md (minutes)
	$(VENV)/bin/parmath accuracy

.PHONY: bench-rust
bench-rust: ## Criterion benchmarks of the kernels (single thread and pool)
	$(CARGO) bench -p parmath-core

.PHONY: clean
clean: ## Remove build outputs and the virtual environment
	$(CARGO) clean
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
