/**
 * The package as a user gets it: `npm pack` of this repo (the built dist/, as package.json `files`
 * says), installed with `npm install <tgz>` into a fresh folder together with the peer
 * dependencies (from npm's local cache, else the registry). Done once per test process and shared:
 * a later test (e.g. a failover dry-run of the installed bin against the rehearsal) calls
 * {@link installedPackage} and runs `bin` with plain node.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface InstalledPackage {
  /** The temporary folder holding the tarball and the consumer (removed by {@link removeInstalledPackage}). */
  work: string;
  /** The tarball. */
  tarball: string;
  /** Paths inside the tarball (without the `package/` prefix). */
  files: string[];
  /** The consumer folder the package is installed in (has node_modules/). */
  dir: string;
  /** The installed package's folder. */
  packageDir: string;
  /** The installed bin (node_modules/.bin/oci-geo-streaming). */
  bin: string;
}

let installed: InstalledPackage | undefined;

function npm(args: string[], cwd: string): string {
  // The npm running the tests (npm run sets npm_execpath), else the one on PATH.
  const cli = process.env.npm_execpath;
  const [cmd, argv] = cli && /\.[cm]?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ["npm", args];
  return execFileSync(cmd, argv, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function versionOf(dep: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", dep, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
}

/** Packs and installs the package (once); needs `npm run build` first. */
export function installedPackage(): InstalledPackage {
  if (installed) return installed;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-pack-"));
  // The build is the test's input (npm test builds first): pack it as it is, without prepack.
  const packed = JSON.parse(
    npm(["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = path.join(work, packed[0].filename);
  const dir = path.join(work, "consumer");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  const peers = ["@pulumi/pulumi", "@pulumi/oci", "@types/node"].map((d) => `${d}@${versionOf(d)}`);
  npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, ...peers], dir);
  installed = {
    work,
    tarball,
    files: packed[0].files.map((f) => f.path),
    dir,
    packageDir: path.join(dir, "node_modules", "oci-geo-streaming"),
    bin: path.join(dir, "node_modules", ".bin", "oci-geo-streaming"),
  };
  return installed;
}

/** Removes the packed and installed package (about 200 MB with the Pulumi packages). */
export function removeInstalledPackage(): void {
  if (installed) fs.rmSync(installed.work, { recursive: true, force: true });
  installed = undefined;
}
