/**
 * An OCI-faithful mock engine for Pulumi programs: `pulumi.runtime.Mocks` that answer like OCI
 * (OCID-shaped ids with the region key of the resource's provider, the output-only properties OCI
 * computes, the invokes the product uses), plus a recorder that captures every registration with
 * its real parent, provider, dependencies and which inputs were secret.
 *
 * Used by the component tests (tests/support/mockRuntime.ts) and by the offline plan
 * (lib/plan/runStack.ts). Where OCI would refuse a request outright (a subnet outside its VCN, a
 * stream retention outside 24..168 h, a peer region that does not match the peer RPC, a public IP
 * in a subnet that prohibits one, a third auth token for a user), the mock refuses it too, so the
 * plan fails the way `pulumi up` would.
 */
import * as pulumi from "@pulumi/pulumi";
import { isKnownRegion, OCI_REGIONS, regionKey } from "../oci/regions";
import { availabilityDomainNames, imagesIn, isArmShape, servicesIn, shapes } from "./ociCatalog";
import { hashBase32, hashHex, hashUuid, makeOcid, parseOcid } from "./ocid";
import { isWireSecret, secretPathsOf, unwrapWire, wireSecret } from "./wire";

/** Default region when neither the provider nor `oci:region` config names one (as the OCI CLI). */
export const DEFAULT_MOCK_REGION = "us-ashburn-1";

/** The fixed creation time every mocked resource reports (deterministic plans). */
export const MOCK_TIME_CREATED = "2025-01-01T00:00:00.000Z";

/** One registration seen by the mock engine. */
export interface ResourceRecord {
  /** URN as the Pulumi engine would compute it (full parent type chain, root stack omitted). */
  urn: string;
  type: string;
  name: string;
  /** Physical id; undefined for component resources. */
  id?: string;
  /** URN of the parent resource; undefined for the root stack (or a resource with no parent). */
  parent?: string;
  /**
   * Provider reference `<provider URN>::<provider id>` (as in Pulumi state); undefined when the
   * default provider is used.
   */
  provider?: string;
  /** `true` for custom (cloud) resources, `false` for components. */
  custom: boolean;
  /** `true` when registered by `Resource.get`/`StackReference` (a read) rather than created. */
  read: boolean;
  /** Region the resource lives in (OCI and provider resources only). */
  region?: string;
  /** Inputs with secrets unwrapped and resource references replaced by their id/URN. */
  inputs: Record<string, unknown>;
  /** Inputs exactly as the engine received them (secrets in Pulumi wire form). */
  wireInputs: Record<string, unknown>;
  /** Dotted paths of the inputs that were secret (`"cidrBlock"`, `"freeformTags.a"`). */
  secretInputs: string[];
  /** Outputs (for components: what `registerOutputs` gave), secrets unwrapped. */
  outputs: Record<string, unknown>;
  /** Outputs in wire form. */
  wireOutputs: Record<string, unknown>;
  /** URNs this resource depends on (parent excluded), as the engine sees them. */
  dependencies: string[];
}

export interface OciMocksOptions {
  /** Region used when no provider region and no `oci:region` config apply. */
  defaultRegion?: string;
  /** Tenancy name reported by `getTenancy` (appears in Streaming SASL usernames). */
  tenancyName?: string;
  /** Home region reported by `getTenancy`/`getRegionSubscriptions`; default: the `oci:region` config or the default region. */
  homeRegion?: string;
  /** Extra regions the tenancy is subscribed to (regions of every provider seen are added). */
  subscribedRegions?: string[];
  /**
   * Outputs of other stacks, by stack name, for `pulumi.StackReference`. Values wrapped with
   * {@link wireSecret} are secret outputs. A reference `org/project/primary` matches `primary`.
   */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** State of pre-existing resources by OCID, answered to `Resource.get` and to get-invokes. */
  existing?: Record<string, Record<string, unknown>>;
  /** Reject a second registration with the same URN, as the engine does. Default true. */
  checkDuplicateUrns?: boolean;
}

export interface InstallOptions {
  project?: string;
  stack?: string;
  preview?: boolean;
}

interface Pending {
  urn: string;
  read: boolean;
  additionalSecretOutputs: string[];
}

interface Known {
  type: string;
  region?: string;
  outputs: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

/** An error OCI (or the Pulumi engine) would return for the request; the mock raises it. */
export class MockRejection extends Error {
  constructor(type: string, name: string, detail: string) {
    super(`OCI would reject ${type} '${name}': ${detail}`);
    this.name = "MockRejection";
  }
}

/** The mock engine. See the module comment. */
export class OciMocks implements pulumi.runtime.Mocks {
  private readonly opts: OciMocksOptions;
  private records: ResourceRecord[] = [];
  private byUrn = new Map<string, ResourceRecord>();
  private known = new Map<string, Known>();
  private providerRegions = new Map<string, string>();
  private pending = new Map<string, Pending[]>();
  private seqs = new Map<string, number>();
  private ipCursor = new Map<string, number>();
  private tokensPerUser = new Map<string, number>();
  private regionsSeen = new Set<string>();
  private attempts = 0;
  private stackOutputs: Record<string, Record<string, unknown>>;
  private existing: Record<string, Record<string, unknown>>;

  constructor(opts: OciMocksOptions = {}) {
    this.opts = opts;
    this.stackOutputs = { ...(opts.stackOutputs ?? {}) };
    this.existing = { ...(opts.existing ?? {}) };
  }

  // ------------------------------------------------------------------ installation & registry

