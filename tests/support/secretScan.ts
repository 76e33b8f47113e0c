import { isWireSecret } from "../../dev/oci-model/wire";
import { resources } from "./mockRuntime";

/**
 * Every place a string occurs in wire-form values that is not inside a secret. Secrets are
 * skipped; base64 strings are decoded and searched too (user_data, Vault secret content).
 */
export function unmaskedOccurrences(value: unknown, needles: string[], path = ""): string[] {
  if (isWireSecret(value)) {
    return [];
  }
  if (typeof value === "string") {
    const decoded = /^[A-Za-z0-9+/]{16,}={0,2}$/.test(value)
      ? Buffer.from(value, "base64").toString("utf8")
      : "";
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
