# ServicePolice: the README's commands. `make run` sets up and serves; `make test` tests.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint format setup sysdeps sysdeps-test venv migrate demo serve lock clean bench bench-lite

run: sysdeps venv migrate demo serve

setup: sysdeps venv migrate

sysdeps:
	@scripts/sysdeps.sh run

sysdeps-test:
	@scripts/sysdeps.sh test

venv: .venv/.installed

.venv/.installed: requirements.lock scripts/make_venv.sh
	@scripts/make_venv.sh

migrate: venv
	$(PY) manage.py migrate --noinput

demo: venv
	$(PY) manage.py load_demo
	$(PY) manage.py demo_user

serve:
	@echo "Serving ServicePolice on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: sysdeps-test venv
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: venv
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check: sysdeps-test venv lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(PY) -m pytest $(PYTEST_ARGS)

# The national-scale benchmark (not part of `make test`; see bench/README.md): PostGIS at
# BENCH_DATABASE_URL (default: database servicepolice_bench on 127.0.0.1, created and filled with
# `generate_dataset --scale national` if empty), gunicorn with 2 workers, 16 clients.
bench: venv
	$(PY) -m bench.run $(BENCH_ARGS)

# A smaller run on SpatiaLite: region-scale data in var/bench-lite.sqlite3, no SQL floors.
bench-lite: venv
	$(PY) -m bench.run --lite $(BENCH_ARGS)

# Re-pin requirements.lock from pyproject.toml (needs the registry).
lock: venv
	.venv/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf .venv var .pytest_cache .ruff_cache
