# Parley: `make run` installs, builds the demo instances and serves the console;
# `make test` installs and runs every check. Both work on a fresh clone.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
HTMX_VERSION := 2.0.8
HTMX := src/parley/web/console/static/vendor/htmx.min.js
AXE_VERSION := 4.11.0
AXE := .cache/axe-core-$(AXE_VERSION)/axe.min.js
DEMO ?= demo
DEMO_SCALE ?= full
DEMO_SEED ?= 2025
PORT ?= 8000

.PHONY: run test install lint typecheck unit demo browser lock clean docs

run: install $(HTMX) $(DEMO)/ua/parley.toml
	@echo
	@echo "Parley console: http://127.0.0.1:$(PORT)/   (Ukrainian demo instance)"
	@grep -E '^ua ' $(DEMO)/LOGINS.txt | head -1 | awk '{print "Log in as: " $$2 "  password: " $$3}'
	@echo "All demo logins: $(DEMO)/LOGINS.txt"
	$(BIN)/parley serve --instance $(DEMO)/ua --port $(PORT)

test: install $(HTMX) $(AXE) browser lint typecheck unit

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

# HTMX comes from the npm registry, pinned; the console works without it, only less smoothly.
$(HTMX):
	@mkdir -p $(dir $(HTMX))
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null 2>&1 \
		&& tar xzf htmx.org-$(HTMX_VERSION).tgz package/dist/htmx.min.js package/LICENSE) \
		&& cp $$tmp/package/dist/htmx.min.js $(HTMX) && cp $$tmp/package/LICENSE $(dir $(HTMX))htmx.LICENSE \
		|| echo "warning: could not fetch htmx $(HTMX_VERSION); the console runs without it"; \
		rm -rf $$tmp

# axe-core (MPL-2.0) checks accessibility in the browser tests only: fetched pinned from the npm
# registry into a cache that is never committed nor served by the console.
$(AXE):
	@mkdir -p $(dir $(AXE))
	@tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null 2>&1 \
		&& tar xzf axe-core-$(AXE_VERSION).tgz package/axe.min.js package/LICENSE) \
		&& cp $$tmp/package/axe.min.js $(AXE) && cp $$tmp/package/LICENSE $(dir $(AXE))LICENSE \
		|| echo "warning: could not fetch axe-core $(AXE_VERSION); the accessibility checks will skip"; \
		rm -rf $$tmp

# Debian's Chromium for the Playwright tests (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(DEMO)/ua/parley.toml: | install
	$(BIN)/parley demo $(DEMO) --scale $(DEMO_SCALE) --seed $(DEMO_SEED)

demo: install
	$(BIN)/parley demo $(DEMO) --scale $(DEMO_SCALE) --seed $(DEMO_SEED)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -n 2 -q

# The generated references: the CLI from the Typer app, the API from the OpenAPI document.
docs: install
	$(BIN)/python -m parley.cli.reference > docs/cli.md
	$(BIN)/python -m parley.web.reference > docs/api.md

lock:
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --extra spark --python-version 3.11 -o requirements-spark.lock
	$(BIN)/uv pip compile --quiet pyproject.toml --extra dev --extra bench --override benchmarks/overrides.txt --python-version 3.11 -o requirements-bench.lock

clean:
	rm -rf $(VENV) $(DEMO)
