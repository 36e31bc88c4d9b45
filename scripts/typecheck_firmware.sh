#!/usr/bin/env bash
# Type-check the MicroPython firmware (firmware/, the package cityfw) against the MicroPython ESP32 stubs.
#
#   bash scripts/typecheck_firmware.sh [extra mypy args]
#
# The stubs (PyPI micropython-esp32-stubs + micropython-stdlib-stubs) are installed into .stubs/micropython,
# NEVER into .venv: they ship top-level stub files (requests/__init__.pyi, socket.pyi, time.pyi, ...) that
# shadow the real CPython packages and break the hub's type checking. Installed once; delete .stubs/ to
# re-install. Settings: scripts/mypy_firmware.ini.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

VENV="$REPO/.venv"
STUBS_VERSION="${MICROPYTHON_STUBS_VERSION:-1.29.*}"   # match the MicroPython the boards run
STUBS="$REPO/.stubs/micropython"
SRC="$REPO/.stubs/cityfw-src"                          # holds cityfw -> ../../firmware

if [ ! -x "$VENV/bin/mypy" ] || [ ! -x "$VENV/bin/pip" ]; then
    echo "typecheck_firmware: $VENV with mypy is missing: run 'make setup'" >&2
    exit 2
fi

if [ ! -f "$STUBS/machine.pyi" ] || [ ! -d "$STUBS/stdlib" ]; then
    echo "typecheck_firmware: installing micropython-esp32-stubs==$STUBS_VERSION into .stubs/micropython"
    rm -rf "$STUBS"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-user --no-compile \
        --target "$STUBS" "micropython-esp32-stubs==$STUBS_VERSION"
fi

# On CPython, cityfw is an editable install (an import hook mypy cannot follow). Give mypy a directory in
# which cityfw is the firmware directory, so `from cityfw.core import message` resolves to firmware/.
mkdir -p "$SRC"
if [ ! -L "$SRC/cityfw" ]; then
    rm -rf "$SRC/cityfw"
    ln -s ../../firmware "$SRC/cityfw"
fi

# Paths in mypy's messages say .stubs/cityfw-src/cityfw/...: print them as firmware/... instead.
set +e
MYPYPATH="$SRC:$STUBS" "$VENV/bin/mypy" \
    --config-file scripts/mypy_firmware.ini \
    --custom-typeshed-dir "$STUBS" \
    --cache-dir "$REPO/.stubs/mypy-cache" \
    -p cityfw "$@" 2>&1 | sed -e 's#\(^\|[^/]\)\.stubs/cityfw-src/cityfw/#\1firmware/#g'
status=${PIPESTATUS[0]}
set -e
exit "$status"
