/**
 * Shared fixtures of the Automation API tests: pairs, and a recording fake of the workspace.
 */
import type { OutputMap } from "@pulumi/pulumi/automation";
import type { PairConfig, StackConfigMap } from "../../lib/program/automation";
import type {
  PairWorkspace,
  StackPreviewResult,
  StackUpdateResult,
  StackUpResult,
  WorkspaceOperationOptions,
} from "../../lib/program/automation/workspace";

export const COMPARTMENT =
  "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
export const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
export const VAULT = "ocid1.vault.oc1.ams.aaaaaaaaexamplevault";
export const VAULT_KEY = "ocid1.key.oc1.ams.aaaaaaaaexamplekey";
/** The dr side's existing auth token: must only ever travel as a secret. */
export const TOKEN = "tok-EXAMPLE-9f3c";

export const STREAMS = [
  { name: "orders", partitions: 6, retentionHours: 168 },
  { name: "payments", partitions: 3, retentionHours: 72 },
];

/** The pair this repository's Pulumi.primary.yaml / Pulumi.dr.yaml describe. */
export function repoPair(): PairConfig {
  return {
    organization: "organization",
    primary: {
      region: "eu-frankfurt-1",
      compartmentId: COMPARTMENT,
      vcnCidr: "10.10.0.0/16",
      streamSubnetCidr: "10.10.1.0/24",
      mirrorMakerSubnetCidr: "10.10.2.0/24",
      streams: STREAMS,
      // Used only by the primary's failback fleet (dr-to-primary).
      mirrorMaker: { credentialsEmail: "mm2-primary@example.com" },
    },
    dr: {
      region: "eu-amsterdam-1",
      compartmentId: COMPARTMENT,
      vcnCidr: "10.20.0.0/16",
      streamSubnetCidr: "10.20.1.0/24",
      mirrorMakerSubnetCidr: "10.20.2.0/24",
      streams: STREAMS,
      mirrorMaker: {
        fleetSize: 2,
        fleetOcpus: 2,
        fleetMemoryInGbs: 16,
        bastionClientCidrs: ["203.0.113.0/24"],
        credentialsEmail: "mm2-dr@example.com",
      },
    },
    replication: { tenancyId: TENANCY, homeRegion: "eu-frankfurt-1" },
  };
}

/**
 * A pair using most options: default subnets on the primary, an existing user and token and an
 * existing vault on dr, a created user for the primary's failback fleet, shared MM2 options.
 */
export function richPair(): PairConfig {
  return {
    organization: "acme",
    primary: {
      region: "eu-frankfurt-1",
      compartmentId: COMPARTMENT,
      vcnCidr: "10.10.0.0/16",
      streams: [{ name: "orders", partitions: 6, retentionHours: 168 }],
      autoCreateTopics: false,
      ociConfigProfile: "FRA",
      mirrorMaker: {
        credentialsUserName: "mm2-failback",
        credentialsEmail: "mm2-failback@example.com",
        fleetSize: 1,
      },
    },
    dr: {
      region: "eu-amsterdam-1",
      compartmentId: COMPARTMENT,
      vcnCidr: "10.20.0.0/16",
      mirrorMakerSubnetCidr: "10.20.8.0/24",
      streams: [{ name: "orders", partitions: 6, retentionHours: 168 }],
      partitionQuota: 100,
      mirrorMaker: {
        credentialsUserName: "mm2-dr",
        credentialsAuthToken: TOKEN,
        vaultId: VAULT,
        vaultKeyId: VAULT_KEY,
        fleetSize: 3,
        fleetShape: "VM.Standard.A1.Flex",
        fleetOcpus: 4,
        fleetMemoryInGbs: 24,
        bastionClientCidrs: ["203.0.113.0/24"],
      },
    },
    replication: {
      tenancyId: TENANCY,
      homeRegion: "eu-frankfurt-1",
      tenancyName: "acme",
      topicsExclude: ["test\\..*"],
      replicationPolicy: "prefixed",
      tasksMax: 8,
    },
  };
}

export interface Call {
  op: "select" | "setAllConfig" | "removeAllConfig" | "up" | "preview" | "destroy" | "outputs";
  stack: string;
  create?: boolean;
  config?: StackConfigMap;
  keys?: string[];
}

/** Records every call; stacks exist once created (or listed in `existing`). */
export class FakeWorkspace implements PairWorkspace {
  calls: Call[] = [];
  existing = new Set<string>();
  /** Outputs returned by `outputs` and `up`, by stack. */
  stackOutputs: Record<string, OutputMap> = {};
  /** Makes `<op> <stack>` reject. */
  failOn?: string;

  constructor(existing: string[] = []) {
    existing.forEach((s) => this.existing.add(s));
  }

  /** The calls as `op stack` lines, with the organization/project prefix dropped. */
  get trace(): string[] {
    return this.calls.map(
      (c) => `${c.op} ${c.stack.split("/").pop()}${c.create === undefined ? "" : c.create ? " create" : ""}`,
    );
  }

  private record(c: Call): void {
    this.calls.push(c);
    if (this.failOn === `${c.op} ${c.stack.split("/").pop()}`) {
      throw new Error(`fake failure of ${this.failOn}`);
    }
  }

  async selectStack(stack: string, opts: { create: boolean }): Promise<boolean> {
    this.record({ op: "select", stack, create: opts.create });
    if (!this.existing.has(stack) && opts.create) {
      this.existing.add(stack);
    }
    return this.existing.has(stack);
  }
  async setAllConfig(stack: string, config: StackConfigMap): Promise<void> {
    this.record({ op: "setAllConfig", stack, config });
  }
  async removeAllConfig(stack: string, keys: string[]): Promise<void> {
    this.record({ op: "removeAllConfig", stack, keys });
  }
  async up(stack: string, opts: WorkspaceOperationOptions): Promise<StackUpResult> {
    this.record({ op: "up", stack });
    opts.onOutput?.(`Updating (${stack})\n`);
    return { result: "succeeded", resourceChanges: { create: 1 }, outputs: this.stackOutputs[stack] ?? {} };
  }
  async preview(stack: string, opts: WorkspaceOperationOptions): Promise<StackPreviewResult> {
    this.record({ op: "preview", stack });
    opts.onOutput?.(`Previewing update (${stack})\n`);
    return { changeSummary: { create: 1 } };
  }
  async destroy(stack: string, opts: WorkspaceOperationOptions): Promise<StackUpdateResult> {
    this.record({ op: "destroy", stack });
    opts.onOutput?.(`Destroying (${stack})\n`);
    return { result: "succeeded", resourceChanges: { delete: 1 } };
  }
  async outputs(stack: string): Promise<OutputMap> {
    this.record({ op: "outputs", stack });
    return this.stackOutputs[stack] ?? {};
  }

  /** The config last set on a stack (by short name). */
  configOf(short: string): StackConfigMap | undefined {
    return [...this.calls].reverse().find((c) => c.op === "setAllConfig" && c.stack.endsWith(`/${short}`))
      ?.config;
  }
}
