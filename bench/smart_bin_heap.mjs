// smart_bin_heap.mjs: the smart bin firmware's Python heap per wake, on real MicroPython (the official
// WebAssembly port; see tests/firmware/micropython_runner.mjs). Source files (.py), compiled on import.
//
//   node bench/smart_bin_heap.mjs [--wakes N]
//
// The fake deep-sleeping board of tests/firmware/test_smart_bin_app.py (`Bin`: every wake is a fresh boot of
// cityfw.core.boot.build with only the flash directory and the RTC kept; WiFi down, so the outbox grows) is
// driven wake by wake from JS. The port only collects at the top level, between calls from JS, so each
// figure is gc.mem_alloc() after a collection between two calls: after the imports, and the live heap left
// after each wake (what the next boot would not have: on an ESP32 a deep sleep frees everything), plus the
// most a single wake allocated (the live peak of a wake is at most "after imports" + that).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(benchDir, "..");
const mpModule = path.join(repoRoot, "node_modules", "@micropython", "micropython-webassembly-pyscript", "micropython.mjs");
const args = process.argv.slice(2);
const wakes = args[0] === "--wakes" ? Number(args[1]) : 300;
if (!fs.existsSync(mpModule)) {
  console.error("smart_bin_heap: MicroPython WebAssembly port not installed: run `make setup`");
  process.exit(2);
}
const { loadMicroPython } = await import(pathToFileURL(mpModule).href);
const mp = await loadMicroPython({ heapsize: 1024 * 1024, stdout: (l) => console.log(l), linebuffer: true });

function copy(dir, to, recursive) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory() && recursive && ent.name !== "__pycache__") copy(full, path.posix.join(to, ent.name), true);
    else if (ent.isFile() && ent.name.endsWith(".py")) {
      mp.FS.mkdirTree(to);
      mp.FS.writeFile(path.posix.join(to, ent.name), fs.readFileSync(full));
    }
  }
}
copy(path.join(repoRoot, "firmware"), "/lib/cityfw", true);
copy(path.join(repoRoot, "tests", "firmware"), "/tests", false);
mp.FS.mkdirTree("/tmp");

const alloc = () => { mp.runPython("import gc\ngc.collect()\n_a = gc.mem_alloc()"); return mp.globals.get("_a"); };
mp.runPython("import gc, sys\nsys.path.insert(0, '/tests')\n");
const base = alloc();
mp.runPython("import test_smart_bin_app as t\nfrom support import scratch_dir\n" +
             "import cityfw.apps.smart_bin, cityfw.core.supervisor, cityfw.core.boot\n");
const imported = alloc();
mp.runPython("b = t.Bin(scratch_dir('heap'))\n");
let peak = 0;
let first = 0;
const all = [];
let after = [];
for (let i = 0; i < wakes; i++) {
  const before = alloc();
  mp.runPython("gc.collect()\n_b = gc.mem_alloc()\nb.wake()\n_w = gc.mem_alloc() - _b\nb.boards[:] = []\n");
  if (i === 0) first = mp.globals.get("_w");
  else { peak = Math.max(peak, mp.globals.get("_w")); all.push(mp.globals.get("_w")); }
  after.push(alloc() - before);
}
const t0 = performance.now();
mp.runPython(`for _ in range(${wakes}):\n    b.wake()\n    b.boards[:] = []\n`);
const perWake = (performance.now() - t0) / wakes;
console.log(`imports (firmware + test board, .py compiled on import): ${imported - base} B`);
console.log(`heap kept between wakes: ${after.slice(-10).reduce((a, b) => a + b, 0) / 10} B on average over the last 10`);
console.log(`allocated by the power-up boot (30 passes trying an absent broker): ${first} B`);
console.log(`most allocated by one deep-sleep wake (no collection inside a call): ${peak} B`);
all.sort((a, b) => a - b);
console.log(`allocated by a deep-sleep wake, median: ${all[all.length >> 1]} B (a reading only, no radio)`);
console.log(`time per wake on this port (node, ${wakes} wakes, WiFi down): ${perWake.toFixed(1)} ms`);
