// serial_board_repl.mjs: the REPL of a simulated board: real MicroPython (the official WebAssembly port) with
// the board's flash directory as its filesystem. Run by simulators/serial_board.py, which owns the pty.
//
//   node serial_board_repl.mjs <flash dir> <friendly|raw> <machine string>
//
// stdin: bytes from the serial line; stdout: bytes to it. The REPL itself (friendly REPL, Ctrl-A raw REPL,
// Ctrl-B, Ctrl-C, Ctrl-D) is MicroPython's own (pyexec, event-driven). This script adds what the WebAssembly
// port lacks: raw-paste mode (answered here, then fed to the raw REPL), `machine.reset()`, an `os.uname()`
// naming the simulated chip, and persistence: the flash directory is copied in at start and every change
// is written back after each command, so it survives resets like a real board's flash.
// Exit codes: 10 soft reset from the raw REPL, 12 soft reset from the friendly REPL, 11 machine.reset().
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const mpModule = path.join(here, "..", "node_modules", "@micropython", "micropython-webassembly-pyscript",
                           "micropython.mjs");
const [flashDir, startMode, machineName] = process.argv.slice(2);
if (!flashDir || !machineName) {
  console.error("usage: node serial_board_repl.mjs <flash dir> <friendly|raw> <machine>");
  process.exit(2);
}
const { loadMicroPython } = await import(pathToFileURL(mpModule).href);

let capture = null;   // while a raw-paste command runs, its output is held back to drop the leading "OK"
const send = (bytes) => { if (capture) capture.push(Buffer.from(bytes)); else process.stdout.write(Buffer.from(bytes)); };
const mp = await loadMicroPython({ heapsize: 2 * 1024 * 1024, stdout: send, stderr: send, linebuffer: false });

// --- flash: host directory <-> MicroPython's in-memory filesystem ---------------------------------------
const SYSTEM = new Set(["dev", "proc", "tmp", "home", "sim"]);
let known = new Map();   // board path -> "mtime:size" at the last sync

function loadFlash(dir, dest) {
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    const src = path.join(dir, ent.name);
    const to = path.posix.join(dest, ent.name);
    if (ent.isDirectory()) { mp.FS.mkdirTree(to); loadFlash(src, to); }
    else if (ent.isFile()) { mp.FS.writeFile(to, fs.readFileSync(src)); }
  }
}

function walkMem(dir, out) {
  for (const name of mp.FS.readdir(dir)) {
    if (name === "." || name === ".." || (dir === "/" && SYSTEM.has(name))) continue;
    const p = dir === "/" ? "/" + name : dir + "/" + name;
    const st = mp.FS.stat(p);
    if (mp.FS.isDir(st.mode)) { out.set(p, "dir"); walkMem(p, out); }
    else out.set(p, `${st.mtime.getTime()}:${st.size}`);
  }
  return out;
}

function syncFlash() {
  const now = walkMem("/", new Map());
  for (const [p, sig] of now) {
    const host = path.join(flashDir, p);
    if (sig === "dir") { if (known.get(p) !== "dir") fs.mkdirSync(host, { recursive: true }); continue; }
    if (known.get(p) !== sig) {
      fs.mkdirSync(path.dirname(host), { recursive: true });
      fs.writeFileSync(host + ".sync", mp.FS.readFile(p));
      fs.renameSync(host + ".sync", host);
    }
  }
  const gone = [...known.keys()].filter((p) => !now.has(p)).sort().reverse();   // files before their dirs
  for (const p of gone) fs.rmSync(path.join(flashDir, p), { recursive: true, force: true });
  known = now;
}

fs.mkdirSync(flashDir, { recursive: true });
loadFlash(flashDir, "/");
known = walkMem("/", new Map());

// --- what the WebAssembly port lacks: machine.reset(), an ESP32's os.uname() -------------------------------
let resetRequested = false;
mp.registerJsModule("_simhw", { reset: () => { resetRequested = true; } });
mp.FS.mkdirTree("/sim");
mp.FS.writeFile("/sim/machine.py",
  "# machine.py (simulated board): only what flashing and a technician at the REPL use\n" +
  "import _simhw\n" +
  "def reset():\n    _simhw.reset()\n    raise SystemExit\n" +
  "def soft_reset():\n    raise SystemExit\n" +
  "def freq():\n    return 160000000\n" +
  "def unique_id():\n    return b'\\x24\\x0a\\xc4\\x00\\x51\\x4d'\n");
// The WebAssembly port reports Emscripten's errno numbers (ENOENT is 44); an ESP32 reports MicroPython's
// (ENOENT is 2), and mpremote relies on them (a missing file must read as ENOENT).
const FIX_ERRNO =
  "import errno as _errno\n" +
  "_EM = {44: 'ENOENT', 20: 'EEXIST', 54: 'ENOTDIR', 31: 'EISDIR', 28: 'EINVAL', 55: 'ENOTEMPTY', 2: 'EACCES',\n" +
  "       63: 'EPERM', 8: 'EBADF', 29: 'EIO', 51: 'ENOSPC', 69: 'EROFS'}\n" +
  "def _fix(e):\n    n = _EM.get(e.args[0]) if e.args else None\n" +
  "    return OSError(getattr(_errno, n)) if n and hasattr(_errno, n) else e\n" +
  "def _wrap(fn):\n    def call(*a, **k):\n        try:\n            return fn(*a, **k)\n" +
  "        except OSError as e:\n            raise _fix(e)\n    return call\n";
