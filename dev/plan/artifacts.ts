/**
 * Files the offline plan writes next to `out/plan/<stack>.json` from a stack's outputs, so that
 * rendered artefacts (MirrorMaker 2 properties, cloud-init user data) can be inspected and checked
 * by contract tests without deploying anything.
 *
 * Add an entry here when the program exports a new rendered artefact as a stack output.
 */
import * as fs from "fs";
import * as path from "path";
import type { StackPlan } from "./runStack";
import { SECRET_MASK } from "../oci-model/wire";

export interface ArtifactSpec {
  /** File name under `out/plan/<stack>/`. */
  file: string;
  /**
   * How the output is encoded: instance `user_data` metadata is base64. `auto` decodes only a
   * base64 string that decodes to cloud-init (`#cloud-config`, `#!`, MIME multipart).
   */
  decode?: "base64" | "auto";
}

/** Stack output name → file written under `out/plan/<stack>/`. */
export const PLAN_ARTIFACTS: Readonly<Record<string, ArtifactSpec>> = {
  mm2Properties: { file: "mm2.properties" },
  userData: { file: "user-data.yaml", decode: "auto" },
};

export interface WrittenArtifact {
  output: string;
  /** Path written, or undefined if the output was secret (never written). */
  path?: string;
  skipped?: string;
}

/**
 * Writes the artefacts a plan's outputs contain. A string output becomes one file; an object of
 * strings (one per node, say) becomes `<key>.<file>` per entry. Secret (masked) values are not
 * written.
 */
export function writeArtifacts(
  plan: StackPlan,
  dir: string,
  specs: Readonly<Record<string, ArtifactSpec>> = PLAN_ARTIFACTS,
): WrittenArtifact[] {
  const written: WrittenArtifact[] = [];
  for (const [output, spec] of Object.entries(specs)) {
    const value = plan.outputs[output];
    if (value === undefined) {
      continue;
    }
    const entries: [string, unknown][] =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.entries(value).map(([k, v]) => [`${k}.${spec.file}`, v])
        : [[spec.file, value]];
    for (const [file, v] of entries) {
      if (typeof v !== "string") {
        written.push({ output, skipped: `not a string (${typeof v})` });
        continue;
      }
      if (v.includes(SECRET_MASK)) {
        written.push({ output, skipped: "secret: not written" });
        continue;
      }
      const text = decode(v, spec.decode);
      const target = path.join(dir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
      written.push({ output, path: target });
    }
  }
  return written;
}

function decode(v: string, how: ArtifactSpec["decode"]): string {
  if (how === "base64") {
    return Buffer.from(v, "base64").toString("utf8");
  }
  if (how === "auto" && /^[A-Za-z0-9+/]+={0,2}$/.test(v) && v.length % 4 === 0) {
    const text = Buffer.from(v, "base64").toString("utf8");
    if (/^(#cloud-config|#!|Content-Type: multipart)/.test(text)) {
      return text;
    }
  }
  return v;
}
