import { gunzipSync } from "node:zlib";
import { isWireSecret } from "../../dev/oci-model/wire";
import { resources } from "./mockRuntime";

/**
 * Every place a string occurs in wire-form values that is not inside a secret. Secrets are
 * skipped; base64 strings are decoded and searched too (Vault secret content), and gunzipped when
 * they hold gzip (an instance's user_data).
 */
export function unmaskedOccurrences(value: unknown, needles: string[], path = ""): string[] {
  if (isWireSecret(value)) {
    return [];
  }
  if (typeof value === "string") {
    const decoded = /^[A-Za-z0-9+/]{16,}={0,2}$/.test(value) ? decodeBase64(value) : "";
    return needles.some((n) => value.includes(n) || decoded.includes(n)) ? [path] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => unmaskedOccurrences(v, needles, `${path}[${i}]`));
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      unmaskedOccurrences(v, needles, path ? `${path}.${k}` : k),
    );
  }
  return [];
}

/** {@link unmaskedOccurrences} over every registered resource's inputs and outputs. */
export function scanAll(needles: string[]): string[] {
  return resources().flatMap((r) => [
    ...unmaskedOccurrences(r.wireInputs, needles, `${r.name} inputs`),
    ...unmaskedOccurrences(r.wireOutputs, needles, `${r.name} outputs`),
  ]);
}

function decodeBase64(value: string): string {
  const raw = Buffer.from(value, "base64");
  return (raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString("utf8");
}
