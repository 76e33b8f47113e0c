/**
 * An OCI-faithful mock engine for Pulumi programs: `pulumi.runtime.Mocks` that answer like OCI
 * (OCID-shaped ids with the region key of the resource's provider, the output-only properties OCI
 * computes, the invokes the product uses), plus a recorder that captures every registration with
 * its real parent, provider, dependencies and which inputs were secret.
 *
 * Used by the component tests (tests/support/mockRuntime.ts) and by the offline plan
 * (dev/plan/runStack.ts). Where OCI would refuse a request outright (a subnet outside its VCN, a
 * stream retention outside 24..168 h, a peer region that does not match the peer RPC, a public IP
 * in a subnet that prohibits one, a third auth token for a user), the mock refuses it too, so the
 * plan fails the way `pulumi up` would.
 */
import * as pulumi from "@pulumi/pulumi";
import { isKnownRegion } from "../../lib/core/oci/regions";
import type { Obj, OciModelOptions } from "./handlerContext";
import { DEFAULT_RESOURCE_KINDS, MockRejection, OciModel } from "./tenancyModel";
import { hashUuid, parseOcid } from "./ocid";
import { isWireSecret, secretPathsOf, unwrapWire, wireSecret } from "./wire";

export { ANSWERED_INVOKES, MOCK_TIME_CREATED, MockRejection, ociKind } from "./tenancyModel";

/** Default region when neither the provider nor `oci:region` config names one (as the OCI CLI). */
export const DEFAULT_MOCK_REGION = "us-ashburn-1";

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
  /** The `protect` and `retainOnDelete` options the program gave it. */
  protect: boolean;
  retainOnDelete: boolean;
}

export interface OciMocksOptions extends Omit<OciModelOptions, "fallbackRegion"> {
  /** Region used when no provider region and no `oci:region` config apply. */
  defaultRegion?: string;
  /**
   * Outputs of other stacks, by stack name, for `pulumi.StackReference`. Values wrapped with
   * {@link wireSecret} are secret outputs. A reference `org/project/primary` matches `primary`.
   */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Reject a second registration with the same URN, as the engine does. Default true. */
  checkDuplicateUrns?: boolean;
}

export interface InstallOptions {
  project?: string;
  stack?: string;
  preview?: boolean;
}

interface Deployed {
  id: string;
  type: string;
  /** What OCI computed at creation (kept by later updates). */
  computed: Obj;
}

interface Pending {
  urn: string;
  read: boolean;
  additionalSecretOutputs: string[];
}

/** The mock engine. See the module comment. */
export class OciMocks implements pulumi.runtime.Mocks {
  private readonly opts: OciMocksOptions;
  private records: ResourceRecord[] = [];
  private byUrn = new Map<string, ResourceRecord>();
  /** The OCI model the mock answers from (state of the tenancy across registrations). */
  readonly model: OciModel;
  private providerRegions = new Map<string, string>();
  private pending = new Map<string, Pending[]>();
  private seqs = new Map<string, number>();
  private attempts = 0;
  /** This deployment's custom resources by URN (id and what OCI computed), and the previous one's. */
  private live = new Map<string, Deployed>();
  private previous = new Map<string, Deployed>();
  /** How many times each URN has been created across deployments (re-created resources get new ids). */
  private creations = new Map<string, number>();
  private stackOutputs: Record<string, Record<string, unknown>>;

  constructor(opts: OciMocksOptions = {}) {
    this.opts = opts;
    this.stackOutputs = { ...(opts.stackOutputs ?? {}) };
    this.model = new OciModel({ ...opts, fallbackRegion: () => this.configRegion() });
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
    this.clearRun();
    this.model.reset();
    this.live.clear();
    this.previous.clear();
    this.creations.clear();
  }

  /**
   * Ends one deployment and starts the next against the same tenancy, as two `pulumi up`s in a
   * row: what the last run registered and this one does not is deleted from the model (OCI keeps
   * what it keeps of deleted resources: a secret's name stays reserved while it is pending
   * deletion); what both register keeps its id and computed outputs (an update); what is
   * registered again after a deletion is created anew, with new ids and new random values.
   * Call it between two runs of a program instead of {@link reset}.
   */
  nextDeployment(): void {
    for (const [urn, d] of this.previous) {
      if (!this.live.has(urn)) {
        this.model.delete(d.id);
      }
    }
    for (const [urn, d] of this.live) {
      this.previous.set(urn, d);
    }
    for (const urn of [...this.previous.keys()]) {
      if (!this.live.has(urn)) {
        this.previous.delete(urn);
      }
    }
    this.live = new Map();
    this.clearRun();
  }

  private clearRun(): void {
    this.records = [];
    this.byUrn.clear();
    this.providerRegions.clear();
    this.pending.clear();
    this.seqs.clear();
    this.attempts = 0;
  }

  /** Replaces the outputs answered to `pulumi.StackReference`; see {@link OciMocksOptions.stackOutputs}. */
  setStackOutputs(outputs: Record<string, Record<string, unknown>>): void {
    this.stackOutputs = { ...outputs };
  }

  /** Replaces the pre-existing resources answered to reads and get-invokes; see {@link OciMocksOptions.existing}. */
  setExisting(existing: Record<string, Record<string, unknown>>): void {
    this.model.setExisting(existing);
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
          protect: req.getProtect?.() === true,
          retainOnDelete: req.getRetainondelete?.() === true,
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

    const existing = read && args.id ? this.model.existingState(args.id) : undefined;
    const ocidRegion = args.id ? parseOcid(args.id)?.region : undefined;
    const region = (read && ocidRegion) || this.regionOf(args.provider);
    const managed = DEFAULT_RESOURCE_KINDS[args.type] ? inputs.manageDefaultResourceId : undefined;
    const urn = pending?.urn;
    const kept = urn !== undefined && !read ? this.previous.get(urn) : undefined;
    const generation = urn !== undefined && !kept ? (this.creations.get(urn) ?? 0) : 0;
    // Default* resources adopt the VCN's default table/list: their id is the one they manage.
    const id =
      args.id ||
      (typeof managed === "string" && managed) ||
      (kept?.type === args.type ? kept.id : this.newId(args.type, args.name, region, generation));
    const computed = existing
      ? { ...existing }
      : kept?.type === args.type
        ? { ...kept.computed }
        : this.model.computeOutputs(args.type, args.name, id, inputs, region, read);
    if (urn !== undefined && !read) {
      this.live.set(urn, { id, type: args.type, computed });
      if (!kept) {
        this.creations.set(urn, generation + 1);
      }
    }
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
    this.model.remember(id, { type: args.type, region, outputs: unwrapWire(state) as Obj });
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
      this.model.regionsSeen.add(region);
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

  private newId(type: string, name: string, region: string, generation = 0): string {
    // A resource created again after a deletion gets new ids and values, as in OCI.
    const seed = generation === 0 ? this.seed(type, name) : `${this.seed(type, name)}|g${generation}`;
    return this.model.newResourceId(type, name, region, seed);
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
    return this.model.invoke(args.token, unwrapWire(args.inputs ?? {}) as Obj, this.regionOf(args.provider));
  }
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
  getProtect?(): boolean;
  getRetainondelete?(): boolean;
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
