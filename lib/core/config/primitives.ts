/**
 * The primitive validators every argument check is built from (regions, CIDRs, stream names,
 * retention, the declared streams). Pure, and imported by the other validation modules: nothing
 * here imports them back.
 */
import { ValidationError } from "../errors";
import { Cidr, parseCidr } from "../cidr";
import { isKnownRegion, OCI_REGION_PATTERN, otherRealmOf } from "../oci/regions";
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

/**
 * Multi-line text arguments, exempt from {@link refuseSurroundingWhitespace}: a PEM block or an
 * authorized_keys file normally ends with a line break.
 */
export const MULTILINE_TEXT_ARGS: ReadonlySet<string> = new Set([
  "externalKafka.tls.caCertificatePem",
  "externalKafka.tls.clientCertificatePem",
  "externalKafka.tls.clientKeyPem",
  "replication.fleet.sshAuthorizedKeys",
]);

/**
 * The one whitespace rule for every string argument (argTypes.ts applies it to each one): leading
 * or trailing whitespace is refused, never trimmed. A trimmed value would differ from what the user
 * wrote and what other tools compare against, and an identifier with a stray space ends up in
 * resource names, OCIDs sent to the API and rendered configuration. Multi-line text
 * ({@link MULTILINE_TEXT_ARGS}) is exempt. Never echoes a value that could be a secret: only the
 * position of the whitespace is named.
 */
export function refuseSurroundingWhitespace(field: string, value: string): string {
  if (MULTILINE_TEXT_ARGS.has(field) || value.trim() === value) return value;
  const where =
    value.trimStart() !== value && value.trimEnd() !== value
      ? "leading and trailing"
      : value.trimStart() !== value
        ? "leading"
        : "trailing";
  throw new ValidationError(
    field,
    `has ${where} whitespace. Remove it: values are used as written, never trimmed`,
  );
}

/**
 * The message for a Pulumi Output (or Promise) given where a plain value is needed: the value is
 * validated and shapes the plan (subnets, routes, names) before anything is registered, so it
 * must be known then.
 */
export function plainValueNeeded(field: string): string {
  const peer = field === "peer" || field.startsWith("peer.");
  return `is a Pulumi Output (or Promise), but it must be a plain value: it is checked and shapes the plan before anything is registered. ${
    peer
      ? "To pass another stack's peering output, read it with `peer: await peerFromStack(stackReference)` (lib/program/peering.ts), which gives plain values"
      : "Pass the value itself; a value from another stack can be read as a plain value with `await stackReference.getOutputDetails(name)`"
  }`;
}

/**
 * A ValidationError for a value known only later (a secret Output checked in an apply), whose
 * message stays the field's own. The Output that rejects with it is awaited by every resource of
 * the component, and Pulumi's serializer prefixes the *same* error object's message with each
 * property it was serializing (`error serializing property "outputs": … "vcnId": …`): context
 * unrelated to the field. Assignments to its message are ignored, so the user reads
 * `<field>: <what is wrong>. <fix>`, once (Pulumi reports one error object once).
 */
export function laterValidationError(field: string, message: string): ValidationError {
  const error = new ValidationError(field, message);
  const text = error.message;
  Object.defineProperty(error, "message", {
    get: () => text,
    set: () => undefined,
    enumerable: false,
    configurable: false,
  });
  return error;
}

/** Validates a region name; `field` names the argument in the error. */
export function validateRegion(field: string, region: unknown): string {
  if (typeof region !== "string" || !OCI_REGION_PATTERN.test(region)) {
    throw new ValidationError(
      field,
      `"${String(region)}" is not an OCI region name. Use the region identifier, e.g. eu-frankfurt-1 or us-ashburn-1 (not a region key like FRA)`,
    );
  }
  const realm = otherRealmOf(region);
  if (realm !== undefined) {
    throw new ValidationError(
      field,
      `"${region}" is a region of ${realm}, which this package does not support: its region keys, endpoints and service labels are the commercial realm's (oc1). Use a commercial region, e.g. eu-frankfurt-1`,
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
