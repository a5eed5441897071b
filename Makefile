# Two commands on a fresh machine: `make demo` and `make test`. Each makes its own virtual environment.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test venv clean

# setup.py compiles these sources (an edited one must be built again, or its old compiled module is imported)
COMPILED_SOURCES := setup.py src/marsad/time/_scan.pyx src/marsad/text/_fold.pyx src/marsad/stages/times.py src/marsad/stages/times.pxd \
	src/marsad/time/lexicon.py src/marsad/time/calendar.py

$(STAMP): pyproject.toml $(COMPILED_SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/marsad demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) marsad-demo.db
