/**
 * The OCI model: what OCI computes and refuses for each resource the product creates, and what
 * its data sources answer, as plain functions over plain objects — no Pulumi API here. Two
 * front ends drive it: the mock engine of the offline plan and the component tests
 * ({@link OciMocks}, `pulumi.runtime.Mocks`) and the emulator provider plugin that the real-engine
 * tier runs under the Pulumi CLI. One copy of the OCI facts serves both.
 *
 * The facts live per service (services/*.ts); this module holds the state a tenancy keeps
 * between requests (resources by OCID, address allocations, token counts) and dispatches. The
 * handlers see the model through handlerContext.ts (no import back here).
 */
import { hashHex, makeOcid, parseOcid } from "./ocid";
import { COMPUTE } from "./services/compute";
import { DNS } from "./services/dns";
import { IDENTITY } from "./services/identity";
import { NETWORK } from "./services/network";
import { ONPREM } from "./services/onprem";
import { RANDOM } from "./services/random";
import { STREAMING } from "./services/streaming";
import { VAULT } from "./services/vault";
import { NOTIFICATIONS } from "./services/notifications";
import { MONITORING } from "./services/monitoring";
import { LOGGING } from "./services/logging";
import { OBJECT_STORAGE } from "./services/objectStorage";
import { INVOKES } from "./invokes";
import { addressAt, asCidr, size } from "../../lib/core/cidr";
import type { Filter, Known, Obj, OciModelOptions, ResourceHandler, Tenancy } from "./handlerContext";

/** The fixed creation time every modelled resource reports (deterministic plans). */
export const MOCK_TIME_CREATED = "2025-01-01T00:00:00.000Z";

/** An error OCI (or the Pulumi engine) would return for the request; the model raises it. */
export class MockRejection extends Error {
  constructor(type: string, name: string, detail: string) {
    super(`OCI would reject ${type} '${name}': ${detail}`);
    this.name = "MockRejection";
  }
}

/** The tenancy's state as plain JSON ({@link OciModel.snapshot}). */
export interface ModelSnapshot {
  known: [string, Known][];
  regionsSeen: string[];
  ipCursor: [string, number][];
  ipOwners: [string, string][];
  reservedSecretNames: string[];
  resolvers: [string, { vcnId: string; region?: string }][];
  existing: Record<string, Obj>;
  identityDomains?: boolean;
}

const RESOURCES: Record<string, ResourceHandler> = {
  ...NETWORK,
  ...DNS,
  ...STREAMING,
  ...COMPUTE,
  ...VAULT,
  ...ONPREM,
  ...IDENTITY,
  ...RANDOM,
  ...NOTIFICATIONS,
  ...MONITORING,
  ...LOGGING,
  ...OBJECT_STORAGE,
};

/** Resource types the model knows the facts of. */
export const RESOURCE_TYPES: readonly string[] = Object.keys(RESOURCES);

/** Invokes the model answers. */
export const ANSWERED_INVOKES: readonly string[] = Object.keys(INVOKES);

/** Default-resource types (they manage an existing VCN default) and the OCID kind of what they manage. */
export const DEFAULT_RESOURCE_KINDS: Record<string, string> = {
  "oci:Core/defaultRouteTable:DefaultRouteTable": "routetable",
  "oci:Core/defaultSecurityList:DefaultSecurityList": "securitylist",
  "oci:Core/defaultDhcpOptions:DefaultDhcpOptions": "dhcpoptions",
};

