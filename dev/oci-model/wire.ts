/**
 * Helpers for Pulumi's RPC ("wire") property encoding, as seen by a resource monitor:
 * secrets are `{ [specialSigKey]: specialSecretSig, value }`, resource references, assets and
 * unknowns have their own signatures. The offline plan keeps values in this form until the last
 * moment so that it knows exactly which values were secret, then masks them.
 */
import * as pulumi from "@pulumi/pulumi";

const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const ASSET_SIG = pulumi.runtime.specialAssetSig;
const ARCHIVE_SIG = pulumi.runtime.specialArchiveSig;
const OUTPUT_VALUE_SIG = pulumi.runtime.specialOutputValueSig;

/** What a masked secret looks like in plan output. */
export const SECRET_MASK = "[secret]";

/** What an unknown (preview-only) value looks like in plan output. */
export const UNKNOWN_MARK = "[unknown]";

/** A value wrapped as a Pulumi secret in wire form. */
export interface WireSecret<T = unknown> {
  [SIG_KEY]: typeof SECRET_SIG;
  value: T;
}

/** Wraps a value as a wire-form secret (what a monitor sends and receives for `pulumi.secret`). */
export function wireSecret<T>(value: T): WireSecret<T> {
  return { [SIG_KEY]: SECRET_SIG, value } as WireSecret<T>;
}

/** True if `v` is a wire-form secret. */
export function isWireSecret(v: unknown): v is WireSecret {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export interface FromWireOptions {
  /** Replace every secret value by {@link SECRET_MASK} (otherwise secrets are unwrapped). */
  mask?: boolean;
  /**
   * Strings that are secret wherever they appear (for example stand-ins for `secure:` config that
   * a program read with `config.require` instead of `requireSecret`): any string containing one is
   * masked as well when `mask` is set.
   */
  secretStrings?: readonly string[];
  /** Collects the dotted paths of secret values found (`""` for a secret at the top). */
  secretPaths?: string[];
}

/**
 * Converts a wire-form value to plain JSON: secrets unwrapped or masked, resource references
 * replaced by their id (or URN), assets/archives by a small descriptor, unknowns by
 * {@link UNKNOWN_MARK}.
 */
export function fromWire(v: unknown, opts: FromWireOptions = {}, path = ""): unknown {
  if (v === pulumi.runtime.unknownValue) {
    return UNKNOWN_MARK;
  }
  if (typeof v === "string") {
    if (opts.mask && opts.secretStrings?.some((s) => s !== "" && v.includes(s))) {
      opts.secretPaths?.push(path);
      return SECRET_MASK;
    }
    return v;
  }
  if (v === null || typeof v !== "object") {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map((e, i) => fromWire(e, opts, join(path, String(i))));
  }
  const o = v as Record<string, unknown>;
  switch (o[SIG_KEY]) {
    case SECRET_SIG:
      opts.secretPaths?.push(path);
      return opts.mask ? SECRET_MASK : fromWire(o.value, { ...opts, secretPaths: undefined }, path);
    case RESOURCE_SIG:
      return typeof o.id === "string" && o.id !== "" ? o.id : o.urn;
    case ASSET_SIG:
      return { asset: o.path ?? o.uri ?? (opts.mask ? "[text]" : o.text) };
    case ARCHIVE_SIG:
      return { archive: o.path ?? o.uri ?? Object.keys((o.assets as object) ?? {}) };
    case OUTPUT_VALUE_SIG: {
      if (!("value" in o)) {
        return UNKNOWN_MARK;
      }
      if (o.secret === true) {
        opts.secretPaths?.push(path);
        if (opts.mask) {
          return SECRET_MASK;
        }
      }
      return fromWire(o.value, opts, path);
    }
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(o)) {
        if (e !== undefined) {
          out[k] = fromWire(e, opts, join(path, k));
        }
      }
      return out;
    }
  }
}

/** Masks every secret in a wire-form value; see {@link fromWire}. */
export function maskWire(v: unknown, secretStrings: readonly string[] = []): unknown {
  return fromWire(v, { mask: true, secretStrings });
}

/** Unwraps every secret in a wire-form value; see {@link fromWire}. */
export function unwrapWire(v: unknown): unknown {
  return fromWire(v, {});
}

/** The dotted paths of the secret values inside a wire-form value. */
export function secretPathsOf(v: unknown): string[] {
  const secretPaths: string[] = [];
  fromWire(v, { secretPaths });
  return secretPaths;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