  /**
   * Calls `pulumi.runtime.setMocks(this, …)` and attaches the recorder to the mock monitor. Call
   * once per process, before importing modules that create resources.
   */
  install(opts: InstallOptions = {}): this {
    void pulumi.runtime.setMocks(
      this,
      opts.project ?? "project",
      opts.stack ?? "stack",
      opts.preview ?? false,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
    if (!monitor || typeof monitor.registerResource !== "function") {
      throw new Error("OciMocks.install: pulumi.runtime.setMocks did not install a mock monitor");
    }
    this.attach(monitor);
    return this;
  }

  /** Every successful registration since the last {@link reset}, in registration order. */
  resources(): ResourceRecord[] {
    return [...this.records];
  }

  /** Registrations attempted since the last reset (including ones that failed). */
  get registrationAttempts(): number {
    return this.attempts;
  }

  /** Forgets every registration and all mock state (ids, IP allocations, token counts). */
  reset(): void {
    this.records = [];
    this.byUrn.clear();
    this.known.clear();
    this.providerRegions.clear();
    this.pending.clear();
    this.seqs.clear();
    this.ipCursor.clear();
    this.tokensPerUser.clear();
    this.regionsSeen.clear();
    this.attempts = 0;
  }

  /** Replaces the outputs answered to `pulumi.StackReference`; see {@link OciMocksOptions.stackOutputs}. */
  setStackOutputs(outputs: Record<string, Record<string, unknown>>): void {
    this.stackOutputs = { ...outputs };
  }

  /** Replaces the pre-existing resources answered to reads and get-invokes; see {@link OciMocksOptions.existing}. */
  setExisting(existing: Record<string, Record<string, unknown>>): void {
    this.existing = { ...existing };
  }

  /** The region a provider reference (`urn::id`) stands for, falling back to config/default. */
  regionOf(providerRef?: string): string {
    if (providerRef) {
      const id = providerRef.slice(providerRef.lastIndexOf("::") + 2);
      const urn = providerRef.slice(0, providerRef.lastIndexOf("::"));
      const r = this.providerRegions.get(id) ?? this.providerRegions.get(urn);
      if (r) {
        return r;
      }
    }
    return this.configRegion();
  }

  private configRegion(): string {
    return pulumi.runtime.getConfig("oci:region") ?? this.opts.defaultRegion ?? DEFAULT_MOCK_REGION;
  }

  private attach(monitor: MonitorLike): void {
    const registerResource = monitor.registerResource.bind(monitor);
    const readResource = monitor.readResource.bind(monitor);
    const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);

    const wrap =
      (read: boolean, original: (req: Req, cb: Callback) => unknown) => (req: Req, cb: Callback) => {
        this.attempts++;
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent() || undefined;
        const urn = engineUrn(type, name, parent);
        if (this.opts.checkDuplicateUrns !== false && this.byUrn.has(urn)) {
          cb(new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`), undefined);
          return;
        }
        const wireInputs = ((read ? req.getProperties?.() : req.getObject?.())?.toJavaScript() ?? {}) as Obj;
        const providerRef = req.getProvider() || undefined;
        const record: ResourceRecord = {
          urn,
          type,
          name,
          parent,
          provider: providerRef,
          custom: read ? true : req.getCustom?.() !== false,
          read,
          inputs: unwrapWire(wireInputs) as Obj,
          wireInputs,
          secretInputs: secretPathsOf(wireInputs),
          outputs: {},
          wireOutputs: {},
          dependencies: req.getDependenciesList?.() ?? [],
        };
        this.records.push(record);
        this.byUrn.set(urn, record);
        const key = `${type}::${name}`;
        const queue = this.pending.get(key) ?? [];
        queue.push({ urn, read, additionalSecretOutputs: req.getAdditionalsecretoutputsList?.() ?? [] });
        this.pending.set(key, queue);

        original(req, (err, resp) => {
          if (err || !resp) {
            this.records = this.records.filter((r) => r !== record);
            this.byUrn.delete(urn);
            cb(err, resp);
            return;
          }
          const mockUrn = resp.getUrn();
          // Let the mock monitor find the resource under the engine-style URN as well.
          const entry = monitor.resources.get(mockUrn);
          if (entry) {
            monitor.resources.set(urn, entry);
          }
          resp.setUrn(urn);
          const id = resp.getId?.() || (read ? req.getId?.() : undefined) || undefined;
          record.id = record.custom ? id : undefined;
          record.wireOutputs = (resp.getObject?.()?.toJavaScript() ??
            resp.getProperties?.()?.toJavaScript() ??
            {}) as Obj;
          record.outputs = unwrapWire(record.wireOutputs) as Obj;
          cb(err, resp);
        });
      };

    monitor.registerResource = wrap(false, registerResource);
    monitor.readResource = wrap(true, readResource);
    monitor.registerResourceOutputs = (req: Req, cb: Callback) => {
      const record = this.byUrn.get(req.getUrn());
      if (record) {
        record.wireOutputs = (req.getOutputs?.()?.toJavaScript() ?? {}) as Obj;
        record.outputs = unwrapWire(record.wireOutputs) as Obj;
      }
      return registerResourceOutputs(req, cb);
    };
  }

  private takePending(type: string, name: string): Pending | undefined {
    const queue = this.pending.get(`${type}::${name}`);
    const p = queue?.shift();
    if (queue && queue.length === 0) {
      this.pending.delete(`${type}::${name}`);
    }
    return p;
  }

  // ------------------------------------------------------------------ resources

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const pending = this.takePending(args.type, args.name);
    const wireInputs = (args.inputs ?? {}) as Obj;
    const inputs = unwrapWire(wireInputs) as Obj;
    const read = pending?.read ?? false;

    if (args.type === "pulumi:pulumi:StackReference") {
      return this.stackReference(args.name, (inputs.name as string) ?? args.id ?? args.name);
    }
    if (args.type.startsWith("pulumi:providers:")) {
      return this.provider(args.type, args.name, wireInputs, inputs);
    }
    if (!args.custom) {
      return { id: undefined, state: wireInputs };
    }

    const existing = read && args.id ? this.existing[args.id] : undefined;
    const ocidRegion = args.id ? parseOcid(args.id)?.region : undefined;
    const region = (read && ocidRegion) || this.regionOf(args.provider);
    if (args.type.startsWith("oci:")) {
      this.regionsSeen.add(region);
    }
    const managed = DEFAULT_RESOURCE_KINDS[args.type] ? inputs.manageDefaultResourceId : undefined;
    // Default* resources adopt the VCN's default table/list: their id is the one they manage.
    const id =
      args.id || (typeof managed === "string" && managed) || this.newId(args.type, args.name, region);
    const computed = existing
      ? { ...existing }
      : this.computeOutputs(args.type, args.name, id, inputs, region, read);
    const state: Obj = { ...wireInputs };
    for (const [k, v] of Object.entries(computed)) {
      if (v === undefined) {
        continue;
      }
      // An output derived from a secret input stays secret, as in the engine.
      state[k] = isWireSecret(wireInputs[k]) && !isWireSecret(v) ? wireSecret(v) : v;
    }
    for (const k of pending?.additionalSecretOutputs ?? []) {
      if (state[k] !== undefined && !isWireSecret(state[k])) {
        state[k] = wireSecret(state[k]);
      }
    }
    this.known.set(id, { type: args.type, region, outputs: unwrapWire(state) as Obj });
    return { id, state };
  }

  private provider(
    type: string,
    name: string,
    wireInputs: Obj,
    inputs: Obj,
  ): pulumi.runtime.MockResourceResult {
    const id = hashUuid(`${this.seed(type, name)}`);
    if (type === "pulumi:providers:oci") {
      const region =
        typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : this.configRegion();
      if (!isKnownRegion(region)) {
        throw new MockRejection(type, name, `region '${region}' is not a known OCI region`);
      }
      this.providerRegions.set(id, region);
      this.regionsSeen.add(region);
      return { id, state: { ...wireInputs, region } };
    }
    return { id, state: wireInputs };
  }

  private stackReference(name: string, ref: string): pulumi.runtime.MockResourceResult {
    const last = ref.split("/").pop() ?? ref;
    const outputs = this.stackOutputs[ref] ?? this.stackOutputs[last];
    if (!outputs) {
      const known = Object.keys(this.stackOutputs);
      throw new Error(
        `StackReference '${name}': no outputs for stack '${ref}' in the mock engine ` +
          `(known: ${known.length ? known.join(", ") : "none"}); plan the referenced stack first`,
      );
    }
    const secretOutputNames = Object.keys(outputs).filter((k) => isWireSecret(outputs[k]));
    return { id: ref, state: { name: ref, outputs, secretOutputNames } };
  }

  private seed(type: string, name: string): string {
    const base = `${pulumi.getProject()}|${pulumi.getStack()}|${type}|${name}`;
    const n = this.seqs.get(base) ?? 0;
    this.seqs.set(base, n + 1);
    return n === 0 ? base : `${base}|${n}`;
  }

  private newId(type: string, name: string, region: string): string {
    const seed = this.seed(type, name);
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

  private ocid(kind: string, region: string | undefined, seed: string): string {
    return makeOcid(kind, region, seed);
  }

  private lookup(id: unknown): Known | undefined {
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

  /** Allocates the next free host address in a subnet (OCI reserves .0, .1 and the last). */
  private allocateIp(subnetId: unknown, requested?: unknown): string | undefined {
    if (typeof requested === "string" && requested !== "") {
      return requested;
    }
    const subnet = this.lookup(subnetId);
    const cidr = subnet?.outputs.cidrBlock;
    if (typeof cidr !== "string") {
      return undefined;
    }
    const next = (this.ipCursor.get(subnetId as string) ?? 1) + 1;
    this.ipCursor.set(subnetId as string, next);
    return hostInCidr(cidr, next + 8);
  }

  private computeOutputs(
    type: string,
    name: string,
    id: string,
    inp: Obj,
    region: string,
    read: boolean,
  ): Obj {
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
    const common: Obj = { timeCreated: MOCK_TIME_CREATED };
    const seed = `${id}`;

    switch (type) {
      // ---------------------------------------------------------------- networking
      case "oci:Core/vcn:Vcn": {
        const cidrBlocks =
          (inp.cidrBlocks as string[] | undefined) ?? (inp.cidrBlock ? [inp.cidrBlock as string] : []);
        if (!read && cidrBlocks.length === 0) {
          reject("one of cidrBlock or cidrBlocks is required");
        }
        for (const c of cidrBlocks) {
          if (!parseCidr(c)) {
            reject(`cidrBlock '${c}' is not a valid IPv4 CIDR`);
          }
        }
        checkDnsLabel(inp.dnsLabel, reject);
        return {
          ...common,
          cidrBlock: inp.cidrBlock ?? cidrBlocks[0],
          cidrBlocks,
          displayName: inp.displayName ?? name,
          defaultRouteTableId: this.ocid("routetable", region, `${seed}|default-rt`),
          defaultSecurityListId: this.ocid("securitylist", region, `${seed}|default-sl`),
          defaultDhcpOptionsId: this.ocid("dhcpoptions", region, `${seed}|default-dhcp`),
          vcnDomainName: inp.dnsLabel ? `${inp.dnsLabel}.oraclevcn.com` : undefined,
          ipv6cidrBlocks: [],
          byoipv6cidrBlocks: [],
          isIpv6enabled: inp.isIpv6enabled ?? false,
          state: "AVAILABLE",
        };
      }
      case "oci:Core/subnet:Subnet": {
        const vcn = sameRegion("vcnId", inp.vcnId);
        const cidr = inp.cidrBlock as string | undefined;
        const parsed = cidr ? parseCidr(cidr) : undefined;
        if (!read && !parsed) {
          reject(`cidrBlock '${String(cidr)}' is not a valid IPv4 CIDR`);
        }
        checkDnsLabel(inp.dnsLabel, reject);
        if (vcn && parsed && cidr) {
          const vcnCidrs = (vcn.outputs.cidrBlocks as string[] | undefined) ?? [];
          if (vcnCidrs.length && !vcnCidrs.some((v) => cidrContains(v, cidr))) {
            reject(`cidrBlock ${cidr} is not within the VCN's CIDR blocks (${vcnCidrs.join(", ")})`);
          }
          for (const [otherId, other] of this.known) {
            if (
              other.type === type &&
              other.outputs.vcnId === inp.vcnId &&
              typeof other.outputs.cidrBlock === "string" &&
              cidrOverlaps(other.outputs.cidrBlock, cidr)
            ) {
              reject(
                `cidrBlock ${cidr} overlaps subnet ${otherId} (${other.outputs.cidrBlock}) in the same VCN`,
              );
            }
          }
        }
        const vcnLabel = vcn?.outputs.dnsLabel;
        const prohibitPublicIpOnVnic = inp.prohibitPublicIpOnVnic ?? inp.prohibitInternetIngress ?? false;
        return {
          ...common,
          displayName: inp.displayName ?? name,
          ipv4cidrBlocks: inp.ipv4cidrBlocks ?? (cidr ? [cidr] : undefined),
          routeTableId: inp.routeTableId ?? vcn?.outputs.defaultRouteTableId,
          securityListIds: inp.securityListIds ?? (vcn ? [vcn.outputs.defaultSecurityListId] : undefined),
          dhcpOptionsId: inp.dhcpOptionsId ?? vcn?.outputs.defaultDhcpOptionsId,
          prohibitPublicIpOnVnic,
          prohibitInternetIngress: inp.prohibitInternetIngress ?? prohibitPublicIpOnVnic,
          subnetDomainName:
            inp.dnsLabel && vcnLabel ? `${inp.dnsLabel}.${vcnLabel}.oraclevcn.com` : undefined,
          virtualRouterIp: cidr && parsed ? hostInCidr(cidr, 1) : undefined,
          virtualRouterMac: `00:00:17:${hashHex(seed, 6).match(/../g)?.join(":").toUpperCase()}`,
          state: "AVAILABLE",
        };
      }
      case "oci:Core/drg:Drg":
        return {
          ...common,
          displayName: inp.displayName ?? name,
          // OCI creates two route tables: one for VCN attachments, one shared by RPC, VC and IPSec.
          defaultDrgRouteTables: [
            {
              vcn: this.ocid("drgroutetable", region, `${seed}|vcn`),
              remotePeeringConnection: this.ocid("drgroutetable", region, `${seed}|other`),
              virtualCircuit: this.ocid("drgroutetable", region, `${seed}|other`),
              ipsecTunnel: this.ocid("drgroutetable", region, `${seed}|other`),
            },
          ],
          defaultExportDrgRouteDistributionId: this.ocid("drgroutedistribution", region, `${seed}|export`),
          redundancyStatus: "NOT_AVAILABLE",
          state: "AVAILABLE",
        };
      case "oci:Core/drgAttachment:DrgAttachment": {
        const drg = sameRegion("drgId", inp.drgId);
        const nd = inp.networkDetails as Obj | undefined;
        const vcnId = (nd?.id as string | undefined) ?? (inp.vcnId as string | undefined);
        sameRegion("network vcn", vcnId);
        const tables = (drg?.outputs.defaultDrgRouteTables as Obj[] | undefined)?.[0];
        return {
          ...common,
          displayName: inp.displayName ?? name,
          compartmentId: drg?.outputs.compartmentId,
          drgRouteTableId: inp.drgRouteTableId ?? tables?.vcn,
          exportDrgRouteDistributionId:
            inp.exportDrgRouteDistributionId ?? drg?.outputs.defaultExportDrgRouteDistributionId,
          networkDetails: vcnId
            ? { type: "VCN", vcnRouteType: "SUBNET_CIDRS", ...(nd ?? {}), id: vcnId }
            : nd,
          vcnId,
          isCrossTenancy: false,
          state: "ATTACHED",
        };
      }
      case "oci:Core/remotePeeringConnection:RemotePeeringConnection": {
        sameRegion("drgId", inp.drgId);
        const peerId = inp.peerId as string | undefined;
        const peerRegion = inp.peerRegionName as string | undefined;
        if (peerId) {
          if (!peerRegion) {
            reject("peerRegionName is required with peerId");
          }
          if (!isKnownRegion(peerRegion as string)) {
            reject(`peerRegionName '${peerRegion}' is not a known OCI region`);
          }
          if (peerRegion === region) {
            reject(
              `peerRegionName ${peerRegion} is this RPC's own region; remote peering connects two regions`,
            );
          }
          const p = parseOcid(peerId);
          if (p && p.kind !== "remotepeeringconnection") {
            reject(`peerId ${peerId} is a ${p.kind} OCID, not a remote peering connection`);
          }
          if (p?.region && p.region !== peerRegion) {
            reject(`peerId ${peerId} is in ${p.region} but peerRegionName is ${peerRegion}`);
          }
        }
        const drg = this.lookup(inp.drgId);
        return {
          ...common,
          displayName: inp.displayName ?? name,
          compartmentId: inp.compartmentId ?? drg?.outputs.compartmentId,
          peeringStatus: peerId ? "PEERED" : "NEW",
          peeringStatusDetails: peerId ? "Connected to a peer" : "Not connected to a peer",
          isCrossTenancyPeering: false,
          peerTenancyId: peerId ? this.tenancyId() : undefined,
          state: "AVAILABLE",
        };
      }
      case "oci:Core/networkSecurityGroup:NetworkSecurityGroup":
        sameRegion("vcnId", inp.vcnId);
        return { ...common, displayName: inp.displayName ?? name, state: "AVAILABLE" };
      case "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": {
        const dir = inp.direction;
        if (dir === "INGRESS" && !inp.source) {
          reject("an INGRESS rule needs source");
        }
        if (dir === "EGRESS" && !inp.destination) {
          reject("an EGRESS rule needs destination");
        }
        return {
          ...common,
          sourceType: inp.source ? (inp.sourceType ?? "CIDR_BLOCK") : undefined,
          destinationType: inp.destination ? (inp.destinationType ?? "CIDR_BLOCK") : undefined,
          stateless: inp.stateless ?? false,
          isValid: true,
        };
      }
      case "oci:Core/natGateway:NatGateway":
        sameRegion("vcnId", inp.vcnId);
        return {
          ...common,
          displayName: inp.displayName ?? name,
          blockTraffic: inp.blockTraffic ?? false,
          natIp: hostInCidr("198.51.100.0/24", 10 + (parseInt(hashHex(seed, 2), 16) % 200)),
          publicIpId: inp.publicIpId ?? this.ocid("publicip", region, `${seed}|natip`),
          state: "AVAILABLE",
        };
      case "oci:Core/serviceGateway:ServiceGateway":
        sameRegion("vcnId", inp.vcnId);
        return { ...common, displayName: inp.displayName ?? name, blockTraffic: false, state: "AVAILABLE" };
      case "oci:Core/internetGateway:InternetGateway":
        sameRegion("vcnId", inp.vcnId);
        return {
          ...common,
          displayName: inp.displayName ?? name,
          enabled: inp.enabled ?? true,
          state: "AVAILABLE",
        };
      case "oci:Core/defaultRouteTable:DefaultRouteTable":
      case "oci:Core/defaultSecurityList:DefaultSecurityList":
      case "oci:Core/defaultDhcpOptions:DefaultDhcpOptions": {
        const vcn = [...this.known.entries()].find(([, k]) =>
          Object.values(k.outputs).some((v) => v === inp.manageDefaultResourceId),
        );
        if (vcn && vcn[1].region !== region) {
          reject(
            `manageDefaultResourceId belongs to VCN ${vcn[0]} in ${vcn[1].region}, this resource is in ${region}`,
          );
        }
        return {
          ...common,
          displayName: inp.displayName ?? name,
          compartmentId: inp.compartmentId ?? vcn?.[1].outputs.compartmentId,
          vcnId: vcn?.[0],
          state: "AVAILABLE",
        };
      }
      case "oci:Core/routeTable:RouteTable":
      case "oci:Core/securityList:SecurityList":
      case "oci:Core/dhcpOptions:DhcpOptions":
        sameRegion("vcnId", inp.vcnId);
        return { ...common, displayName: inp.displayName ?? name, state: "AVAILABLE" };
      case "oci:Core/drgRouteTable:DrgRouteTable":
      case "oci:Core/drgRouteDistribution:DrgRouteDistribution": {
        const drg = sameRegion("drgId", inp.drgId);
        return {
          ...common,
          displayName: inp.displayName ?? name,
          compartmentId: drg?.outputs.compartmentId,
          state: "AVAILABLE",
        };
      }
      case "oci:Core/drgRouteTableRouteRule:DrgRouteTableRouteRule":
        return { isBlackhole: false, isConflict: false, routeProvenance: "STATIC", routeType: "STATIC" };

      // ---------------------------------------------------------------- streaming
      case "oci:Streaming/streamPool:StreamPool": {
        const pe = inp.privateEndpointSettings as Obj | undefined;
        const isPrivate = typeof pe?.subnetId === "string" && pe.subnetId !== "";
        let privateEndpointSettings: Obj | undefined;
        if (isPrivate) {
          const subnet = sameRegion("privateEndpointSettings.subnetId", pe?.subnetId);
          for (const nsgId of (pe?.nsgIds as string[] | undefined) ?? []) {
            const nsg = sameRegion("privateEndpointSettings.nsgIds", nsgId);
            if (nsg && subnet && nsg.outputs.vcnId !== subnet.outputs.vcnId) {
              reject(`NSG ${nsgId} is not in the VCN of subnet ${String(pe?.subnetId)}`);
            }
          }
          privateEndpointSettings = {
            subnetId: pe?.subnetId,
            nsgIds: pe?.nsgIds ?? [],
            privateEndpointIp: this.allocateIp(pe?.subnetId, pe?.privateEndpointIp),
          };
        }
        const endpointFqdn = isPrivate
          ? `${hashBase32(`${seed}|pe`, 12)}.streaming.${region}.oci.oraclecloud.com`
          : `cell-1.streaming.${region}.oci.oraclecloud.com`;
        const ks = (inp.kafkaSettings as Obj | undefined) ?? {};
        const logRetentionHours = (ks.logRetentionHours as number | undefined) ?? 24;
        if (logRetentionHours < 24 || logRetentionHours > 168) {
          reject(`kafkaSettings.logRetentionHours ${logRetentionHours} is outside 24..168`);
        }
        const cek = inp.customEncryptionKey as Obj | undefined;
        return {
          ...common,
          endpointFqdn,
          isPrivate,
          privateEndpointSettings,
          kafkaSettings: {
            autoCreateTopicsEnable: ks.autoCreateTopicsEnable ?? false,
            logRetentionHours,
            numPartitions: ks.numPartitions ?? 1,
            bootstrapServers: `${endpointFqdn}:9092`,
          },
          customEncryptionKey: cek?.kmsKeyId ? { kmsKeyId: cek.kmsKeyId, keyState: "ACTIVE" } : undefined,
          lifecycleStateDetails: "",
          state: "ACTIVE",
        };
      }
      case "oci:Streaming/stream:Stream": {
        const partitions = inp.partitions as number | undefined;
        if (!read && (partitions === undefined || partitions < 1)) {
          reject(`partitions must be at least 1 (got ${String(partitions)})`);
        }
        const retention = (inp.retentionInHours as number | undefined) ?? 24;
        if (retention < 24 || retention > 168) {
          reject(`retentionInHours ${retention} is outside 24..168`);
        }
        if (inp.streamPoolId && inp.compartmentId) {
          reject("compartmentId and streamPoolId cannot be specified at the same time");
        }
        const pool = sameRegion("streamPoolId", inp.streamPoolId);
        const fqdn =
          (pool?.outputs.endpointFqdn as string | undefined) ??
          `cell-1.streaming.${region}.oci.oraclecloud.com`;
        return {
          ...common,
          streamPoolId: inp.streamPoolId ?? this.ocid("streampool", region, `default-pool|${region}`),
          compartmentId: inp.compartmentId ?? pool?.outputs.compartmentId,
          retentionInHours: retention,
          messagesEndpoint: `https://${fqdn}`,
          lifecycleStateDetails: "",
          state: "ACTIVE",
        };
      }
      case "oci:Streaming/connectHarness:ConnectHarness":
        return { ...common, lifecycleStateDetails: "", state: "ACTIVE" };

      // ---------------------------------------------------------------- compute & bastion
      case "oci:Core/instance:Instance": {
        const vnic = (inp.createVnicDetails as Obj | undefined) ?? {};
        const subnetId = vnic.subnetId ?? inp.subnetId;
        const subnet = sameRegion("createVnicDetails.subnetId", subnetId);
        const prohibited = subnet?.outputs.prohibitPublicIpOnVnic === true;
        const assign = vnic.assignPublicIp;
        const wantsPublic = assign === undefined ? !prohibited : assign === true || assign === "true";
        if (wantsPublic && prohibited) {
          reject("createVnicDetails.assignPublicIp is true but the subnet prohibits public IPs");
        }
        const privateIp = this.allocateIp(subnetId, vnic.privateIp);
        const shapeConfig = (inp.shapeConfig as Obj | undefined) ?? {};
        const ocpus = (shapeConfig.ocpus as number | undefined) ?? 1;
        const source = (inp.sourceDetails as Obj | undefined) ?? {};
        return {
          ...common,
          displayName: inp.displayName ?? name,
          region,
          faultDomain: inp.faultDomain ?? "FAULT-DOMAIN-1",
          privateIp,
          publicIp: wantsPublic
            ? hostInCidr("203.0.113.0/24", 10 + (parseInt(hashHex(seed, 2), 16) % 200))
            : "",
          bootVolumeId: this.ocid("bootvolume", region, `${seed}|boot`),
          launchMode: "PARAVIRTUALIZED",
          createVnicDetails: {
            ...vnic,
            subnetId,
            privateIp,
            assignPublicIp: String(wantsPublic),
            hostnameLabel: vnic.hostnameLabel ?? inp.hostnameLabel,
          },
          shapeConfig: {
            ...shapeConfig,
            ocpus,
            vcpus: isArmShape(String(inp.shape ?? "")) ? ocpus : ocpus * 2,
            memoryInGbs: (shapeConfig.memoryInGbs as number | undefined) ?? ocpus * 16,
          },
          sourceDetails: { bootVolumeSizeInGbs: "47", ...source },
          state: inp.state ?? "RUNNING",
        };
      }
      case "oci:Bastion/bastion:Bastion": {
        const subnet = sameRegion("targetSubnetId", inp.targetSubnetId);
        return {
          ...common,
          name: inp.name ?? name.replace(/[^A-Za-z0-9]/g, ""),
          bastionType: inp.bastionType ?? "STANDARD",
          targetVcnId: subnet?.outputs.vcnId,
          privateEndpointIpAddress: this.allocateIp(inp.targetSubnetId),
          maxSessionsAllowed: 20,
          maxSessionTtlInSeconds: inp.maxSessionTtlInSeconds ?? 10800,
          dnsProxyStatus: inp.dnsProxyStatus ?? "DISABLED",
          lifecycleDetails: "",
          state: "ACTIVE",
        };
      }

      // ---------------------------------------------------------------- vault & keys
      case "oci:Kms/vault:Vault": {
        const host = hashBase32(`${seed}|vault`, 13);
        return {
          ...common,
          displayName: inp.displayName ?? name,
          vaultType: inp.vaultType ?? "DEFAULT",
          managementEndpoint: `https://${host}-management.kms.${region}.oraclecloud.com`,
          cryptoEndpoint: `https://${host}-crypto.kms.${region}.oraclecloud.com`,
          isPrimary: true,
          isVaultReplicable: false,
          state: "ACTIVE",
        };
      }
      case "oci:Kms/key:Key": {
        const vault = [...this.known.entries()].find(
          ([, k]) =>
            k.type === "oci:Kms/vault:Vault" && k.outputs.managementEndpoint === inp.managementEndpoint,
        );
        if (vault && vault[1].region !== region) {
          reject(`managementEndpoint belongs to a vault in ${vault[1].region}, this key is in ${region}`);
        }
        return {
          ...common,
          displayName: inp.displayName ?? name,
          vaultId: vault?.[0],
          protectionMode: inp.protectionMode ?? "HSM",
          currentKeyVersion: this.ocid("keyversion", region, `${seed}|v1`),
          isPrimary: true,
          state: "ENABLED",
        };
      }
      case "oci:Vault/secret:Secret":
        sameRegion("vaultId", inp.vaultId);
        return {
          ...common,
          currentVersionNumber: "1",
          isAutoGenerationEnabled: inp.enableAutoGeneration ?? false,
          isReplica: false,
          lifecycleDetails: "",
          state: "ACTIVE",
        };

      // ---------------------------------------------------------------- on-premises connectivity
      case "oci:Core/cpe:Cpe":
        return { ...common, isPrivate: false };
      case "oci:Core/ipsec:Ipsec": {
        sameRegion("drgId", inp.drgId);
        sameRegion("cpeId", inp.cpeId);
        const routes = (inp.staticRoutes as unknown[] | undefined) ?? [];
        if (!read && routes.length === 0) {
          reject("staticRoutes must list at least one CIDR");
        }
        return {
          ...common,
          state: "AVAILABLE",
          transportType: "INTERNET",
          cpeLocalIdentifierType: "IP_ADDRESS",
        };
      }
      case "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement": {
        const ipsec = sameRegion("ipsecId", inp.ipsecId);
        const cpe = this.lookup(ipsec?.outputs.cpeId);
        const secret = inp.sharedSecret;
        if (!read && typeof secret === "string" && !/^[A-Za-z0-9 ]{1,255}$/.test(secret)) {
          reject("sharedSecret may contain only letters, digits and spaces (1-255 characters)");
        }
        return {
          ...common,
          vpnIp: mockHeadendIp(`${String(inp.ipsecId)}|${String(inp.tunnelId)}`),
          cpeIp: cpe?.outputs.ipAddress,
          routing: inp.routing ?? "STATIC",
          ikeVersion: inp.ikeVersion ?? "V1",
          sharedSecret: secret,
          status: "DOWN",
          state: "AVAILABLE",
        };
      }

      // ---------------------------------------------------------------- identity (tenancy-wide)
      case "oci:Identity/user:User":
        return { ...common, emailVerified: false, capabilities: [], inactiveState: "", state: "ACTIVE" };
      case "oci:Identity/authToken:AuthToken": {
        const user = String(inp.userId ?? "");
        const n = (this.tokensPerUser.get(user) ?? 0) + 1;
        if (n > 2) {
          reject(`user ${user} already has 2 auth tokens (the OCI limit)`);
        }
        this.tokensPerUser.set(user, n);
        // Not marked secret: the OCI provider does not mark it either; callers must wrap it.
        return {
          ...common,
          token: `MOCK-authtoken-${hashBase32(`${seed}|token`, 10)}`,
          timeExpires: "",
          inactiveState: "",
          state: "ACTIVE",
        };
      }
      case "oci:Identity/group:Group":
      case "oci:Identity/dynamicGroup:DynamicGroup":
      case "oci:Identity/compartment:Compartment":
      case "oci:Identity/userGroupMembership:UserGroupMembership":
        return { ...common, inactiveState: "", state: "ACTIVE" };
      case "oci:Identity/policy:Policy": {
        const statements = inp.statements as unknown[] | undefined;
        if (!read && (!statements || statements.length === 0)) {
          reject("statements must contain at least one statement");
        }
        return { ...common, ETag: hashHex(seed, 16), inactiveState: "", state: "ACTIVE" };
      }

      // ---------------------------------------------------------------- @pulumi/random
      case "random:index/randomPassword:RandomPassword":
      case "random:index/randomString:RandomString": {
        const len = (inp.length as number | undefined) ?? 16;
        const result = hashBase32(`${seed}|random`, len);
        return type.endsWith("RandomPassword")
          ? { result, bcryptHash: `$2a$10$${hashBase32(`${seed}|bcrypt`, 53)}` }
          : { result };
      }
      case "random:index/randomId:RandomId": {
        const bytes = (inp.byteLength as number | undefined) ?? 8;
        const hex = hashHex(`${seed}|id`, bytes * 2);
        const buf = Buffer.from(hex, "hex");
        return {
          hex,
          dec: BigInt(`0x${hex}`).toString(10),
          b64Std: buf.toString("base64"),
          b64Url: buf.toString("base64url"),
        };
      }
      case "random:index/randomInteger:RandomInteger": {
        const min = (inp.min as number | undefined) ?? 0;
        const max = (inp.max as number | undefined) ?? min;
        return { result: min + (parseInt(hashHex(seed, 8), 16) % (max - min + 1)) };
      }
      case "random:index/randomUuid:RandomUuid":
        return { result: hashUuid(seed) };
      case "random:index/randomPet:RandomPet":
        return { id: `mock-${hashBase32(seed, 6)}` };
    }
    // Unknown types: inputs only (unmocked outputs stay undefined, so gaps are visible).
    return {};
  }

