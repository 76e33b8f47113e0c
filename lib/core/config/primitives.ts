/**
 * The primitive validators every argument check is built from (regions, CIDRs, stream names,
 * retention, the declared streams). Pure, and imported by the other validation modules: nothing
 * here imports them back.
 */
import { ValidationError } from "../errors";
import { Cidr, parseCidr } from "../cidr";
import { isKnownRegion, OCI_REGION_PATTERN } from "../oci/regions";
import { StreamSpec } from "./args";
import { DEFAULTS } from "./settings";

export const MIN_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 168;
export const KAFKA_PORT = 9092;

/** OCI stream names: Kafka topic characters, at most 249 (Kafka's own limit, below OCI's 255). */
export const STREAM_NAME_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
/** A stream with its defaults applied. */
export interface ResolvedStream {
  name: string;
  partitions: number;
  retentionHours: number;
}

/** Validates a region name; `field` names the argument in the error. */
export function validateRegion(field: string, region: unknown): string {
  if (typeof region !== "string" || !OCI_REGION_PATTERN.test(region)) {
    throw new ValidationError(
      field,
      `"${String(region)}" is not an OCI region name. Use the region identifier, e.g. eu-frankfurt-1 or us-ashburn-1 (not a region key like FRA)`,
    );
  }
  if (!isKnownRegion(region)) {
    throw new ValidationError(
      field,
      `"${region}" is not a known OCI commercial region. Check the spelling against 'oci iam region list'`,
    );
  }
  return region;
}

/** Parses a CIDR or throws a ValidationError for `field`. */
export function validateCidr(field: string, text: unknown): Cidr {
  if (typeof text !== "string") {
    throw new ValidationError(field, `expected a CIDR string such as 10.0.0.0/16, got ${typeof text}`);
  }
  const parsed = parseCidr(text);
  if (typeof parsed === "string") {
    throw new ValidationError(field, `${parsed}. Give an IPv4 network address with its prefix length`);
  }
  return parsed;
}

/** Validates retention hours for `field`. */
export function validateRetention(field: string, hours: unknown): number {
  if (
    typeof hours !== "number" ||
    !Number.isInteger(hours) ||
    hours < MIN_RETENTION_HOURS ||
    hours > MAX_RETENTION_HOURS
  ) {
    throw new ValidationError(
      field,
      `${String(hours)} is outside OCI Streaming's retention range. Use a whole number of hours from ${MIN_RETENTION_HOURS} to ${MAX_RETENTION_HOURS}`,
    );
  }
  return hours;
}

/** Validates a stream name for `field`. */
export function validateStreamName(field: string, name: unknown): string {
  if (typeof name !== "string" || !STREAM_NAME_PATTERN.test(name) || name === "." || name === "..") {
    throw new ValidationError(
      field,
      `${JSON.stringify(name)} is not a name OCI Streaming accepts. Use 1-249 letters, digits, '.', '_' or '-'`,
    );
  }
  return name;
}

/** Validates the declared streams against names, partitions, retention and the partition quota. */
export function resolveStreams(
  streams: StreamSpec[] | undefined,
  quota: number,
  field = "streams",
): ResolvedStream[] {
  const list = streams ?? [];
  if (!Array.isArray(list)) {
    throw new ValidationError(field, "must be a list of { name, partitions, retentionHours }");
  }
  const seen = new Set<string>();
  const resolved = list.map((s, i) => {
    const f = `${field}[${i}]`;
    const name = validateStreamName(`${f}.name`, s?.name);
    if (seen.has(name)) {
      throw new ValidationError(`${f}.name`, `"${name}" is declared twice. Stream names are unique per pool`);
    }
    seen.add(name);
    const partitions = s.partitions ?? DEFAULTS.partitions;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new ValidationError(
        `${f}.partitions`,
        `${String(partitions)} is not a valid partition count. Use a whole number of at least 1`,
      );
    }
    if (partitions > quota) {
      throw new ValidationError(
        `${f}.partitions`,
        `${partitions} exceeds the partition quota of ${quota}. Lower it, or raise partitionQuota after OCI raises your tenancy limit`,
      );
    }
    const retentionHours = validateRetention(
      `${f}.retentionHours`,
      s.retentionHours ?? DEFAULTS.retentionHours,
    );
    return { name, partitions, retentionHours };
  });
  const total = resolved.reduce((sum, s) => sum + s.partitions, 0);
  if (total > quota) {
    throw new ValidationError(
      field,
      `the streams need ${total} partitions in all, above the partition quota of ${quota}. Remove or shrink streams, or raise partitionQuota after OCI raises your tenancy limit`,
    );
  }
  return resolved;
}

/**
 * Keys whose absence picks another mode (a created pool instead of an adopted one, a created IAM
 * user instead of an existing one, …), by what their absence means. A key that is present with no
 * value (`undefined`, `null`, `""`, typically an unset environment variable) is refused rather than
 * taken as absent: the mode must never change silently.
 */
export function refuseUnsetModeKeys(
  obj: object | undefined,
  prefix: string,
  absentMeans: Readonly<Record<string, string>>,
): void {
  if (obj === undefined || obj === null) return;
  for (const [key, meaning] of Object.entries(absentMeans)) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const value = (obj as Record<string, unknown>)[key];
    if (value === undefined || value === null || value === "") {
      throw new ValidationError(
        `${prefix}${key}`,
        `is set but ${value === "" ? "empty" : String(value)} (an unset environment variable?), which would silently mean ${meaning}. Give its value, or leave the key out if ${meaning} is what you want`,
      );
    }
  }
}
