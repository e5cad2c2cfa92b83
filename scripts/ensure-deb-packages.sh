#!/usr/bin/env bash
# Make sure Debian packages are installed: ensure-deb-packages.sh [--optional] PACKAGE...
#
# With --optional, a user who is not root only gets a warning (the features that
# need the packages report themselves unavailable).
#
# Installs the missing ones with apt-get when running as root (as CI does on a
# clean machine); otherwise prints the command to run and fails. On systems
# without dpkg it only warns: install the equivalents yourself.
set -euo pipefail

optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi
[ "$#" -gt 0 ] || { echo "usage: $0 [--optional] PACKAGE..." >&2; exit 2; }

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "ensure-deb-packages: not a Debian system; make sure these are installed: $*" >&2
    exit 0
fi

missing=()
for package in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-deb-packages: missing Debian packages: ${missing[*]}" >&2
    echo "  install them with: sudo apt-get install -y ${missing[*]}" >&2
    [ "$optional" = 1 ] && exit 0
    exit 1
fi

echo "ensure-deb-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists of a fresh machine (or CI image) are often empty or stale.
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2
