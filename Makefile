# Two commands on a fresh machine:
#   make run   - virtualenv, install, migrate, load the demo, serve http://127.0.0.1:8000 (SQLite, Celery in-process)
#   make test  - the whole suite against PostgreSQL and Redis with a real Celery worker
#   make coverage - the same suite, then its branch coverage (.coveragerc)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test coverage audit chromium pdf-deps install migrate demo bench load messages lint clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py migrate --noinput

# With ../shared/corpora beside the project, the demo also holds the real Kazakh case (1995 -> 2026, aligned).
CORPORA ?= $(wildcard ../shared/corpora)

# The real case is a second step whose failure (texts changed, a parser warning) is said and does not stop `make run`.
demo: migrate pdf-deps
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py load_demo
	-$(if $(CORPORA),DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py load_demo --corpora $(CORPORA),true)

run: demo
	@echo "Serving the demo consultation on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, user admin / password admin)"
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The browser tests drive Debian's chromium; install it when missing and we may (root), else they skip.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		{ timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends chromium; } >/dev/null 2>&1 || true; \
	fi
	@[ -x /usr/bin/chromium ] || echo "Debian chromium not found at /usr/bin/chromium; apt-get install chromium (the browser tests will skip)"

# PDF reports: WeasyPrint loads Pango and HarfBuzz, draws Kazakh and Russian in DejaVu Sans; the PDF tests read pages
# back with poppler (pdftoppm, pdffonts). Installed when missing and we may (root, Debian), else the command is printed:
# without them a report's PDF step fails with that error recorded on the report, and the PDF tests skip.
PDF_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf-deps:
	@missing=""; if command -v dpkg-query >/dev/null; then \
		for p in $(PDF_DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	fi; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's$$missing for the PDF reports"; \
		{ timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends $$missing; } >/dev/null 2>&1 || true; \
		missing=""; for p in $(PDF_DEBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; done; \
	fi; \
	if [ -n "$$missing" ]; then echo "PDF reports need:$$missing; apt-get install$$missing (PDFs fail with that error, their tests skip)"; \
	elif ! command -v dpkg-query >/dev/null; then echo "Not Debian: install Pango, HarfBuzz, the DejaVu fonts and poppler for PDF reports"; fi

# Two worker processes (pytest-xdist), each with a test database, cache prefix and Celery queue of its own
# (config/settings/test.py); `make test TEST_WORKERS=0` runs the suite in one process. Tests marked with an
# xdist_group run in one worker (loadgroup), e.g. tests/faults/, whose services are started once per worker.
TEST_WORKERS ?= 2

test: install chromium pdf-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Branch coverage of the application's code (.coveragerc: migrations and tests left out); the report
# lists each file not fully covered with its missed lines and branches, then the total.
coverage: install chromium pdf-deps
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest --cov --cov-report=term $(PYTEST_ARGS)

# Supply chain: pip-audit of requirements.txt's pins, against OSV and then PyPI's JSON API
# (tests/config/test_supply_chain.py). Where no vulnerability service answers, it is a skip that says nothing
# was checked and why, never "no known vulnerabilities"; a vulnerable pin fails, listed with its fixed versions.
audit: install
	$(BIN)/python -m pytest -p no:cacheprovider -p no:django -W ignore::pytest.PytestConfigWarning -rs -q tests/config/test_supply_chain.py

bench: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m bench

# Load at a fixed arrival rate (bench/load.py; not part of `make test`, about 5 minutes): 90% anonymous reads and 10%
# comment submissions offered open-loop, stepped up until p99 passes 100 ms, against the one-INSERT baseline view.
load: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m bench.load $(LOAD_ARGS)

messages: install
	$(BIN)/python manage.py makemessages -l kk -l ru -l en --ignore=$(VENV) --ignore=bench --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=$(VENV)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .coverage htmlcov
