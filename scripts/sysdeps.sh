#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages ServicePolice needs, when they are missing.
#   scripts/sysdeps.sh run     GDAL, GEOS, PROJ, SpatiaLite, python3-venv, gettext (for `make run`)
#   scripts/sysdeps.sh test    the same plus Chromium (browser tests, for `make test`)
# As root it uses apt-get; otherwise `sudo -n apt-get` if sudo needs no password; otherwise it
# stops and names the packages to install.
set -euo pipefail

purpose=${1:-run}
packages=(gdal-bin libgeos-c1v5 libproj25 libsqlite3-mod-spatialite python3-venv gettext)
if [ "$purpose" = test ]; then
  packages+=(chromium libatomic1)  # libatomic1: the node that Playwright ships needs it
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian-like: check the libraries themselves and say what is missing.
  missing=()
  for lib in libgdal libgeos_c libproj mod_spatialite; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib")
  done
  command -v msgfmt >/dev/null 2>&1 || missing+=("gettext (msgfmt)")
  if [ "$purpose" = test ] && [ ! -x /usr/bin/chromium ]; then missing+=("chromium (/usr/bin/chromium)"); fi
  if [ ${#missing[@]} -gt 0 ]; then
    echo "sysdeps: this is not a Debian/Ubuntu system; install these with your package manager: ${missing[*]}" >&2
    exit 1
  fi
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "sysdeps: installing missing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt=(apt-get)
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  apt=(sudo -n apt-get)
else
  echo "sysdeps: cannot install system packages (not root, no password-less sudo). Run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update -q >/dev/null
"${apt[@]}" install -y -q --no-install-recommends "${missing[@]}" >/dev/null
echo "sysdeps: installed ${missing[*]}"
