# Two commands for a fresh machine with Python 3.11 and make: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install lock migrate lint format messages worker beat clean

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Re-resolve within pyproject.toml's bounds and record the exact versions in constraints.txt.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade -e ".[test]"
	{ echo "# Exact versions the tests ran with; make install uses it as pip constraints (refresh: make lock)."; \
	  $(PY) -m pip freeze --exclude-editable | grep -v -i -E "^(pip|setuptools|wheel)=="; } > constraints.txt

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	@$(PY) manage.py shell -c "from franchise.models import Franchisee; raise SystemExit(0 if Franchisee.objects.exists() else 1)" \
		|| $(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Needs GNU gettext; the compiled .mo is committed so `run` and `test` do not.
messages: install
	$(PY) manage.py makemessages -l ru --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages -l ru --ignore=.venv

worker: install
	$(VENV)/bin/celery -A portal worker -l info

beat: install
	$(VENV)/bin/celery -A portal beat -l info

# HTTP load against gunicorn (2 workers) with the demo network: req/s, p95, ratio to a bare view.
.PHONY: bench
bench: install
	$(PY) bench/http_load.py $(BENCH_ARGS)

# In-process benchmarks (figures and ratios, see bench/README.md); BENCH_ARGS="--units 5000".
.PHONY: bench-analytics bench-network bench-pdf
bench-analytics: install
	$(PY) bench/bench_analytics.py $(BENCH_ARGS)

bench-network: install
	$(PY) bench/bench_network.py $(BENCH_ARGS)

bench-pdf: install
	$(PY) bench/bench_pdf.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3
