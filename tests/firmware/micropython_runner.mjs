// micropython_runner.mjs: run the firmware tests (tests/firmware/test_*.py) under real MicroPython,
// the official WebAssembly port (npm @micropython/micropython-webassembly-pyscript, see package.json).
//
//   node tests/firmware/micropython_runner.mjs                 # every tests/firmware/test_*.py
//   node tests/firmware/micropython_runner.mjs test_message.py # only these (name, name.py or a path)
//
// Layout inside MicroPython's in-memory FS: firmware/**.py -> /lib/cityfw/**.py (import cityfw.x),
// tests/firmware/*.py -> /tests/ (first on sys.path, so `import support` works), scratch dir /tmp.
// Output: PASS/FAIL lines (+ traceback), then `MPTEST passed=N failed=M` as the last line.
// Exit code: 0 only if failed == 0 and passed > 0; 1 on test failures; 2 on usage/setup errors.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HEAP_BYTES = 8 * 1024 * 1024;
const testsDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(testsDir, "..", "..");
const firmwareDir = path.join(repoRoot, "firmware");
const mpModule = path.join(
  repoRoot, "node_modules", "@micropython", "micropython-webassembly-pyscript", "micropython.mjs");

function die(msg) {
  console.error("micropython_runner: " + msg);
  console.log("MPTEST passed=0 failed=0 error=setup");
  process.exit(2);
}

function pyFiles(dir, recursive) {
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) {
      if (recursive && ent.name !== "__pycache__" && !ent.name.startsWith(".")) out.push(...pyFiles(full, true));
    } else if (ent.isFile() && ent.name.endsWith(".py")) {
      out.push(full);
    }
  }
  return out.sort();
}

// which test modules: all (null) or the ones named on the command line
let selected = null;
const args = process.argv.slice(2);
if (args.length) {
  selected = args.map((a) => {
    const base = path.basename(a);
    const file = base.endsWith(".py") ? base : base + ".py";
    if (!/^test_\w*\.py$/.test(file)) die(`not a firmware test file name: ${a}`);
    if (!fs.existsSync(path.join(testsDir, file))) die(`no such test file: tests/firmware/${file}`);
    return file;
  });
}

if (!fs.existsSync(mpModule)) {
  die(`MicroPython WebAssembly port not installed (${path.relative(repoRoot, mpModule)} missing): ` +
      "run `make setup` (or `npm install` at the repo root)");
}
const { loadMicroPython } = await import(pathToFileURL(mpModule).href);

const write = (stream) => (line) => stream.write(line + "\n");
const mp = await loadMicroPython({
  heapsize: HEAP_BYTES, stdout: write(process.stdout), stderr: write(process.stderr), linebuffer: true,
});

function copyTree(files, fromDir, toDir) {
  for (const file of files) {
    const dest = path.posix.join(toDir, path.relative(fromDir, file).split(path.sep).join("/"));
    mp.FS.mkdirTree(path.posix.dirname(dest));
    mp.FS.writeFile(dest, fs.readFileSync(file));
  }
}
copyTree(pyFiles(firmwareDir, true), firmwareDir, "/lib/cityfw");
copyTree(pyFiles(testsDir, false), testsDir, "/tests");
mp.FS.mkdirTree("/tmp");

const t0 = performance.now();
let passed = 0;
let failed = 0;
try {
  const namesLiteral = selected ? JSON.stringify(selected) : "None";
  mp.runPython(
    "import sys\n" +
    "sys.path.insert(0, '/tests')\n" +
    "import mprunner\n" +
    `_mptest = mprunner.run(${namesLiteral}, '/tests')\n` +
    "_mptest_passed, _mptest_failed = _mptest\n");
  passed = mp.globals.get("_mptest_passed");
  failed = mp.globals.get("_mptest_failed");
} catch (err) {
  // an exception escaping the runner itself (a broken mprunner.py, or a test calling sys.exit at import)
  console.log("FAIL mprunner (runner crashed)");
  console.log(err && err.name === "PythonError" ? err.message : String(err && err.stack || err));
  failed += 1;
}
const secs = ((performance.now() - t0) / 1000).toFixed(2);
console.log(`MicroPython ${secs}s`);
console.log(`MPTEST passed=${passed} failed=${failed}`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
