# X区政策知识库. `make serve` and `make test` set everything up on a new machine.
# Other targets: build, build-internal, check (FORMAT=text|github|json, STRICT=1: warnings fail too), new,
# import, schemas, lint (ruff and mypy; make test runs it), deps-system,
# bench (N=2000), bench-full, clean.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NODE_STAMP := node_modules/.installed
FORMAT ?= text
# make test's pytest workers (pytest-xdist): one per core, at most 4 (each runs its own Chromium and builds
# its modules' sites; tests/conftest.py); 0 runs the suite in this process.
PYTEST_WORKERS ?= auto
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build build-internal check new import schemas lint test browser deps-system bench bench-full clean

# Install only when a requirements file changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# npm packages the tests use (package-lock.json): the Nu HTML Checker's vnu.jar. --ignore-scripts: its
# postinstall would download a Java runtime from GitHub; the tests run it with Debian's (deps-system).
$(NODE_STAMP): package.json package-lock.json | deps-system
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# After an edit, --dirty renders again only the edited documents and the pages that show them: lists,
# documents citing them, the home page (kb/rebuild.py; seconds, not a minute, at 2,000 documents: README
# "Performance"). The keyword listing tags/ stays as serve started. MkDocs warns on every dirty build, so
# serve cannot be strict; make build, make check and CI are.
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload --dirty --no-strict

build: $(STAMP)
	$(BIN)/python -m kb build --audience public --site-dir site

build-internal: $(STAMP)
	$(BIN)/python -m kb build --audience internal --site-dir site-internal

# Errors fail the check; warnings (numbering, 机关代字, 施行 wording, glossary…) fail it only with STRICT=1,
# which CI and make test use.
check: $(STAMP)
	$(BIN)/python -m kb check --format $(FORMAT)$(if $(STRICT), --strict)

# make new TYPE=fund SLUG=activity-subsidy TITLE=标题 [DOC_NUMBER=…] [INTERPRETS=…] [LANG=en]
# The values reach Python through the environment ("$$TITLE"), so quotes in a title cannot break the
# command; LANG counts only when given on the command line (the environment's LANG is the locale).
new: $(STAMP)
	@PYTHONUTF8=1 $(BIN)/python -m kb new "$$TYPE" "$$SLUG" --title "$$TITLE" --doc-number "$$DOC_NUMBER" \
		--interprets "$$INTERPRETS" --lang "$(if $(filter command line,$(origin LANG)),$(LANG))"

# make import FILE=旧文件/x.docx [TYPE=policy|fund|talent|case|interpretation] [SLUG=…]  or  make import DIR=旧文件
# Word (.docx) and PDF 公文 → docs/<section>/<slug>.md (README "Importing"); values through the environment as for new.
import: $(STAMP)
	@PYTHONUTF8=1 $(BIN)/python -m kb import "$$FILE" --dir "$$DIR" --type "$$TYPE" --slug "$$SLUG"

# Regenerate schemas/*.schema.json and .vscode/kb.code-snippets from kb/schema.py and data/*.yml.
schemas: $(STAMP)
	$(BIN)/python -m kb schema

# Debian packages the tests drive, installed with apt-get only when missing (as root): chromium for
# the browser tests (Playwright cannot download its own browser here), nginx for the deployment tests
# (tests/test_deploy_served.py serves the site through deploy/nginx.conf), Java and npm for the W3C Nu
# HTML Checker (tests/test_html_validity.py; npm installs it), a small CJK font so that the screenshots
# tests/test_a11y.py takes are readable (no test depends on it).
SYSTEM_DEPS := /usr/bin/chromium=chromium /usr/sbin/nginx=nginx /usr/bin/java=default-jre-headless \
	/usr/bin/npm=npm /usr/share/fonts/truetype/wqy/wqy-microhei.ttc=fonts-wqy-microhei
deps-system:
	@missing=""; for dep in $(SYSTEM_DEPS); do test -e "$${dep%%=*}" || missing="$$missing $${dep#*=}"; done; \
	test -z "$$missing" || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; }

browser: deps-system

# Lint, format and types of the Python (pyproject.toml [tool.ruff], [tool.mypy]); make test runs it first.
lint: $(DEV_STAMP)
	$(BIN)/ruff check kb hooks tests bench
	$(BIN)/ruff format --check kb hooks tests bench
	$(BIN)/mypy

# Lint first, then the strict content check: a warning in docs/ fails the suite as an error does.
test: $(DEV_STAMP) deps-system $(NODE_STAMP) lint
	$(BIN)/python -m kb check --strict --format $(FORMAT)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

# The product at N synthetic documents against a plain Material build of the same documents: prints a
# table, writes bench/results.json (README "Performance"). Not part of make test: it takes minutes.
N ?= 2000
bench: $(DEV_STAMP) deps-system
	$(BIN)/python -m bench $(N)

# 2,000 (the size of issue 8's targets), 10,000 and 20,000 (issue 17's); both issues' targets are judged
# at the size they name, and the report shows how the build grows from 10,000 to 20,000. The plain
# Material reference stops at REFERENCE_MAX: its output grows as N² (every page lists every document),
# 1.6 GB and two and a half minutes at 2,000 documents; make serve is timed up to 10,000, where its target is.
REFERENCE_MAX ?= 2000
bench-full: $(DEV_STAMP) deps-system
	$(BIN)/python -m bench 2000 10000 20000 --reference-max $(REFERENCE_MAX)

clean:
	rm -rf site site-internal .site.* .site-internal.* .pytest_cache