/** OCID kind for an OCI type token (`oci:Core/vcn:Vcn` → `vcn`). */
export function ociKind(type: string): string {
  const special: Record<string, string> = {
    "oci:Vault/secret:Secret": "vaultsecret",
    "oci:Identity/authToken:AuthToken": "credential",
    "oci:Identity/customerSecretKey:CustomerSecretKey": "credential",
    "oci:Identity/smtpCredential:SmtpCredential": "credential",
    "oci:Identity/userGroupMembership:UserGroupMembership": "groupmembership",
    "oci:Identity/tag:Tag": "tagdefinition",
    "oci:Bastion/session:Session": "bastionsession",
    "oci:Core/image:Image": "image",
    "oci:Dns/resolverEndpoint:ResolverEndpoint": "dnsresolverendpoint",
    "oci:Dns/resolver:Resolver": "dnsresolver",
    "oci:Dns/view:View": "dnsview",
    "oci:Dns/zone:Zone": "dns-zone",
    "oci:Ons/notificationTopic:NotificationTopic": "onstopic",
    "oci:Ons/subscription:Subscription": "onssubscription",
  };
  return special[type] ?? DEFAULT_RESOURCE_KINDS[type] ?? (type.split(":").pop() ?? type).toLowerCase();
}

/** The model of one tenancy. See the module comment. */
export class OciModel implements Tenancy {
  readonly opts: OciModelOptions;
  /** Every resource created (or read) since the last reset, by id. */
  readonly known = new Map<string, Known>();
  /** Regions of every resource and provider seen (the tenancy is subscribed to them). */
  readonly regionsSeen = new Set<string>();
  private readonly ipCursor = new Map<string, number>();
  /** Addresses handed out, by `<subnetId>|<owner seed>`: a resource keeps its address when asked again. */
  private readonly ipOwners = new Map<string, string>();
  /**
   * Secret names still reserved in their vault (`<vaultId>|<name>`): a deleted secret is pending
   * deletion (30 days by default) and keeps its name until then.
   */
  readonly reservedSecretNames = new Set<string>();
  /** The private DNS resolver of each VCN (OCI creates one with every VCN), by resolver OCID. */
  readonly resolvers = new Map<string, { vcnId: string; region?: string }>();
  private existing: Record<string, Obj>;

  constructor(opts: OciModelOptions = {}) {
    this.opts = opts;
    this.existing = { ...(opts.existing ?? {}) };
  }

  /** Forgets every resource and all state (ids, IP allocations, token counts). */
  reset(): void {
    this.known.clear();
    this.regionsSeen.clear();
    this.ipCursor.clear();
    this.ipOwners.clear();
    this.resolvers.clear();
    this.reservedSecretNames.clear();
    this.tenancyIdentityDomains = undefined;
  }

  /**
   * Everything the tenancy keeps between requests, as plain JSON: what the emulator provider
   * persists so that every plugin process (one per provider instance, new ones per `pulumi up`)
   * sees the same tenancy — a deleted secret's reserved name, a user's tokens, a VCN's resolver.
   */
  snapshot(): ModelSnapshot {
    return {
      known: [...this.known.entries()],
      regionsSeen: [...this.regionsSeen],
      ipCursor: [...this.ipCursor.entries()],
      ipOwners: [...this.ipOwners.entries()],
      reservedSecretNames: [...this.reservedSecretNames],
      resolvers: [...this.resolvers.entries()],
      existing: this.existing,
      identityDomains: this.tenancyIdentityDomains,
    };
  }

  /** Replaces all state with a {@link snapshot}'s. */
  restore(s: ModelSnapshot): void {
    this.reset();
    for (const [k, v] of s.known) this.known.set(k, v);
    for (const r of s.regionsSeen) this.regionsSeen.add(r);
    for (const [k, v] of s.ipCursor) this.ipCursor.set(k, v);
    for (const [k, v] of s.ipOwners) this.ipOwners.set(k, v);
    for (const n of s.reservedSecretNames) this.reservedSecretNames.add(n);
    for (const [k, v] of s.resolvers) this.resolvers.set(k, v);
    this.existing = { ...s.existing };
    this.tenancyIdentityDomains = s.identityDomains;
  }

  /** The auth tokens `userId` has, other than `exceptId` (OCI allows two per user). */
  tokensOf(userId: string, exceptId?: string): string[] {
    return this.ofType("oci:Identity/authToken:AuthToken")
      .filter(([id, k]) => id !== exceptId && String(k.outputs.userId ?? "") === userId)
      .map(([id]) => id);
  }

