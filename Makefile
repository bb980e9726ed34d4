# Two commands a newcomer needs: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1

.PHONY: run test lint check-migrations messages pytest pytest-hanoi-night bench bench-load install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

check-migrations: $(STAMP)
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(PY) manage.py check

messages: $(STAMP)
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

# SQLite always; the database in DATABASE_URL as well when it is set (CI sets PostgreSQL).
pytest: $(STAMP)
	env -u DATABASE_URL $(PY) -m pytest -n 2 -q
	@if [ -n "$$DATABASE_URL" ]; then echo "== PostgreSQL: $$DATABASE_URL"; $(PY) -m pytest -n 2 -q; fi

# The suite on SQLite with the clock at 04:40 in Hanoi, 21:40 UTC the day before (libfaketime, Debian's faketime):
# "today" must be Vietnam's date in Python and in the database alike. CI runs it after `make test`.
# Without the browser tests: under libfaketime Playwright never lets htmx's typed triggers fire (even at noon), and
# the browser is the officer's machine with its own clock; the pages they drive are tested in this pass by view tests.
pytest-hanoi-night: $(STAMP)
	@command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime"; exit 1; }
	env -u DATABASE_URL TZ=UTC EXPECT_HANOI_NIGHT=1 \
		faketime "$$(date -u -d yesterday +%Y-%m-%d) 21:40:00" $(PY) -m pytest -n 2 -q -m "not browser"

test: lint check-migrations messages pytest

bench: $(STAMP)
	$(PY) -m benchmarks

# 50 officers for 2 minutes against gunicorn (2 workers) on PostgreSQL, 127.0.0.1 only (benchmarks/bench_load.py).
bench-load: $(STAMP)
	$(PY) -m benchmarks load

clean:
	rm -rf $(VENV) staticfiles
