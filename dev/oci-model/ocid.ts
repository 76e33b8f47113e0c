/**
 * Deterministic OCI identifiers for the mock engine.
 *
 * Real OCIDs read `ocid1.<resource type>.<realm>.[region][.future use].<unique ID>`; the unique
 * part is 60 lower-case base32 characters (`aaaaaaaa…`, or `amaaaaaa…` for Streaming), and the
 * region segment is empty for tenancy-wide (IAM) resources.
 */
import { createHash } from "crypto";
import { regionFromKey, regionKey } from "../../lib/core/oci/regions";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** `n` base32 characters derived from `seed` (SHA-512), stable across runs and machines. */
export function hashBase32(seed: string, n: number): string {
  const bytes = createHash("sha512").update(seed).digest();
  let out = "";
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < n) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length >= n) {
      break;
    }
  }
  return out;
}

/** Lower-case hex derived from `seed`. */
export function hashHex(seed: string, n: number): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, n);
}

/** A UUID-shaped string derived from `seed` (what the engine uses for provider ids). */
export function hashUuid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** OCID kinds that are tenancy-wide: their OCIDs carry no region segment. */
const GLOBAL_KINDS = new Set([
  "tenancy",
  "compartment",
  "user",
  "group",
  "dynamicgroup",
  "policy",
  "credential",
  "groupmembership",
  "tagnamespace",
  "tagdefinition",
  "availabilitydomain",
]);

/** OCID kinds whose unique part starts `amaaaaaa` (Streaming) rather than `aaaaaaaa`. */
const AMA_KINDS = new Set(["stream", "streampool", "connectharness"]);

/** Builds an OCID of `kind` in `region` whose unique part is derived from `seed`. */
export function makeOcid(kind: string, region: string | undefined, seed: string): string {
  const regionSegment = GLOBAL_KINDS.has(kind) || region === undefined ? "" : regionKey(region);
  const prefix = AMA_KINDS.has(kind) ? "amaaaaaa" : "aaaaaaaa";
  return `ocid1.${kind}.oc1.${regionSegment}.${prefix}${hashBase32(`${kind}|${seed}`, 52)}`;
}

/** The parts of an OCID, or undefined if `s` is not OCID-shaped. */
export interface ParsedOcid {
  kind: string;
  realm: string;
  /** The region identifier if the region segment is a known key or region name. */
  region?: string;
  regionSegment: string;
  unique: string;
}

/** Parses `ocid1.<kind>.<realm>.<region>[.<future>].<unique>`. */
export function parseOcid(s: string): ParsedOcid | undefined {
  const m = /^ocid1\.([a-z0-9]+)\.([a-z0-9]+)\.([a-z0-9-]*)\.(?:[a-z0-9-]*\.)?([a-z0-9]+)$/.exec(s);
  if (!m) {
    return undefined;
  }
  const [, kind, realm, regionSegment, unique] = m;
  const region =
    regionSegment === "" ? undefined : (regionFromKey(regionSegment) ?? knownName(regionSegment));
  return { kind, realm, region, regionSegment, unique };
}

function knownName(segment: string): string | undefined {
  try {
    regionKey(segment);
    return segment;
  } catch {
    return undefined;
  }
}
