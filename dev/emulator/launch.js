/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS launcher run by plain node */
// Starts the emulator plugin (bin/pulumi-resource-oci, …-random). It runs the build in
// .cache/emulator (`npx tsc -p dev/emulator/tsconfig.json --noCheck`, which the engine tests run
// first) when that is newer than every source it is built from, and otherwise the TypeScript
// sources through ts-node (transpile only; ~2 s more per plugin process).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const built = path.join(root, ".cache", "emulator", "dev", "emulator", "main.js");

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function fresh() {
  if (!fs.existsSync(built)) return false;
  const sources = ["dev/emulator", "dev/oci-model", "lib/core/oci"].map((d) =>
    newestSource(path.join(root, d)),
  );
  return fs.statSync(built).mtimeMs >= Math.max(...sources);
}

let entry;
if (fresh()) {
  entry = require(built);
} else {
  require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "tsconfig.json") });
  entry = require("./main");
}
entry.main(process.argv.slice(2)).catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
