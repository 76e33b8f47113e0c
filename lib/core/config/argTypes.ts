/**
 * The JavaScript type of every argument of {@link GeoReplicatedStreamArgs}, checked before any other
 * rule: TypeScript callers are held to args.ts by the compiler, but JavaScript programs, config read
 * as JSON and the Automation API's callers are not, and a wrong type would otherwise slip through
 * checks written for the right one (`replication.enabled: "yes"` is truthy; `["VM.Standard.E5.Flex"]`
 * indexes the shape table as its string). Pure: reads no Output, registers nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";

/** What a value must be. `input`: a string, or an Output/Promise of one (checked when known, later). */
type Leaf = "string" | "boolean" | "number" | "input" | "string[]" | "number[]" | "input[]" | "any";
/** An object's members, a list of objects, or a map of strings. */
type Kind = Leaf | { object: Shape } | { list: Shape } | "record<string>";
type Shape = Readonly<Record<string, Kind>>;

const STREAM: Shape = { name: "string", partitions: "number", retentionHours: "number" };

/** GeoReplicatedStreamArgs, member by member (lib/core/config/args.ts; a test keeps the two in step). */
export const ARG_TYPES: Shape = {
  role: "string",
  region: "string",
  compartmentId: "input",
  network: {
    object: {
      vcnCidr: "string",
      streamSubnetCidr: "string",
      mirrorMakerSubnetCidr: "string",
      dnsLabel: "string",
      existing: {
        object: {
          vcnId: "input",
          vcnCidr: "string",
          streamSubnetId: "input",
          streamSubnetCidr: "string",
          mirrorMakerSubnetId: "input",
          mirrorMakerSubnetCidr: "string",
        },
      },
    },
  },
  streamPool: {
    object: {
      name: "string",
      existingStreamPoolId: "input",
      kmsKeyId: "input",
      autoCreateTopics: "boolean",
      defaultPartitions: "number",
      defaultRetentionHours: "number",
      privateEndpointIp: "string",
    },
  },
  streams: { list: STREAM },
  peer: {
    object: {
      region: "string",
      vcnCidr: "string",
      mirrorMakerSubnetCidr: "string",
      remotePeeringConnectionId: "input",
      compartmentId: "input",
      streamPoolId: "input",
      bootstrapServers: "input",
      endpointFqdn: "input",
      dnsListenerIp: "input",
      streams: { list: STREAM },
      replication: { object: { enabled: "boolean", replicationPolicy: "string" } },
    },
  },
  partitionQuota: "number",
  replication: {
    object: {
      enabled: "boolean",
      flow: "string",
      tenancyId: "input",
      tenancyName: "input",
      // Checked as a provider by validateReplication (a string there is the common mistake).
      homeRegionProvider: "any",
      identityDomains: "boolean",
      credentials: {
        object: { mode: "string", userName: "string", email: "string", domain: "string", authToken: "input" },
      },
      vault: { object: { vaultId: "input", keyId: "input" } },
      fleet: {
        object: {
          size: "number",
          shape: "string",
          ocpus: "number",
          memoryInGbs: "number",
          imageId: "input",
          sshAuthorizedKeys: "string",
        },
      },
      bastionClientCidrs: "string[]",
      topicsInclude: "string[]",
      topicsExclude: "string[]",
      groupsInclude: "string[]",
      groupsExclude: "string[]",
      replicationPolicy: "string",
      tasksMax: "number",
      refreshIntervalSeconds: "number",
      kafkaDownloadBaseUrl: "string",
      kafkaDownloadCidr: "string",
      nodeDownloadBaseUrl: "string",
      jmxExporterDownloadBaseUrl: "string",
    },
  },
  monitoring: {
    object: {
      enabled: "boolean",
      metricNamespace: "string",
      rpoTargetSeconds: "number",
      lagAlarmMinutes: "number",
      heartbeatMaxAgeSeconds: "number",
      notificationTopicId: "input",
      emails: "string[]",
      pagerDutyUrls: "input[]",
      slackWebhookUrls: "input[]",
      httpsUrls: "input[]",
      operatorGroup: "string",
    },
  },
  freeformTags: "record<string>",
  externalKafka: {
    object: {
      alias: "string",
      bootstrapServers: "string",
      brokerCidrs: "string[]",
      brokerPorts: "number[]",
      securityProtocol: "string",
      sasl: { object: { mechanism: "string", username: "string", password: "input" } },
      tls: {
        object: {
          caCertificatePem: "input",
          clientCertificatePem: "input",
          clientKeyPem: "input",
          clientKeyPassword: "input",
          endpointIdentification: "boolean",
        },
      },
      topics: { list: STREAM },
    },
  },
  onPremises: {
    object: {
      cidrs: "string[]",
      ipsec: {
        object: {
          cpeIpAddress: "string",
          cpeDeviceShapeId: "input",
          ikeVersion: "string",
          sharedSecrets: "input[]",
        },
      },
      fastConnect: { object: { virtualCircuitId: "input" } },
      dns: { object: { domains: "string[]", serverIp: "string" } },
    },
  },
};

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${String(value)}`;
}

const isInput = (v: unknown): boolean =>
  typeof v === "string" || pulumi.Output.isInstance(v) || v instanceof Promise;

const WANTED: Record<Exclude<Leaf, "any">, [test: (v: unknown) => boolean, what: string]> = {
  string: [(v) => typeof v === "string", "a string"],
  boolean: [(v) => typeof v === "boolean", "a boolean: true or false, without quotes"],
  number: [(v) => typeof v === "number" && Number.isFinite(v), "a number, without quotes"],
  input: [isInput, "a string (or a Pulumi Output of one)"],
  "string[]": [(v) => Array.isArray(v), "a list of strings"],
  "number[]": [(v) => Array.isArray(v), "a list of numbers"],
  "input[]": [(v) => Array.isArray(v), "a list of strings or Pulumi Outputs"],
};

function check(kind: Kind, value: unknown, field: string): void {
  if (value === undefined || kind === "any") {
    return;
  }
  if (typeof kind === "object") {
    const shape = "object" in kind ? kind.object : kind.list;
    if ("list" in kind) {
      if (!Array.isArray(value)) {
        throw new ValidationError(field, `is ${describe(value)}; expected a list of objects`);
      }
      value.forEach((item, i) => check({ object: shape }, item, `${field}[${i}]`));
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ValidationError(field, `is ${describe(value)}; expected an object`);
    }
    for (const [key, k] of Object.entries(shape)) {
      check(k, (value as Record<string, unknown>)[key], `${field}.${key}`);
    }
    return;
  }
  if (kind === "record<string>") {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ValidationError(field, `is ${describe(value)}; expected an object of string values`);
    }
    for (const [key, v] of Object.entries(value)) {
      if (typeof v !== "string") {
        throw new ValidationError(`${field}.${key}`, `is ${describe(v)}; expected a string`);
      }
    }
    return;
  }
  const [test, what] = WANTED[kind];
  if (!test(value)) {
    throw new ValidationError(field, `is ${describe(value)}; expected ${what}`);
  }
  if (kind.endsWith("[]")) {
    const item = kind.slice(0, -2) as Exclude<Leaf, "any">;
    (value as unknown[]).forEach((v, i) => check(item, v, `${field}[${i}]`));
  }
}

/** Refuses the first argument whose JavaScript type is wrong, naming it (`replication.enabled`). */
export function checkArgTypes(args: object): void {
  for (const [key, kind] of Object.entries(ARG_TYPES)) {
    check(kind, (args as Record<string, unknown>)[key], key);
  }
}
