"""`cityhub firmware build`: the bundle holds the core, hal and drivers plus only the chosen kind's app
modules (found from APPS and imports), compiled with mpy-cross, each listed with its SHA-256; and the
compiled bundle really imports under MicroPython."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hub.cli.main import app
from hub.provision.boards import load_board
from hub.provision.bundle import FIRMWARE_DIR, BundleError, app_modules, build_bundle, read_bundle

REPO = Path(__file__).resolve().parents[2]
MP_PACKAGE = REPO / "node_modules" / "@micropython" / "micropython-webassembly-pyscript" / "micropython.mjs"


def test_water_meter_bundle_has_core_hal_drivers_and_only_its_own_app(tmp_path: Path) -> None:
    bundle = build_bundle("water_meter", load_board("esp32-devkitc"), tmp_path / "b")
    paths = set(bundle.files)
    apps = {p for p in paths if "/apps/" in p}
    assert apps == {"/lib/cityfw/apps/__init__.mpy", "/lib/cityfw/apps/water_meter.mpy",
                    "/lib/cityfw/apps/water_alarms.mpy", "/lib/cityfw/apps/leak_window.mpy"}
    for sub in ("core", "hal", "drivers"):
        for src in (FIRMWARE_DIR / sub).glob("*.py"):
            assert f"/lib/cityfw/{sub}/{src.stem}.mpy" in paths, f"{sub}/{src.name} missing from the bundle"
    assert {"/main.py", "/board.json", "/lib/cityfw/__init__.mpy"} <= paths
    assert not any(p.endswith(".py") and p != "/main.py" for p in paths), "firmware modules must be compiled"


def test_manifest_lists_every_file_with_its_hash_and_source(tmp_path: Path) -> None:
    build_bundle("water_meter", load_board("esp32-c3-devkitm-1"), tmp_path / "b")
    bundle = read_bundle(tmp_path / "b")
    assert (bundle.kind, bundle.board, bundle.manifest["mpy_version"]) == ("water_meter", "esp32-c3-devkitm-1", 6)
    on_disk = {"/" + p.relative_to(bundle.path).as_posix() for p in bundle.path.rglob("*") if p.is_file()}
    assert on_disk == set(bundle.files) | {"/manifest.json"}
    for board_path, info in bundle.files.items():
        data = bundle.local(board_path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"] and len(data) == info["size"]
        if board_path.endswith(".mpy"):
            assert data[:2] == b"M\x06", f"{board_path} is not a .mpy v6 file"
            src = FIRMWARE_DIR / info["source"]
            assert hashlib.sha256(src.read_bytes()).hexdigest() == info["source_sha256"]
    assert json.loads(bundle.local("/board.json").read_text())["name"] == "esp32-c3-devkitm-1"
    assert bundle.stale_sources() == []


def test_a_damaged_bundle_is_refused(tmp_path: Path) -> None:
    bundle = build_bundle("water_meter", load_board("esp32-devkitc"), tmp_path / "b")
    bundle.local("/lib/cityfw/core/mqtt.mpy").write_bytes(b"M\x06garbage")
    with pytest.raises(BundleError, match="mqtt.mpy does not match its manifest"):
        bundle.verify()


def test_a_new_kind_is_bundled_from_apps_and_imports_without_code_changes(tmp_path: Path) -> None:
    fw = tmp_path / "firmware"
    shutil.copytree(FIRMWARE_DIR, fw, ignore=shutil.ignore_patterns("__pycache__"))
    boot = fw / "core" / "boot.py"
    boot.write_text(boot.read_text().replace('APPS = {', 'APPS = {\n    "air_sensor": "cityfw.apps.air_sensor",', 1))
    (fw / "apps" / "air_rules.py").write_text("# air_rules.py test helper\nLIMIT = 50\n")
    (fw / "apps" / "air_sensor.py").write_text(
        "# air_sensor.py test app\nfrom cityfw.apps import air_rules\nfrom cityfw.core import message\n"
        "APP_DEFAULTS = {'limit': air_rules.LIMIT}\n")
    found = {p.name for p in app_modules("air_sensor", fw)} - {"__init__.py"}
    assert found == {"air_sensor.py", "air_rules.py"}
    with pytest.raises(BundleError, match="unknown device kind 'nope'"):
        app_modules("nope", fw)


def test_firmware_build_cli_reports_the_bundle_and_refuses_a_bad_board(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["firmware", "build", "--kind", "water_meter", "--board", "esp32-devkitc",
                             "--out", str(tmp_path / "b")])
    assert ok.exit_code == 0, ok.output
    assert "Built" in ok.stdout and "water_meter.mpy" in ok.stdout
    bad = runner.invoke(app, ["firmware", "build", "--kind", "water_meter", "--board", "esp8266",
                              "--out", str(tmp_path / "c")])
    assert bad.exit_code == 1 and "unknown board 'esp8266'" in bad.stderr
    bad_kind = runner.invoke(app, ["firmware", "build", "--kind", "tram_stop", "--board", "esp32-devkitc",
                                   "--out", str(tmp_path / "d")])
    assert bad_kind.exit_code == 1 and "tram_stop" in bad_kind.stderr


def test_the_compiled_bundle_imports_and_builds_under_real_micropython(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not MP_PACKAGE.exists():
        pytest.fail("node and the MicroPython WebAssembly port are needed: run `make setup`")
    bundle = build_bundle("water_meter", load_board("esp32-devkitc"), tmp_path / "b")
    script = tmp_path / "load.mjs"
    script.write_text(
        "import fs from 'node:fs'; import path from 'node:path';\n"
        f"const {{ loadMicroPython }} = await import({json.dumps(MP_PACKAGE.as_uri())});\n"
        "const out = []; const mp = await loadMicroPython({ stdout: (l) => out.push(l) });\n"
        "const root = process.argv[2];\n"
        "function copy(d) { for (const e of fs.readdirSync(d, { withFileTypes: true })) {\n"
        "  const f = path.join(d, e.name); if (e.isDirectory()) { copy(f); continue; }\n"
        "  const dest = '/' + path.relative(root, f); mp.FS.mkdirTree(path.posix.dirname(dest));\n"
        "  mp.FS.writeFile(dest, fs.readFileSync(f)); } }\n"
        "copy(root);\n"
        "mp.runPython(\"from cityfw.core import boot\\nm = boot.app_module('water_meter')\\n"
        "print(m.__file__, sorted(m.APP_DEFAULTS)[0])\");\n"
        "console.log(out.join('\\n'));\n")
    proc = subprocess.run([node, str(script), str(bundle.path)], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "/lib/cityfw/apps/water_meter.mpy" in proc.stdout, proc.stdout