  private tenancyId(): string {
    return makeOcid("tenancy", undefined, `tenancy|${this.opts.tenancyName ?? "mocktenancy"}`);
  }

  private homeRegion(): string {
    return this.opts.homeRegion ?? this.configRegion();
  }

  // ------------------------------------------------------------------ invokes

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    try {
      return this.answer(args);
    } catch (e) {
      // The SDK reports a failed invoke with the RPC error's `details` (gRPC style).
      const err = e instanceof Error ? e : new Error(String(e));
      (err as Error & { details?: string }).details = err.message.includes(args.token)
        ? err.message
        : `${args.token}: ${err.message}`;
      throw err;
    }
  }

  private answer(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const inp = unwrapWire(args.inputs ?? {}) as Obj;
    const region = this.regionOf(args.provider);
    const tenancySeed = this.opts.tenancyName ?? "mocktenancy";
    const filters = inp.filters as Filter[] | undefined;
    const id = `mock-${args.token.split(":").pop()}-${hashHex(JSON.stringify(inp) + region, 8)}`;
    switch (args.token) {
      case "oci:Identity/getAvailabilityDomains:getAvailabilityDomains":
        return {
          ...inp,
          id,
          availabilityDomains: applyFilters(
            availabilityDomainNames(region, tenancySeed).map((n) => ({
              name: n,
              id: makeOcid("availabilitydomain", undefined, `${tenancySeed}|${n}`),
              compartmentId: inp.compartmentId,
            })),
            filters,
          ),
        };
      case "oci:Identity/getFaultDomains:getFaultDomains":
        return {
          ...inp,
          id,
          faultDomains: applyFilters(
            [1, 2, 3].map((n) => ({
              name: `FAULT-DOMAIN-${n}`,
              id: makeOcid("faultdomain", region, `${tenancySeed}|${String(inp.availabilityDomain)}|${n}`),
              availabilityDomain: inp.availabilityDomain,
              compartmentId: inp.compartmentId,
            })),
            filters,
          ),
        };
      case "oci:Core/getImages:getImages": {
        let images = imagesIn(region);
        if (typeof inp.shape === "string") {
          const arch = isArmShape(inp.shape) ? "aarch64" : "x86_64";
          images = images.filter((i) => i.arch === arch);
        }
        images = images.filter(
          (i) =>
            (inp.operatingSystem === undefined || i.operatingSystem === inp.operatingSystem) &&
            (inp.operatingSystemVersion === undefined ||
              i.operatingSystemVersion === inp.operatingSystemVersion) &&
            (inp.displayName === undefined || i.displayName === inp.displayName),
        );
        if (inp.sortBy === "DISPLAYNAME") {
          images.sort((a, b) => a.displayName.localeCompare(b.displayName));
          if (inp.sortOrder !== "ASC") {
            images.reverse();
          }
        } else if (inp.sortOrder === "ASC") {
          images.reverse();
        }
        return {
          ...inp,
          id,
          images: applyFilters(
            images.map(({ arch, ...i }) => ({
              ...i,
              compartmentId: null,
              baseImageId: null,
              createImageAllowed: true,
              launchMode: "NATIVE",
              listingType: "NONE",
              sizeInMbs: "47694",
              billableSizeInGbs: arch === "aarch64" ? "4" : "3",
              state: "AVAILABLE",
              agentFeatures: [],
              launchOptions: [],
              imageSourceDetails: [],
            })),
            filters,
          ),
        };
      }
      case "oci:Core/getShapes:getShapes":
        return {
          ...inp,
          id,
          shapes: applyFilters(
            shapes().filter((s) => inp.shape === undefined || s.name === inp.shape),
            filters,
          ),
        };
      case "oci:Identity/getTenancy:getTenancy":
        return {
          id: inp.tenancyId,
          tenancyId: inp.tenancyId,
          name: this.opts.tenancyName ?? "mocktenancy",
          description: "Mock tenancy (offline plan)",
          homeRegionKey: regionKey(this.homeRegion()).toUpperCase(),
          definedTags: {},
          freeformTags: {},
          upiIdcsCompatibilityLayerEndpoint: "",
        };
      case "oci:Identity/getRegionSubscriptions:getRegionSubscriptions": {
        const home = this.homeRegion();
        const regions = new Set<string>([
          home,
          ...(this.opts.subscribedRegions ?? []),
          ...this.regionsSeen,
          region,
        ]);
        return {
          ...inp,
          id,
          regionSubscriptions: applyFilters(
            [...regions].sort().map((r) => ({
              regionName: r,
              regionKey: regionKey(r).toUpperCase(),
              isHomeRegion: r === home,
              state: "READY",
              tenancyId: inp.tenancyId,
            })),
            filters,
          ),
        };
      }
      case "oci:Identity/getRegions:getRegions":
        return {
          id,
          regions: applyFilters(
            OCI_REGIONS.map((r) => ({ name: r, key: regionKey(r).toUpperCase() })),
            filters,
          ),
        };
      case "oci:Core/getServices:getServices":
        return { id, services: applyFilters(servicesIn(region), filters) };
      case "oci:Streaming/getStreamPool:getStreamPool": {
        const pool = this.describeExisting("oci:Streaming/streamPool:StreamPool", inp.streamPoolId, region);
        return {
          ...pool,
          id: inp.streamPoolId,
          streamPoolId: inp.streamPoolId,
          // Data sources return nested blocks as lists.
          kafkaSettings: listOf(pool.kafkaSettings),
          privateEndpointSettings: listOf(pool.privateEndpointSettings),
          customEncryptionKeys: listOf(pool.customEncryptionKey),
        };
      }
      case "oci:Streaming/getStreamPools:getStreamPools": {
        const pools = [...this.known.entries()]
          .filter(([, k]) => k.type === "oci:Streaming/streamPool:StreamPool" && k.region === region)
          .map(([poolId, k]): Obj => ({ ...k.outputs, id: poolId }))
          .filter(
            (p) =>
              (inp.name === undefined || p.name === inp.name) && (inp.id === undefined || p.id === inp.id),
          );
        return { ...inp, id, streamPools: applyFilters(pools, filters) };
      }
      case "oci:Core/getIpsecConnectionTunnels:getIpsecConnectionTunnels": {
        const ipsec = this.lookup(inp.ipsecId);
        if (ipsec?.type !== "oci:Core/ipsec:Ipsec") {
          throw new Error(`no IPSec connection ${String(inp.ipsecId)}`);
        }
        const cpe = this.lookup(ipsec.outputs.cpeId);
        const tunnels = [1, 2].map((n) => ({
          id: makeOcid("ipsectunnel", ipsec.region, `${String(inp.ipsecId)}|${n}`),
          ipsecId: inp.ipsecId,
          vpnIp: mockHeadendIp(`${String(inp.ipsecId)}|${n}`),
          cpeIp: cpe?.outputs.ipAddress,
          routing: "STATIC",
          ikeVersion: "V1",
          status: "DOWN",
          state: "AVAILABLE",
        }));
        return { ...inp, id, ipSecConnectionTunnels: applyFilters(tunnels, filters) };
      }
      case "oci:Core/getVirtualCircuit:getVirtualCircuit":
        return {
          ...this.describeExisting("oci:Core/virtualCircuit:VirtualCircuit", inp.virtualCircuitId, region),
          id: inp.virtualCircuitId,
          virtualCircuitId: inp.virtualCircuitId,
        };
      case "oci:Core/getVcn:getVcn":
        return {
          ...this.describeExisting("oci:Core/vcn:Vcn", inp.vcnId, region),
          id: inp.vcnId,
          vcnId: inp.vcnId,
        };
      case "oci:Core/getSubnet:getSubnet":
        return {
          ...this.describeExisting("oci:Core/subnet:Subnet", inp.subnetId, region),
          id: inp.subnetId,
          subnetId: inp.subnetId,
        };
    }
    throw new Error(
      `OciMocks has no mock for invoke '${args.token}'; add it to lib/plan/ociMocks.ts ` +
        `(answered: ${ANSWERED_INVOKES.join(", ")})`,
    );
  }

  /** State of a resource by OCID: registered in this run, given in `existing`, or synthesised. */
  private describeExisting(type: string, ocid: unknown, region: string): Obj {
    if (typeof ocid !== "string" || ocid === "") {
      throw new Error(`OciMocks: ${type} lookup needs an OCID (got ${String(ocid)})`);
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

/** Invokes {@link OciMocks.call} answers. */
export const ANSWERED_INVOKES: readonly string[] = [
  "oci:Identity/getAvailabilityDomains:getAvailabilityDomains",
  "oci:Identity/getFaultDomains:getFaultDomains",
  "oci:Core/getImages:getImages",
  "oci:Core/getShapes:getShapes",
  "oci:Identity/getTenancy:getTenancy",
  "oci:Identity/getRegionSubscriptions:getRegionSubscriptions",
  "oci:Identity/getRegions:getRegions",
  "oci:Core/getServices:getServices",
  "oci:Streaming/getStreamPool:getStreamPool",
  "oci:Streaming/getStreamPools:getStreamPools",
  "oci:Core/getVcn:getVcn",
  "oci:Core/getSubnet:getSubnet",
  "oci:Core/getIpsecConnectionTunnels:getIpsecConnectionTunnels",
  "oci:Core/getVirtualCircuit:getVirtualCircuit",
];

/** A deterministic stand-in for an OCI VPN headend's public IP (documentation range 203.0.113.0/24). */
function mockHeadendIp(seed: string): string {
  return `203.0.113.${(parseInt(hashHex(seed, 4), 16) % 254) + 1}`;
}

/** Default-resource types (they manage an existing VCN default) and the OCID kind of what they manage. */
const DEFAULT_RESOURCE_KINDS: Record<string, string> = {
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
  };
  return special[type] ?? DEFAULT_RESOURCE_KINDS[type] ?? (type.split(":").pop() ?? type).toLowerCase();
}

// ---------------------------------------------------------------------------- engine URNs

/**
 * The URN the Pulumi engine gives a resource: the parent's qualified type chain (omitting the root
 * stack) joined with `$`. (The SDK's MockMonitor keeps only the parent's last type segment.)
 */
function engineUrn(type: string, name: string, parentUrn?: string): string {
  const parentQualified = parentUrn ? qualifiedTypeOf(parentUrn) : undefined;
  const isRootParent = parentQualified === undefined || parentQualified === "pulumi:pulumi:Stack";
  const qualified = isRootParent ? type : `${parentQualified}$${type}`;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

function qualifiedTypeOf(urn: string): string {
  return urn.split("::")[2] ?? "";
}

// ---------------------------------------------------------------------------- monitor typing

interface Struct {
  toJavaScript(): unknown;
}

interface Req {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getUrn(): string;
  getCustom?(): boolean;
  getId?(): string;
  getObject?(): Struct | undefined;
  getProperties?(): Struct | undefined;
  getOutputs?(): Struct | undefined;
  getDependenciesList?(): string[];
  getAdditionalsecretoutputsList?(): string[];
}

interface Resp {
  getUrn(): string;
  setUrn(urn: string): void;
  getId?(): string;
  getObject?(): Struct | undefined;
  getProperties?(): Struct | undefined;
}

type Callback = (err: unknown, resp: Resp | undefined) => void;

interface MonitorLike {
  resources: Map<string, unknown>;
  registerResource(req: Req, cb: Callback): unknown;
  readResource(req: Req, cb: Callback): unknown;
  registerResourceOutputs(req: Req, cb: Callback): unknown;
}

// ---------------------------------------------------------------------------- invoke filters

interface Filter {
  name: string;
  values: string[];
  regex?: boolean;
}

/** Applies Terraform-style data source filters (`name` may be snake_case or camelCase). */
function applyFilters<T extends object>(items: T[], filters: Filter[] | undefined): T[] {
  if (!filters || filters.length === 0) {
    return items;
  }
  return items.filter((item) =>
    filters.every((f) => {
      const prop = f.name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const v = (item as Record<string, unknown>)[prop];
      const s = v === undefined || v === null ? "" : String(v);
      return f.values.some((pattern) => (f.regex ? new RegExp(pattern).test(s) : s === pattern));
    }),
  );
}

function listOf(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : [v];
}

// ---------------------------------------------------------------------------- small IPv4 maths

function parseIp(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) {
    return undefined;
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(cidr);
  if (!m) {
    return undefined;
  }
  const ip = parseIp(m[1]);
  const bits = Number(m[2]);
  if (ip === undefined || bits > 32) {
    return undefined;
  }
  const size = 2 ** (32 - bits);
  return { base: ip - (ip % size), bits };
}

function cidrRange(cidr: string): [number, number] | undefined {
  const c = parseCidr(cidr);
  return c ? [c.base, c.base + 2 ** (32 - c.bits) - 1] : undefined;
}

function cidrContains(outer: string, inner: string): boolean {
  const o = cidrRange(outer);
  const i = cidrRange(inner);
  return !!o && !!i && i[0] >= o[0] && i[1] <= o[1];
}

function cidrOverlaps(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return !!x && !!y && x[0] <= y[1] && y[0] <= x[1];
}

function hostInCidr(cidr: string, n: number): string | undefined {
  const r = cidrRange(cidr);
  if (!r) {
    return undefined;
  }
  const size = r[1] - r[0] + 1;
  const ip = r[0] + (size > 4 ? Math.min(n, size - 2) : n % size);
  return [24, 16, 8, 0].map((s) => Math.floor(ip / 2 ** s) % 256).join(".");
}

function checkDnsLabel(label: unknown, reject: (detail: string) => never): void {
  if (label === undefined || label === null) {
    return;
  }
  if (typeof label !== "string" || !/^[A-Za-z][A-Za-z0-9]{0,14}$/.test(label)) {
    reject(`dnsLabel '${String(label)}' must be 1-15 letters and digits, starting with a letter`);
  }
}
