# Two entry points: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := examples/enterprise

.PHONY: demo test test-slow bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  apt-get install -y -qq python3-venv >/dev/null && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	scripts/ensure-system-packages
	$(BIN)/mopsgov check $(EXAMPLE)
	$(BIN)/mopsgov docs $(EXAMPLE) --out site
	@echo "Open site/index.html in a browser to read the stakeholder site."

test: $(VENV)/.installed
	scripts/ensure-system-packages --browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-slow: $(VENV)/.installed
	scripts/ensure-system-packages --browser
	HYPOTHESIS_PROFILE=slow $(BIN)/python -m pytest -q -p no:cacheprovider -m slow --hypothesis-show-statistics

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info site test-artifacts benchmarks/out