mp.FS.writeFile("/sim/simos.py",
  "from os import *\n" + "import os as _os\n" + FIX_ERRNO +
  "stat = _wrap(_os.stat)\nmkdir = _wrap(_os.mkdir)\nremove = _wrap(_os.remove)\nrmdir = _wrap(_os.rmdir)\n" +
  "rename = _wrap(_os.rename)\n" +
  // the board's own files only (no Emscripten /dev, /proc, /tmp, /home, nor /sim), with sizes, as on a board
  "_HIDE = ('tmp', 'home', 'dev', 'proc', 'sim')\n" +
  "def _root(a):\n    p = a[0] if a else ''\n    return p == '/' or (p in ('', '.') and _os.getcwd() == '/')\n" +
  "def listdir(*a):\n    r = _wrap(_os.listdir)(*a)\n    return [n for n in r if n not in _HIDE] if _root(a) else r\n" +
  "def ilistdir(*a):\n    base = ((a[0] if a else '') or _os.getcwd()).rstrip('/')\n    out = []\n" +
  "    for e in _wrap(_os.ilistdir)(*a):\n        if _root(a) and e[0] in _HIDE:\n            continue\n" +
  "        size = 0\n        if not e[1] & 0x4000:\n            try:\n" +
  "                size = _os.stat(base + '/' + e[0])[6]\n            except OSError:\n                pass\n" +
  "        out.append((e[0], e[1], e[2] if len(e) > 2 else 0, size))\n    return iter(out)\n" +
  "chdir = _wrap(_os.chdir)\nstatvfs = _wrap(_os.statvfs)\n" +
  "import builtins as _b\n_b.open = _wrap(_b.open)\n" +
  "class _Uname:\n    sysname = 'esp32'\n    nodename = 'esp32'\n    release = '1.27.0'\n" +
  "    version = 'v1.27.0 (simulated serial board)'\n    machine = " + JSON.stringify(machineName) + "\n" +
  "def uname():\n    return _Uname()\n");
mp.runPython("def _setup():\n import sys, simos\n sys.modules['os'] = simos\n" +
             "_setup_path = '/sim'\n" +
             "import sys, os\nsys.path.append('/sim')\nos.chdir('/')\n_setup()\ndel _setup, _setup_path, sys, os\n");

// --- the serial line ------------------------------------------------------------------------------------
let raw = false;        // mirrors pyexec's mode: Ctrl-A enters the raw REPL, Ctrl-B leaves it
let rawLen = 0;         // bytes typed into the raw REPL since its last prompt
let paste = null;       // raw-paste state: {step, data, count}
const WINDOW = 256;

function finish(code) {
  syncFlash();
  process.stdout.write("MPY: soft reboot\r\n", () => process.exit(code));
}

function feed(byte) {
  const ret = mp.replProcessChar(byte);
  if (raw) {
    if (byte === 0x02) raw = false;
    else if (byte === 0x04 || byte === 0x03) { rawLen = 0; syncFlash(); }
    else rawLen += 1;
  } else if (byte === 0x01) { raw = true; rawLen = 0; }
  else if (byte === 0x0d) syncFlash();
  if (resetRequested) { syncFlash(); process.stdout.write("", () => process.exit(11)); return false; }
  if (ret) { finish(raw ? 10 : 12); return false; }
  return true;
}

function runPaste(code) {
  capture = [];
  let alive = true;
  for (const b of code) { alive = feed(b); if (!alive) break; }
  if (alive) feed(0x04);
  let out = Buffer.concat(capture);
  capture = null;
  if (out.subarray(0, 2).toString() === "OK") out = out.subarray(2);
  process.stdout.write(out);
}

function onByte(b) {
  if (paste) {
    if (paste.step === "A") {
      if (b === 0x41) { paste.step = "1"; return true; }
      paste = null; feed(0x05); return feed(b);
    }
    if (paste.step === "1") {
      if (b === 0x01) {
        paste = { step: "data", data: [], count: 0 };
        process.stdout.write(Buffer.from([0x52, 0x01, WINDOW & 0xff, WINDOW >> 8]));
        return true;
      }
      paste = null; feed(0x05); feed(0x41); return feed(b);
    }
    if (b === 0x04) {
      const code = paste.data;
      paste = null;
      process.stdout.write(Buffer.from([0x04]));
      runPaste(code);
      return true;
    }
    paste.data.push(b);
    if (++paste.count >= WINDOW) { paste.count = 0; process.stdout.write(Buffer.from([0x01])); }
    return true;
  }
  if (raw && rawLen === 0 && b === 0x05) { paste = { step: "A" }; return true; }
  return feed(b);
}

mp.replInit();   // prints the banner and the friendly prompt
if (startMode === "raw") feed(0x01);
process.stdin.on("data", (chunk) => {
  for (const b of chunk) if (!onByte(b)) { process.stdin.pause(); return; }
});
process.stdin.on("end", () => { syncFlash(); process.exit(0); });