  /**
   * A resource is deleted: what OCI keeps of it afterwards stays (a secret's name stays reserved
   * while it is pending deletion).
   */
  delete(id: string): void {
    const k = this.known.get(id);
    if (!k) {
      return;
    }
    this.known.delete(id);
    if (k.type === "oci:Vault/secret:Secret") {
      this.reservedSecretNames.add(`${String(k.outputs.vaultId)}|${String(k.outputs.secretName)}`);
    }
  }

  /** Replaces the pre-existing resources; see {@link OciModelOptions.existing}. */
  setExisting(existing: Record<string, Obj>): void {
    this.existing = { ...existing };
  }

  /** Every pre-existing resource's state, by OCID. */
  existingResources(): Readonly<Record<string, Obj>> {
    return this.existing;
  }

  /** A pre-existing resource's state, by OCID. */
  existingState(id: string): Obj | undefined {
    return this.existing[id];
  }

  /** Whether `type` is a resource the model knows the facts of. */
  handles(type: string): boolean {
    return RESOURCES[type] !== undefined;
  }

  /**
   * The outputs OCI computes for a create (or a read) of `type`, refusing what OCI would refuse
   * ({@link MockRejection}). Unknown types get no computed outputs (gaps stay visible).
   */
  computeOutputs(type: string, name: string, id: string, inputs: Obj, region: string, read: boolean): Obj {
    const handler = RESOURCES[type];
    if (!handler) {
      return {};
    }
    const reject = (detail: string): never => {
      throw new MockRejection(type, name, detail);
    };
    const sameRegion = (what: string, refId: unknown) => {
      const other = this.lookup(refId);
      if (other?.region && other.region !== region) {
        reject(`${what} ${String(refId)} is in ${other.region}, this resource is in ${region}`);
      }
      return other;
    };
    return handler({
      type,
      name,
      id,
      inputs,
      region,
      read,
      seed: id,
      common: { timeCreated: MOCK_TIME_CREATED },
      reject,
      sameRegion,
      model: this,
    });
  }

  /** Records a resource's final state (what later lookups and data sources see). */
  remember(id: string, known: Known): void {
    this.known.set(id, known);
    if (known.region && known.type.startsWith("oci:")) {
      this.regionsSeen.add(known.region);
    }
  }

  /** Answers a data source; throws for one the model does not know. */
  invoke(token: string, inputs: Obj, region: string): Obj {
    const handler = INVOKES[token];
    if (!handler) {
      throw new Error(
        `the OCI model has no mock for invoke '${token}'; add it to dev/oci-model/invokes.ts ` +
          `(answered: ${ANSWERED_INVOKES.join(", ")})`,
      );
    }
    return handler({
      token,
      inputs,
      region,
      id: `mock-${token.split(":").pop()}-${hashHex(JSON.stringify(inputs) + region, 8)}`,
      filters: inputs.filters as Filter[] | undefined,
      tenancySeed: this.opts.tenancyName ?? "mocktenancy",
      model: this,
    });
  }

  ocid(kind: string, region: string | undefined, seed: string): string {
    return makeOcid(kind, region, seed);
  }

  /** A resource by id: created in this run, or pre-existing. */
  lookup(id: unknown): Known | undefined {
    if (typeof id !== "string") {
      return undefined;
    }
    const k = this.known.get(id);
    if (k) {
      return k;
    }
    const e = this.existing[id];
    return e ? { type: "existing", region: parseOcid(id)?.region, outputs: e } : undefined;
  }

  /** Every known resource of `type`. */
  ofType(type: string): [string, Known][] {
    return [...this.known.entries()].filter(([, k]) => k.type === type);
  }

