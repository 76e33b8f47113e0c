/**
 * Static OCI facts the mock engine answers invokes with: availability domains per region,
 * platform images, compute shapes, Oracle Services Network services.
 */
import { regionKey } from "../../lib/core/oci/regions";
import { hashBase32, makeOcid } from "./ocid";

/** Regions with three availability domains; every other commercial region has one. */
const THREE_AD_REGIONS = new Set(["us-ashburn-1", "us-phoenix-1", "eu-frankfurt-1", "uk-london-1"]);

/** Number of availability domains in a region. */
export function availabilityDomainCount(region: string): number {
  return THREE_AD_REGIONS.has(region) ? 3 : 1;
}

/**
 * Availability domain names as OCI returns them: a tenancy-specific 4-letter prefix, then
 * `<REGION>-AD-<n>` (e.g. `Uocm:EU-FRANKFURT-1-AD-1`).
 */
export function availabilityDomainNames(region: string, tenancySeed: string): string[] {
  const letters = hashBase32(`ad-prefix|${tenancySeed}`, 4).replace(/[2-7]/g, (d) => "aeiouy"[Number(d) - 2]);
  const prefix = letters[0].toUpperCase() + letters.slice(1);
  const n = availabilityDomainCount(region);
  return Array.from({ length: n }, (_, i) => `${prefix}:${region.toUpperCase()}-AD-${i + 1}`);
}

/** One platform image as `getImages` returns it (the fields the product may read). */
export interface MockImage {
  id: string;
  displayName: string;
  operatingSystem: string;
  operatingSystemVersion: string;
  timeCreated: string;
  arch: "x86_64" | "aarch64";
}

const IMAGE_CATALOG: ReadonlyArray<Omit<MockImage, "id">> = [
  // Newest first within each family, as OCI sorts by TIMECREATED DESC by default.
  {
    displayName: "Oracle-Linux-9.6-2025.10.23-0",
    operatingSystem: "Oracle Linux",
    operatingSystemVersion: "9",
    timeCreated: "2025-10-23T17:21:02.318Z",
    arch: "x86_64",
  },
  {
    displayName: "Oracle-Linux-8.10-2025.10.31-0",
    operatingSystem: "Oracle Linux",
    operatingSystemVersion: "8",
    timeCreated: "2025-10-31T20:40:11.552Z",
    arch: "x86_64",
  },
  {
    displayName: "Oracle-Linux-9.6-2025.09.16-0",
    operatingSystem: "Oracle Linux",
    operatingSystemVersion: "9",
    timeCreated: "2025-09-16T18:02:44.109Z",
    arch: "x86_64",
  },
  {
    displayName: "Oracle-Linux-8.10-2025.09.16-0",
    operatingSystem: "Oracle Linux",
    operatingSystemVersion: "8",
    timeCreated: "2025-09-16T17:55:30.761Z",
    arch: "x86_64",
  },
  {
    displayName: "Oracle-Linux-9.6-aarch64-2025.10.23-0",
    operatingSystem: "Oracle Linux",
    operatingSystemVersion: "9",
    timeCreated: "2025-10-23T17:30:15.004Z",
    arch: "aarch64",
  },
  {
    displayName: "Oracle-Linux-8.10-aarch64-2025.10.31-0",
    operatingSystem: "Oracle Linux",
    operatingSystemVersion: "8",
    timeCreated: "2025-10-31T20:51:47.260Z",
    arch: "aarch64",
  },
  {
    displayName: "Canonical-Ubuntu-24.04-2025.10.31-0",
    operatingSystem: "Canonical Ubuntu",
    operatingSystemVersion: "24.04",
    timeCreated: "2025-10-31T12:03:19.871Z",
    arch: "x86_64",
  },
];

/** Platform images in a region, newest first. */
export function imagesIn(region: string): MockImage[] {
  return [...IMAGE_CATALOG]
    .sort((a, b) => b.timeCreated.localeCompare(a.timeCreated))
    .map((img) => ({ ...img, id: makeOcid("image", region, `image|${img.displayName}|${region}`) }));
}

