# Two entry points: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/enterprise
export PYTHON

.PHONY: demo test test-slow bench clean

$(BIN)/python:
	scripts/ensure-system-packages venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The package alone (make demo), and with the test dependencies (make test).
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	scripts/ensure-system-packages graphviz
	$(BIN)/mopsgov check $(EXAMPLE)
	$(BIN)/mopsgov docs $(EXAMPLE) --out site
	@echo "Open site/index.html in a browser to read the stakeholder site."

test: $(VENV)/.installed-test
	scripts/ensure-system-packages graphviz chromium
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-slow: $(VENV)/.installed-test
	scripts/ensure-system-packages graphviz chromium
	HYPOTHESIS_PROFILE=slow $(BIN)/python -m pytest -q -p no:cacheprovider -m slow --hypothesis-show-statistics

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info site test-artifacts benchmarks/out
