# ServicePolice: the README's commands. `make run` sets up and serves; `make test` tests.
SHELL := /bin/bash
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint format setup sysdeps sysdeps-test venv migrate demo serve lock clean \
	messages compilemessages translations bench-planner bench bench-lite

run: sysdeps venv compilemessages migrate demo serve

setup: sysdeps venv compilemessages migrate

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

test: sysdeps-test venv compilemessages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: venv
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

check: sysdeps-test venv compilemessages lint translations
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(PY) -m pytest $(PYTEST_ARGS)

# Translations (README, "Languages"). The one extraction command: Russian msgids from the code
# and templates into locale/{ru,kk,en}; the Russian catalog then gets msgstr = msgid.
MAKEMESSAGES := $(PY) manage.py makemessages -l ru -l kk -l en --add-location=file --no-obsolete \
	--ignore='.venv/*' --ignore='tests/*' --ignore='bench/*' --ignore='var/*'
messages: venv
	$(MAKEMESSAGES)
	$(MAKEMESSAGES) -d djangojs
	$(PY) scripts/upstream_catalog.py
	$(PY) scripts/check_translations.py --fill-russian

# .mo files are built here, never committed; rebuilt when a .po is newer.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale_overrides/*/LC_MESSAGES/*.po \
	locale_upstream/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
compilemessages: $(MO_FILES)
%.mo: %.po
	msgfmt --check-format -o $@ $<

# Fails on a missing or fuzzy translation in any language and domain.
translations: venv
	$(PY) scripts/check_translations.py

# Timing of a district-sized siting plan (2,000 candidates, 5,000 demand points, 5 sites).
bench-planner: venv
	$(PY) -m bench.planner

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