/** True for shapes that run on Ampere (aarch64) processors. */
export function isArmShape(shape: string): boolean {
  return /\.A[0-9]+\./.test(shape);
}

/** A compute shape as `getShapes` returns it (subset of fields, all present). */
export interface MockShape {
  name: string;
  isFlexible: boolean;
  ocpus: number;
  memoryInGbs: number;
  processorDescription: string;
  ocpuOptions: { min: number; max: number; maxPerNumaNode: number }[];
  memoryOptions: {
    minInGbs: number;
    maxInGbs: number;
    minPerOcpuInGbs: number;
    maxPerOcpuInGbs: number;
    defaultPerOcpuInGbs: number;
    maxPerNumaNodeInGbs: number;
  }[];
  networkingBandwidthInGbps: number;
  maxVnicAttachments: number;
  gpus: number;
  localDisks: number;
  billingType: string;
  isBilledForStoppedInstance: boolean;
  isLiveMigrationSupported: boolean;
  isSubcore: boolean;
  quotaNames: string[];
}

function flex(
  name: string,
  cpu: string,
  maxOcpus: number,
  maxMem: number,
  maxPerOcpu: number,
  quota: string,
): MockShape {
  return {
    name,
    isFlexible: true,
    ocpus: 1,
    memoryInGbs: name.includes(".A1.") ? 6 : 16,
    processorDescription: cpu,
    ocpuOptions: [{ min: 1, max: maxOcpus, maxPerNumaNode: maxOcpus }],
    memoryOptions: [
      {
        minInGbs: 1,
        maxInGbs: maxMem,
        minPerOcpuInGbs: 1,
        maxPerOcpuInGbs: maxPerOcpu,
        defaultPerOcpuInGbs: name.includes(".A1.") ? 6 : 16,
        maxPerNumaNodeInGbs: maxMem,
      },
    ],
    networkingBandwidthInGbps: 1,
    maxVnicAttachments: 2,
    gpus: 0,
    localDisks: 0,
    billingType: "PAID",
    isBilledForStoppedInstance: false,
    isLiveMigrationSupported: true,
    isSubcore: false,
    quotaNames: [quota],
  };
}

const SHAPES: readonly MockShape[] = [
  flex("VM.Standard.E4.Flex", "2.55 GHz AMD EPYC 7J13 (Milan)", 64, 1024, 64, "standard-e4-core-count"),
  flex("VM.Standard.E5.Flex", "2.4 GHz AMD EPYC 9J14 (Genoa)", 94, 1049, 64, "standard-e5-core-count"),
  flex(
    "VM.Standard3.Flex",
    "2.0 GHz Intel Xeon Platinum 8167M (Ice Lake)",
    32,
    512,
    64,
    "standard3-core-count",
  ),
  flex("VM.Standard.A1.Flex", "3.0 GHz Ampere Altra", 80, 512, 64, "standard-a1-core-count"),
  {
    ...flex(
      "VM.Standard.E2.1.Micro",
      "2.0 GHz AMD EPYC 7551 (Naples)",
      1,
      1,
      1,
      "standard-e2-micro-core-count",
    ),
    isFlexible: false,
    memoryInGbs: 1,
    ocpuOptions: [],
    memoryOptions: [],
    isSubcore: true,
  },
];

/** Compute shapes offered in every availability domain. */
export function shapes(): MockShape[] {
  return SHAPES.map((s) => structuredClone(s));
}

/** The Oracle Services Network services of a region, as `getServices` returns them. */
export function servicesIn(
  region: string,
): { id: string; name: string; description: string; cidrBlock: string }[] {
  const key = regionKey(region);
  const KEY = key.toUpperCase();
  return [
    {
      id: makeOcid("service", region, `service|all|${region}`),
      name: `All ${KEY} Services In Oracle Services Network`,
      description: `All ${KEY} Services In Oracle Services Network`,
      cidrBlock: `all-${key}-services-in-oracle-services-network`,
    },
    {
      id: makeOcid("service", region, `service|objectstorage|${region}`),
      name: `OCI ${KEY} Object Storage`,
      description: `OCI ${KEY} Object Storage`,
      cidrBlock: `oci-${key}-objectstorage`,
    },
  ];
}
