# X区政策知识库. `make serve` and `make test` set everything up on a new machine.
# Other targets: build, build-internal, check (FORMAT=text|github|json), new, schemas, clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
FORMAT ?= text
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build build-internal check new schemas test browser clean

# Install only when a requirements file changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(BIN)/python -m kb build --audience public --site-dir site

build-internal: $(STAMP)
	$(BIN)/python -m kb build --audience internal --site-dir site-internal

check: $(STAMP)
	$(BIN)/python -m kb check --format $(FORMAT)

# make new TYPE=fund SLUG=activity-subsidy TITLE=标题 [DOC_NUMBER=…] [INTERPRETS=…] [LANG=en]
# The values reach Python through the environment ("$$TITLE"), so quotes in a title cannot break the
# command; LANG counts only when given on the command line (the environment's LANG is the locale).
new: $(STAMP)
	@PYTHONUTF8=1 $(BIN)/python -m kb new "$$TYPE" "$$SLUG" --title "$$TITLE" --doc-number "$$DOC_NUMBER" \
		--interprets "$$INTERPRETS" --lang "$(if $(filter command line,$(origin LANG)),$(LANG))"

# Regenerate schemas/*.schema.json and .vscode/kb.code-snippets from kb/schema.py and data/*.yml.
schemas: $(STAMP)
	$(BIN)/python -m kb schema

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

test: $(DEV_STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf site site-internal .site.* .site-internal.* .pytest_cache
