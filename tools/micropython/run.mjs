// Run a Python script under real MicroPython (the WebAssembly port) in node.
//
// usage: node run.mjs [--mount HOST_DIR=MP_DIR]... [--heap BYTES] SCRIPT.py
// Each mount copies the .py files under HOST_DIR into MicroPython's in-memory filesystem at
// MP_DIR; /lib is on sys.path. Exit status: 0 on success, 1 on an uncaught exception (its
// traceback on stderr), or the code a SystemExit carried.
import fs from "node:fs";
import path from "node:path";
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";

const mounts = [];
let heap = 16 * 1024 * 1024;
let script = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--mount") mounts.push(argv[++i].split("="));
  else if (argv[i] === "--heap") heap = parseInt(argv[++i], 10);
  else script = argv[i];
}
if (!script) {
  console.error("usage: node run.mjs [--mount HOST_DIR=MP_DIR]... [--heap BYTES] SCRIPT.py");
  process.exit(2);
}

const mp = await loadMicroPython({
  heapsize: heap,
  linebuffer: false,
  stdout: (bytes) => process.stdout.write(bytes),
  stderr: (bytes) => process.stderr.write(bytes),
});

function mkdirs(dir) {
  let sofar = "";
  for (const part of dir.split("/").filter(Boolean)) {
    sofar += "/" + part;
    try { mp.FS.mkdir(sofar); } catch { /* exists */ }
  }
}

function copyTree(hostDir, mpDir) {
  mkdirs(mpDir);
  for (const entry of fs.readdirSync(hostDir, { withFileTypes: true })) {
    const hostPath = path.join(hostDir, entry.name);
    if (entry.isDirectory() && entry.name !== "__pycache__") {
      copyTree(hostPath, mpDir + "/" + entry.name);
    } else if (entry.isFile() && entry.name.endsWith(".py")) {
      mp.FS.writeFile(mpDir + "/" + entry.name, fs.readFileSync(hostPath));
    }
  }
}

mkdirs("/lib");
for (const [hostDir, mpDir] of mounts) {
  if (fs.statSync(hostDir).isDirectory()) copyTree(hostDir, mpDir);
  else { mkdirs(path.dirname(mpDir)); mp.FS.writeFile(mpDir, fs.readFileSync(hostDir)); }
}

const source = fs.readFileSync(script, "utf8");
try {
  mp.runPython("import sys\nsys.path.insert(0, '/lib')\n" + source);
} catch (error) {
  if (error.name !== "PythonError") throw error;
  if (error.type === "SystemExit") {
    const match = /SystemExit:?\s*(-?\d+)?\s*$/.exec(String(error.message));
    const code = match && match[1] !== undefined ? parseInt(match[1], 10) : 0;
    process.exit(Number.isNaN(code) ? 0 : code);
  }
  process.stderr.write(String(error.message));
  process.exit(1);
}
