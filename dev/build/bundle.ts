/**
 * Builds the MirrorMaker nodes' operator bundle: lib/ops/cli/nodeMain.ts and every dependency in one
 * CommonJS file, dist/bundle/oci-geo-streaming.cjs, shipped in the package. The stack uploads it to
 * its tools bucket under a content-addressed name and the nodes install it after checking its
 * SHA-256, so each node runs exactly the code of the package version that rendered its user-data —
 * also a version that is on no public registry. Run by `npm run build` (and by the plan and the
 * tests, which need the file the component hashes).
 *
 * esbuild (deterministic: the same sources give the same bytes). @platformatic/kafka's compression
 * and CRC code lives in @platformatic/wasm-utils, whose default entry reads native.wasm next to
 * itself: the bundle takes its `bundled` entry, which carries the same WASM inline. The optional
 * native CRC (@node-rs/crc32) and protobufjs (schema registries only) stay out: the client falls
 * back to the WASM CRC when the native one cannot be loaded. No source map (the nodes need none).
 */
import * as esbuild from "esbuild";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { TOOLS_BUNDLE_FILE } from "../../lib/core/telemetry/artifacts";

const ROOT = path.resolve(__dirname, "..", "..");

/** Where the bundle is written (the component reads it from the same place: lib/components/replication/toolsBundle.ts). */
export function bundleFile(root = ROOT): string {
  return path.join(root, "dist", "bundle", TOOLS_BUNDLE_FILE);
}

/** Builds the bundle; returns its path and size. */
export async function buildNodeBundle(
  options: { outFile?: string; quiet?: boolean } = {},
): Promise<{ file: string; bytes: number }> {
  const outFile = options.outFile ?? bundleFile();
  const version = (
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }
  ).version;
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const result = await esbuild.build({
    // Every lib/ops/cli command runs itself when it is the process's main module; in one bundle every
    // `require.main === module` would be true at once: they are made false, and this entry runs.
    stdin: {
      contents: `import { nodeMain } from "./lib/ops/cli/nodeMain";\nimport { runAsMain } from "./lib/ops/cli/kafkaCliIo";\nrunAsMain("oci-geo-streaming", nodeMain);\n`,
      resolveDir: ROOT,
      sourcefile: "node-bundle-entry.ts",
      loader: "ts",
    },
    outfile: outFile,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    legalComments: "eof",
    logLevel: "silent",
    alias: {
      "@platformatic/wasm-utils": path.join(
        ROOT,
        "node_modules",
        "@platformatic",
        "wasm-utils",
        "dist",
        "bundled.js",
      ),
    },
    external: ["@node-rs/crc32", "protobufjs", "protobufjs/*"],
    // ESM dependencies call createRequire(import.meta.url) at load time; in one CommonJS file that
    // URL is the bundle's own.
    define: {
      OCI_GEO_STREAMING_BUNDLED_VERSION: JSON.stringify(version),
      "require.main": "undefined",
      "import.meta.url": "__bundleFileUrl",
    },
    banner: {
      js: `// oci-geo-streaming ${version}: the MirrorMaker nodes' operator commands (bundled; see dev/build/bundle.ts)\nconst __bundleFileUrl = require("node:url").pathToFileURL(__filename).href;`,
    },
  });
  const errors = result.errors.map((e) => e.text);
  if (errors.length > 0) throw new Error(`bundling failed: ${errors.join("; ")}`);
  const bytes = fs.statSync(outFile).size;
  if (!options.quiet)
    process.stderr.write(
      `bundle: ${path.relative(ROOT, outFile)} (${(bytes / 1024).toFixed(0)} KiB, version ${version})\n`,
    );
  return { file: outFile, bytes };
}

/**
 * Builds the bundle when it is missing (a fresh clone): the component hashes and uploads it, so the
 * plan, the mock-engine tests and the engine tier need it. Synchronous (a child process), so that it
 * can run while mocha loads the specs.
 */
export function ensureNodeBundle(root = ROOT): string {
  const file = bundleFile(root);
  if (!fs.existsSync(file)) {
    execFileSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(root, "dev", "build", "bundle.ts")],
      {
        cwd: root,
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
  }
  return file;
}

if (require.main === module) {
  buildNodeBundle().catch((e: unknown) => {
    process.stderr.write(`bundle: ${(e as Error).message}\n`);
    process.exitCode = 1;
  });
}
