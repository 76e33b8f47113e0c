/**
 * What the component needs of the Pulumi providers it is given: OCI providers (not a region name,
 * not another package's provider), and one for this region in `opts.provider`. Pure: reads no
 * Output, registers nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { regionFromKey, regionKey } from "../oci/regions";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value !== "object") return `${typeof value} ${String(value)}`;
  if (pulumi.Resource.isInstance(value)) return "a resource that is not a provider";
  return "an object that is not a Pulumi provider";
}

/**
 * Why `value` is not an OCI provider, or undefined when it is one. `pulumi.ProviderResource`
 * inherits `isInstance` from CustomResource (any cloud resource passes it), so the provider's
 * package is read too.
 */
export function ociProviderProblem(value: unknown): string | undefined {
  const pkg =
    pulumi.ProviderResource.isInstance(value) &&
    typeof (value as { getPackage?: unknown }).getPackage === "function"
      ? (value as unknown as { getPackage(): string }).getPackage()
      : undefined;
  if (pkg === undefined) {
    return `is ${describe(value)}, not an OCI provider`;
  }
  return pkg === "oci" ? undefined : `is a provider of the ${pkg} package, not an OCI provider`;
}

/** Refuses a `replication.homeRegionProvider` (when given) that is not an OCI provider. */
export function checkHomeRegionProvider(value: unknown): void {
  if (value === undefined) return;
  const problem = ociProviderProblem(value);
  if (problem) {
    throw new ValidationError(
      "replication.homeRegionProvider",
      `${problem}. Pass the provider of the tenancy's home region, e.g. new oci.Provider("home", { region: "eu-frankfurt-1" })`,
    );
  }
}

/**
 * Refuses component options without an OCI provider for `region`: without `opts.provider` Pulumi
 * would use the default provider (the stack's `oci:region` and ambient credentials) silently.
 */
export function checkRegionProvider(opts: pulumi.ComponentResourceOptions, region: string): void {
  const fix = `Pass the OCI provider of ${region} as the component's options: { provider: new oci.Provider("${region}", { region: "${region}" }) }`;
  if (opts.provider === undefined) {
    const inProviders = Array.isArray(opts.providers)
      ? opts.providers.some((p) => ociProviderProblem(p) === undefined)
      : opts.providers !== undefined &&
        ociProviderProblem((opts.providers as Record<string, unknown>).oci) === undefined;
    throw new ValidationError(
      "opts.provider",
      `is required: every resource of this region is created through it, and without it Pulumi would silently use the default provider (the stack's oci:region and ambient credentials)${inProviders ? ". An OCI provider in opts.providers is not enough: give it as opts.provider" : ""}. ${fix}`,
    );
  }
  const problem = ociProviderProblem(opts.provider);
  if (problem) {
    throw new ValidationError("opts.provider", `${problem}. ${fix}`);
  }
}

/*
 * Which region a provider really answers for (checked once `getServices` through it answers, by
 * the component's gate, lib/components/network/providerRegion.ts): the "All Services in Oracle
 * Services Network" CIDR label carries the region key, `all-<key>-services-in-oracle-services-network`.
 */
const ALL_SERVICES_LABEL = /^all-([a-z0-9]+)-services-in-oracle-services-network$/;

/** What this check reads of an entry of OCI's `getServices` answer. */
type Service = { cidrBlock: string };

/** The "All <region> Services in Oracle Services Network" service of a `getServices` answer. */
export function allServicesOf<S extends Service>(services: S[]): S {
  const all = services.find((s) => ALL_SERVICES_LABEL.test(s.cidrBlock));
  if (!all) {
    throw new Error("this region lists no 'All Services in Oracle Services Network' service");
  }
  return all;
}

/**
 * Throws a ValidationError naming `field` when the `getServices` answer through the provider is not
 * `region`'s (its All Services label names another region key).
 */
export function assertProviderRegion(services: Service[], region: string, field: string): void {
  const label = allServicesOf(services).cidrBlock;
  const key = ALL_SERVICES_LABEL.exec(label)![1];
  if (key === regionKey(region)) {
    return;
  }
  const actual = regionFromKey(key) ?? `the region with key ${key.toUpperCase()}`;
  throw new ValidationError(
    field,
    `answers for ${actual} (OCI's getServices through it lists ${label}), but region is ${region}: every resource of this region would be created in ${actual}. Pass the provider of ${region} (new oci.Provider("${region}", { region: "${region}" })), or set region to ${actual}. Nothing was created`,
  );
}
