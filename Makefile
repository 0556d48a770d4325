# One-command set-up: every target creates .venv and installs the project when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

WEB_BUILT := src/midcorridor/web/static/index.html
WEB_MODULES := web/node_modules/.package-lock.json
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f -not -name schema.d.ts 2>/dev/null) \
	web/index.html web/package.json web/tsconfig.json web/vite.config.ts \
	$(shell find src/midcorridor/service -name '*.py' 2>/dev/null)

.PHONY: run test bench lint clean postgres-server web node chromium

# The service tests start a real PostgreSQL server on loopback; install Debian's package if absent.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || \
	  { echo "installing PostgreSQL (Debian package postgresql) for the service tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

# The web app is built with Node's npm (Debian's nodejs and npm packages when absent).
node:
	@command -v npm >/dev/null 2>&1 || \
	  { echo "installing Node.js and npm (Debian packages) to build the web app"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

# The browser tests drive Debian's Chromium; no browser is ever downloaded.
chromium:
	@test -x /usr/bin/chromium || \
	  { echo "installing Chromium (Debian package chromium) for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(WEB_MODULES): web/package.json web/package-lock.json
	$(MAKE) -s node
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Built into the Python package; the typed API client is generated from the service first.
$(WEB_BUILT): $(STAMP) $(WEB_MODULES) $(WEB_SOURCES)
	$(BIN)/python -m midcorridor.service.openapi web/openapi.json
	cd web && npm run --silent build

web: $(WEB_BUILT)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[service,dask,dev,sea,bench]'
	touch $(STAMP)

run: $(STAMP) $(WEB_BUILT)
	$(BIN)/midcorridor run

test: $(STAMP) postgres-server $(WEB_BUILT) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP) $(WEB_BUILT) chromium
	$(BIN)/python -m benchmarks

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
