/**
 * What the OCI model's handlers (services/*.ts, invokes.ts) get: the request, and the tenancy as
 * they may read and change it ({@link Tenancy}, which the model's `OciModel` implements). A leaf
 * module: the handlers import these types without importing the model that imports them.
 */

export type Obj = Record<string, unknown>;

/** A resource the model knows: created in this run, or pre-existing. */
export interface Known {
  type: string;
  region?: string;
  outputs: Obj;
}

export interface OciModelOptions {
  /** Tenancy name reported by `getTenancy` (appears in Streaming SASL usernames). */
  tenancyName?: string;
  /** Home region; default: whatever {@link OciModelOptions.fallbackRegion} answers. */
  homeRegion?: string;
  /** Extra regions the tenancy is subscribed to (regions of every resource seen are added). */
  subscribedRegions?: string[];
  /** State of pre-existing resources by OCID, answered to reads and to get-invokes. */
  existing?: Record<string, Obj>;
  /**
   * Whether the tenancy uses identity domains (every tenancy created since 2023): then the IAM
   * API refuses a user without an email, and `getDomains` lists the Default domain. Default true.
   */
  identityDomains?: boolean;
  /** The region of a request that names none (the front end's `oci:region` config or default). */
  fallbackRegion?: () => string;
}

/** The tenancy's state and services as a handler sees it (implemented by `OciModel`). */
export interface Tenancy {
  readonly opts: OciModelOptions;
  /** Every resource created (or read) since the last reset, by id. */
  readonly known: Map<string, Known>;
  /** Regions of every resource and provider seen (the tenancy is subscribed to them). */
  readonly regionsSeen: Set<string>;
  /** Secret names still reserved in their vault (`<vaultId>|<name>`), pending deletion. */
  readonly reservedSecretNames: Set<string>;
  /** The private DNS resolver of each VCN, by resolver OCID. */
  readonly resolvers: Map<string, { vcnId: string; region?: string }>;
  /** Whether the tenancy uses identity domains. */
  readonly identityDomains: boolean;
  /** The OCID of a `kind` in `region`, derived from `seed`. */
  ocid(kind: string, region: string | undefined, seed: string): string;
  /** A resource by id: created in this run, or pre-existing. */
  lookup(id: unknown): Known | undefined;
  /** The pre-existing resources' state, by OCID (see {@link OciModelOptions.existing}). */
  existingResources(): Readonly<Record<string, Obj>>;
  /** Every known resource of `type`. */
  ofType(type: string): [string, Known][];
  /** The next free host address in a subnet (the same `owner` gets the same address again). */
  allocateIp(subnetId: unknown, requested?: unknown, owner?: string): string | undefined;
  /** The auth tokens `userId` has, other than `exceptId`. */
  tokensOf(userId: string, exceptId?: string): string[];
  tenancyId(): string;
  homeRegion(): string;
  /** State of a resource by OCID: registered in this run, given in `existing`, or synthesised. */
  describeExisting(type: string, ocid: unknown, region: string): Obj;
}

/** What a resource handler gets: the request, and the tenancy for lookups and allocations. */
export interface ResourceContext {
  type: string;
  name: string;
  id: string;
  inputs: Obj;
  region: string;
  /** A read of an existing resource (`Resource.get`), not a create. */
  read: boolean;
  /** Seed for the deterministic values derived from this resource (its id). */
  seed: string;
  /** Outputs every resource has (`timeCreated`). */
  common: Obj;
  reject(detail: string): never;
  /** The resource `refId` names, refused when it lives in another region. */
  sameRegion(what: string, refId: unknown): Known | undefined;
  model: Tenancy;
}

export type ResourceHandler = (ctx: ResourceContext) => Obj;

/** What an invoke handler gets. */
export interface InvokeContext {
  token: string;
  inputs: Obj;
  region: string;
  /** The data source's synthetic id (stable for the same inputs and region). */
  id: string;
  filters: Filter[] | undefined;
  tenancySeed: string;
  model: Tenancy;
}

export type InvokeHandler = (ctx: InvokeContext) => Obj;

export interface Filter {
  name: string;
  values: string[];
  regex?: boolean;
}
