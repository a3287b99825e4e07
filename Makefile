# X区政策知识库. `make serve` and `make test` set everything up on a new machine.
# Other targets: build, build-internal, check (FORMAT=text|github|json), new, schemas, deps-system, clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
FORMAT ?= text
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build build-internal check new schemas test browser deps-system clean

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

# Debian packages the tests drive, installed with apt-get only when missing (as root): chromium for
# the browser tests (Playwright cannot download its own browser here), nginx for the deployment tests
# (tests/test_deploy_served.py serves the site through deploy/nginx.conf), a small CJK font so that the
# screenshots tests/test_a11y.py takes are readable (no test depends on it).
SYSTEM_DEPS := /usr/bin/chromium=chromium /usr/sbin/nginx=nginx \
	/usr/share/fonts/truetype/wqy/wqy-microhei.ttc=fonts-wqy-microhei
deps-system:
	@missing=""; for dep in $(SYSTEM_DEPS); do test -e "$${dep%%=*}" || missing="$$missing $${dep#*=}"; done; \
	test -z "$$missing" || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; }

browser: deps-system

test: $(DEV_STAMP) deps-system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf site site-internal .site.* .site-internal.* .pytest_cache
