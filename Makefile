# luoshi: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= $(or $(LUOSHI_TEST_DATABASE_URL),postgres://postgres@127.0.0.1:5432/test)

.PHONY: demo test install install-test lint test-sqlite test-postgres bench serve clean browser converter

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The demo's data dir is var/demo; its key file is the one settings read from a data dir (as `luoshi init` writes it).
PORT ?= 8000
var/demo/secret_key:
	@mkdir -p var/demo
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The port is checked before anything is loaded: a busy one gets one line saying how to pick another (PORT=N).
demo: install var/demo/secret_key
	@$(MAKE) --no-print-directory converter CONVERTER_OPTIONAL=1
	@LUOSHI_DATA_DIR=var/demo $(BIN)/luoshi demo --serve --port $(PORT)

lint: install-test
	$(BIN)/ruff check luoshi bench conftest.py
	$(BIN)/ruff format --check luoshi bench conftest.py
	$(BIN)/mypy luoshi bench

# Browser tests run Debian's chromium (never a browser Playwright would download): install it when missing.
CHROMIUM ?= $(or $(LUOSHI_CHROMIUM),$(shell command -v chromium || command -v chromium-browser))
browser:
	@if [ -z "$(CHROMIUM)" ]; then \
		echo "== apt-get install chromium (for the browser tests) =="; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; } \
		|| { echo "chromium could not be installed: install it with apt, or set LUOSHI_CHROMIUM"; exit 1; }; \
	fi
	@# The visual check needs a Chinese font, else every Han character is drawn as a box.
	@if ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
		echo "== apt-get install fonts-wqy-microhei (a Chinese font for the browser tests) =="; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends fonts-wqy-microhei; } \
		|| { echo "no Chinese font could be installed: install fonts-wqy-microhei or fonts-noto-cjk with apt"; exit 1; }; \
	fi

# .doc and .wps uploads are converted by LibreOffice (Debian's libreoffice-writer-nogui): install it when
# missing. `make test` needs it (LUOSHI_REQUIRE_CONVERTER=1); `make demo` goes on without it, and such uploads
# are then refused with a note to save them as .docx.
SOFFICE ?= $(or $(LUOSHI_SOFFICE),$(shell command -v soffice || command -v libreoffice))
converter:
	@if [ -z "$(SOFFICE)" ]; then \
		echo "== apt-get install libreoffice-writer-nogui (converts .doc and .wps uploads) =="; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-writer-nogui; } \
		|| { if [ -n "$(CONVERTER_OPTIONAL)" ]; then echo "LibreOffice could not be installed: .doc/.wps uploads will be refused"; \
		     else echo "LibreOffice could not be installed: install libreoffice-writer-nogui with apt, or set LUOSHI_SOFFICE"; exit 1; fi; }; \
	fi

test-sqlite: install-test browser converter
	@echo "== tests on SQLite =="
	DATABASE_URL=sqlite:///$(CURDIR)/var/test/luoshi.sqlite3 LUOSHI_REQUIRE_BROWSER=1 LUOSHI_REQUIRE_CONVERTER=1 $(BIN)/python -m pytest -q

# PostgreSQL: LUOSHI_TEST_DATABASE_URL, or the server at 127.0.0.1:5432 when it answers.
test-postgres: install-test browser converter
	@if [ -n "$(LUOSHI_TEST_DATABASE_URL)" ] || $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "== database tests on PostgreSQL ($(PG_URL)) =="; \
		DATABASE_URL="$(PG_URL)" LUOSHI_DB_TESTS_ONLY=1 LUOSHI_REQUIRE_BROWSER=1 LUOSHI_REQUIRE_CONVERTER=1 $(BIN)/python -m pytest -q && echo "postgresql" >> var/test/databases; \
	else echo "== PostgreSQL not reachable: skipped =="; fi

# Everything the tests need is in the repository. Tests that measure on the development corpus run
# only when LUOSHI_CORPUS_DIR names it (an environment variable, passed through as it is).
test: lint
	@mkdir -p var/test && echo "sqlite" > var/test/databases
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	@echo "databases tested: $$(tr '\n' ' ' < var/test/databases)"
	@if [ -n "$$LUOSHI_CORPUS_DIR" ]; then echo "corpus tests: ran on LUOSHI_CORPUS_DIR=$$LUOSHI_CORPUS_DIR"; \
	else echo "corpus tests: skipped (LUOSHI_CORPUS_DIR not set)"; fi

bench: install-test
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/ingest_scale.py
	$(BIN)/python bench/headings.py
	$(BIN)/python bench/decompose_eval.py
	$(BIN)/python bench/table_eval.py
	$(BIN)/python bench/review_eval.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/ocr.py

serve: install
	$(BIN)/luoshi serve

clean:
	rm -rf var/test .pytest_cache .mypy_cache .ruff_cache

# Render a sample bulletin and look at it (outside `make test`): installs from Debian what is missing
# (CJK fonts, LibreOffice Writer, poppler-utils, Pango for WeasyPrint), then writes bench/results/*.png.
RENDER_DEBS := fonts-noto-cjk libreoffice-writer-nogui poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
.PHONY: render-check
render-check: install-test
	@missing=""; for p in $(RENDER_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "== apt-get install$$missing =="; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing \
		|| DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			$$(echo $$missing | sed 's/libreoffice-writer-nogui/libreoffice-writer/'); \
	fi
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test,pdf]"
	$(BIN)/python bench/render_check.py

# docs/administration.md's table of every access predicate, from the stages' access.py tables.
.PHONY: access-table
access-table: install
	LUOSHI_DEBUG=1 LUOSHI_DATA_DIR=$(CURDIR)/var/messages $(BIN)/luoshi access_table --write docs/administration.md

# Chinese interface: refresh luoshi/locale/zh_Hans/LC_MESSAGES/django.po from the templates and Python
# of every luoshi app (tests excluded), then compile django.mo. Translate new or fuzzy entries before committing.
.PHONY: messages
messages: install
	cd luoshi && LUOSHI_DEBUG=1 LUOSHI_DATA_DIR=$(CURDIR)/var/messages ../$(BIN)/luoshi makemessages -l zh_Hans --no-obsolete -i "tests/*" -i "*/tests/*"
	cd luoshi && LUOSHI_DEBUG=1 LUOSHI_DATA_DIR=$(CURDIR)/var/messages ../$(BIN)/luoshi compilemessages -l zh_Hans
	@msgfmt --statistics -o /dev/null luoshi/locale/zh_Hans/LC_MESSAGES/django.po