  /**
   * Allocates the next free host address in a subnet (OCI reserves .0, .1 and the last). With
   * `owner` (the resource's seed) the same owner gets the same address again, as a resource keeps
   * its address across updates.
   */
  allocateIp(subnetId: unknown, requested?: unknown, owner?: string): string | undefined {
    if (typeof requested === "string" && requested !== "") {
      return requested;
    }
    const subnet = this.lookup(subnetId);
    const cidr = asCidr(subnet?.outputs.cidrBlock);
    if (cidr === undefined) {
      return undefined;
    }
    const key = owner !== undefined ? `${String(subnetId)}|${owner}` : undefined;
    const had = key !== undefined ? this.ipOwners.get(key) : undefined;
    if (had !== undefined) {
      return had;
    }
    const next = (this.ipCursor.get(subnetId as string) ?? 1) + 1;
    this.ipCursor.set(subnetId as string, next);
    // The last address is the broadcast one: a full subnet hands out its last-but-one again.
    const ip = addressAt(cidr, Math.max(0, Math.min(next + 8, size(cidr) - 2)));
    if (key !== undefined) {
      this.ipOwners.set(key, ip);
    }
    return ip;
  }

  /**
   * The id OCI gives a new resource of `type` in `region`, derived from `seed` (stable for the
   * same seed): an OCID of the type's kind, or the short id formats of the resources whose ids are
   * not OCIDs (NSG rules, DRG route rules, route table attachments, random values). A `Default*`
   * resource's id is the one it manages.
   */
  newResourceId(type: string, name: string, region: string, seed: string, inputs: Obj = {}): string {
    const managed = DEFAULT_RESOURCE_KINDS[type] ? inputs.manageDefaultResourceId : undefined;
    if (typeof managed === "string" && managed !== "") {
      return managed;
    }
    switch (type) {
      case "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule":
        return hashHex(seed, 6).toUpperCase();
      case "oci:Core/drgRouteTableRouteRule:DrgRouteTableRouteRule":
        return hashHex(seed, 12);
      case "oci:Core/routeTableAttachment:RouteTableAttachment":
        return hashHex(seed, 16);
    }
    if (type.startsWith("random:")) {
      return hashHex(seed, 16);
    }
    if (!type.startsWith("oci:")) {
      return `${name}-${hashHex(seed, 8)}`;
    }
    return makeOcid(ociKind(type), region, seed);
  }

  tenancyId(): string {
    return makeOcid("tenancy", undefined, `tenancy|${this.opts.tenancyName ?? "mocktenancy"}`);
  }

  homeRegion(): string {
    return this.opts.homeRegion ?? this.opts.fallbackRegion?.() ?? "us-ashburn-1";
  }

  /** Whether the tenancy uses identity domains (see {@link OciModelOptions.identityDomains}). */
  get identityDomains(): boolean {
    return this.tenancyIdentityDomains ?? this.opts.identityDomains ?? true;
  }

  /** Makes the modelled tenancy classic (false) or one with identity domains (true). */
  setIdentityDomains(value: boolean | undefined): void {
    this.tenancyIdentityDomains = value;
  }

  private tenancyIdentityDomains?: boolean;

  /** State of a resource by OCID: registered in this run, given in `existing`, or synthesised. */
  describeExisting(type: string, ocid: unknown, region: string): Obj {
    if (typeof ocid !== "string" || ocid === "") {
      throw new Error(`the OCI model: ${type} lookup needs an OCID (got ${String(ocid)})`);
    }
    const known = this.lookup(ocid);
    if (known) {
      return { ...known.outputs };
    }
    const r = parseOcid(ocid)?.region ?? region;
    const synth: Obj = {
      compartmentId: makeOcid("compartment", undefined, "compartment|existing"),
      freeformTags: {},
      definedTags: {},
    };
    if (type === "oci:Core/virtualCircuit:VirtualCircuit") {
      // Offline there is no way to know which DRG an existing circuit ends on: say so.
      synth.state = "PROVISIONED";
      synth.type = "PRIVATE";
      synth.gatewayId = "unknown-offline";
    }
    if (type === "oci:Core/vcn:Vcn") {
      synth.cidrBlock = "10.0.0.0/16";
      synth.dnsLabel = "existing";
    }
    return {
      ...this.computeOutputs(type, `existing-${hashHex(ocid, 6)}`, ocid, synth, r, true),
      ...synth,
    };
  }
}
