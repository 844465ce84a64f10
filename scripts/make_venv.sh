#!/usr/bin/env bash
# Creates .venv with a Python whose sqlite3 can load extensions (SpatiaLite needs that), then
# installs the exact versions pinned in requirements.lock.
set -euo pipefail

venv=.venv
probe='import sqlite3; sqlite3.connect(":memory:").enable_load_extension(True)'

if [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c "$probe" 2>/dev/null; then
  echo "venv: $venv uses a Python whose sqlite3 cannot load extensions; recreating it"
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  python=""
  # Debian's Python first: a pyenv or other build first on PATH may lack extension loading.
  for candidate in /usr/bin/python3.11 /usr/bin/python3 "$(command -v python3.11 || true)" "$(command -v python3 || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if "$candidate" -c "import sys; assert sys.version_info >= (3, 11)" 2>/dev/null \
      && "$candidate" -c "$probe" 2>/dev/null; then
      python=$candidate
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "venv: no Python >= 3.11 whose sqlite3 can load extensions was found." >&2
    echo "      On Debian/Ubuntu: apt-get install python3 python3-venv" >&2
    exit 1
  fi
  echo "venv: creating $venv with $python"
  "$python" -m venv "$venv"
fi

if [ ! -f "$venv/.installed" ] || [ requirements.lock -nt "$venv/.installed" ]; then
  echo "venv: installing dependencies from requirements.lock"
  # uv is fast; it must trust the system's certificate store (a TLS-inspecting proxy's CA
  # lives there). If uv cannot be had or fails, pip installs the same pinned versions.
  if "$venv/bin/python" -m pip install -q uv \
    && "$venv/bin/uv" pip install -q --system-certs --python "$venv/bin/python" -r requirements.lock; then
    :
  else
    echo "venv: uv failed; installing with pip instead"
    "$venv/bin/python" -m pip install -q -r requirements.lock
  fi
  touch "$venv/.installed"
fi
