#!/usr/bin/env bash
# setup.sh: installs what the demo and the tests need on a fresh Debian machine (run as root), and says so.
#   system: mosquitto, mosquitto-clients, influxdb (1.x), victoria-metrics, node + npm, python3-venv,
#           openssl (test certificates for the broker's TLS listener)
#   python: a virtualenv in .venv with the project and its dev tools
#   npm:    the MicroPython WebAssembly port (firmware tests under real MicroPython)
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

missing=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || missing+=(mosquitto-clients)
command -v influxd >/dev/null 2>&1 || missing+=(influxdb)
command -v victoria-metrics >/dev/null 2>&1 || missing+=(victoria-metrics)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    say "need root for apt-get: run 'sudo $0' once"; exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "Debian packages present (mosquitto, influxdb, victoria-metrics, node, python3, openssl)"
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "Python 3.11 or newer is required (found $(python3 --version))"; exit 1
fi

stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  say "creating the Python virtualenv in .venv and installing the project (pip)"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e '.[dev]'
  rm -f .venv/.installed-*
  touch "$stamp"
else
  say "Python virtualenv up to date (.venv)"
fi

if [ ! -f node_modules/@micropython/micropython-webassembly-pyscript/micropython.mjs ]; then
  say "installing the MicroPython WebAssembly port from npm (node_modules)"
  npm ci --no-audit --no-fund --loglevel=error
else
  say "MicroPython WebAssembly port present (node_modules)"
fi
say "ready"
