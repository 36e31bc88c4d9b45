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

# The stubs' stdlib is "a reduced and augmented copy of typeshed's stdlib": its builtins.pyi still declares
# CPython methods MicroPython does not have (str.removeprefix, str.zfill, int.bit_length, ...) and its os stub
# still declares os.makedirs, os.walk, os.getpid, ... Rename those declarations to _not_on_micropython_<name>
# so that a call to one is reported as a missing attribute. Allow-lists: the methods MicroPython 1.27 really
# has (dir() on the WebAssembly port; the ESP32 build has the same method set) and the ESP32 port's os
# functions. Idempotent; only non-dunder methods of a few builtin types and module-level os functions.
"$VENV/bin/python" - "$STUBS" <<'PY'
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

PREFIX = "_not_on_micropython_"

_STR = {
    "center", "count", "encode", "endswith", "find", "format", "index", "isalpha", "isdigit", "islower",
    "isspace", "isupper", "join", "lower", "lstrip", "partition", "replace", "rfind", "rindex", "rpartition",
    "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "upper",
}
_BYTES = (_STR - {"encode"}) | {"decode", "fromhex", "hex"}
BUILTIN_METHODS: dict[str, set[str]] = {
    "str": _STR,
    "bytes": _BYTES,
    # insert: MicroPython's bytearray has none, but the stub's MutableSequence base declares it abstract
    "bytearray": _BYTES | {"append", "extend", "insert"},
    "int": {"from_bytes", "to_bytes"},
    "float": set(),
    "tuple": {"count", "index"},
    "list": {"append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"},
    "dict": {"clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update",
             "values"},
    "set": {"add", "clear", "copy", "difference", "difference_update", "discard", "intersection",
            "intersection_update", "isdisjoint", "issubset", "issuperset", "pop", "remove",
            "symmetric_difference", "symmetric_difference_update", "union", "update"},
}
# the ESP32 port's os module (extmod/modos.c with the esp32 port's options)
OS_FUNCTIONS = {
    "chdir", "dupterm", "dupterm_notify", "getcwd", "ilistdir", "listdir", "mkdir", "mount", "remove",
    "rename", "rmdir", "stat", "statvfs", "sync", "umount", "uname", "unlink", "urandom",
}


def _functions(body: list[ast.stmt]) -> list[ast.FunctionDef]:
    # function definitions in a body, looking inside `if sys.version_info ...` blocks but not inside classes
    out: list[ast.FunctionDef] = []
    for node in body:
        if isinstance(node, ast.FunctionDef):
            out.append(node)
        elif isinstance(node, ast.If):
            out += _functions(node.body) + _functions(node.orelse)
    return out


def _unwanted(funcs: list[ast.FunctionDef], allowed: set[str]) -> list[ast.FunctionDef]:
    return [f for f in funcs if not f.name.startswith("__") and not f.name.startswith(PREFIX)
            and not f.name.startswith("_") and f.name not in allowed]


def _rename(path: Path, targets: list[ast.FunctionDef]) -> int:
    with open(path, encoding="utf-8", newline="") as f:   # newline="": keep the file's line endings
        lines = f.read().splitlines(keepends=True)
    for f in targets:
        i = f.lineno - 1
        new, n = re.subn(r"\bdef %s\(" % re.escape(f.name), "def %s%s(" % (PREFIX, f.name), lines[i], count=1)
        if n != 1:
            raise SystemExit(f"typecheck_firmware: cannot rename {f.name} at {path}:{f.lineno}")
        lines[i] = new
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(lines))
    return len({f.name for f in targets})


def narrow(root: Path) -> None:
    builtins = root / "stdlib" / "builtins.pyi"
    tree = ast.parse(builtins.read_text(encoding="utf-8"), filename=str(builtins))
    targets: list[ast.FunctionDef] = []
    seen: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in BUILTIN_METHODS:
            seen.add(node.name)
            targets += _unwanted(_functions(node.body), BUILTIN_METHODS[node.name])
    missing = set(BUILTIN_METHODS) - seen
    if missing:
        raise SystemExit(f"typecheck_firmware: classes not found in {builtins}: {sorted(missing)}")
    n_builtins = _rename(builtins, targets)

    os_stub = root / "stdlib" / "os" / "__init__.pyi"
    tree = ast.parse(os_stub.read_text(encoding="utf-8"), filename=str(os_stub))
    n_os = _rename(os_stub, _unwanted(_functions(tree.body), OS_FUNCTIONS))
    if n_builtins or n_os:
        print(f"typecheck_firmware: hid {n_builtins} builtin methods and {n_os} os functions "
              "that MicroPython does not have")


narrow(Path(sys.argv[1]))
PY

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
