/**
 * The secret scan of real state: every place a known secret value appears in plaintext in a
 * `pulumi stack export` (or any text), raw or base64-encoded (user-data, Vault secret content).
 * Values the CLI encrypted (`{ <sig>: <secret sig>, ciphertext }`) are skipped by
 * tests/support/secretScan.ts, so anything found is a plaintext leak.
 */
import { unmaskedOccurrences } from "../support/secretScan";
import type { StackExport } from "./support";

/** Paths (or `text` offsets) where one of `needles` occurs outside a secret. */
export function plaintextSecrets(exported: StackExport, needles: string[]): string[] {
  const live = needles.filter((n) => n !== "");
  const raw = JSON.stringify(exported);
  return [
    ...live.filter((n) => raw.includes(n)).map((n) => `raw text: ${n.slice(0, 6)}…`),
    ...unmaskedOccurrences(exported.deployment, live),
  ];
}

/** Where one of `needles` occurs in a text (a CLI log), raw or base64-encoded. */
export function secretsInText(text: string, needles: string[]): string[] {
  return needles
    .filter((n) => n !== "")
    .filter((n) => text.includes(n) || text.includes(Buffer.from(n, "utf8").toString("base64")))
    .map((n) => `${n.slice(0, 6)}…`);
}

/** A copy of `exported` with `value` planted in plaintext in the first resource's outputs (the control). */
export function withPlanted(exported: StackExport, value: string, encoding: "raw" | "base64"): StackExport {
  const copy = JSON.parse(JSON.stringify(exported)) as StackExport;
  const r = copy.deployment.resources?.find((x) => x.custom && x.outputs);
  if (!r) throw new Error("no resource with outputs to plant a value in");
  r.outputs = {
    ...r.outputs,
    planted: encoding === "raw" ? value : Buffer.from(value, "utf8").toString("base64"),
  };
  return copy;
}
