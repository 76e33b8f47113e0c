/**
 * OCI commercial-realm (`oc1`) regions: region identifier → region key.
 *
 * The region key is the three-letter airport-style code OCI uses in OCIDs
 * (`ocid1.vcn.oc1.fra.…`), in `getRegionSubscriptions`/`getTenancy` answers (upper case) and in
 * Oracle Services Network CIDR labels (`all-fra-services-in-oracle-services-network`).
 *
 * Source: OCI "Regions and Availability Domains" list, cross-checked against the region tables
 * shipped in Oracle's SDKs (`REGIONS_SHORT_NAMES`); the regions opened after those SDK tables
 * (ap-batam-1, ap-delhi-1, ap-kulai-2, af-casablanca-1, eu-madrid-3, eu-turin-1) come from the
 * same list. Government, sovereign and dedicated realms are deliberately not listed.
 */
const OC1_REGION_KEYS = {
  "af-casablanca-1": "lej",
  "af-johannesburg-1": "jnb",
  "ap-batam-1": "hsg",
  "ap-chuncheon-1": "yny",
  "ap-delhi-1": "onm",
  "ap-hyderabad-1": "hyd",
  "ap-kulai-2": "jbp",
  "ap-melbourne-1": "mel",
  "ap-mumbai-1": "bom",
  "ap-osaka-1": "kix",
  "ap-seoul-1": "icn",
  "ap-singapore-1": "sin",
  "ap-singapore-2": "xsp",
  "ap-sydney-1": "syd",
  "ap-tokyo-1": "nrt",
  "ca-montreal-1": "yul",
  "ca-toronto-1": "yyz",
  "eu-amsterdam-1": "ams",
  "eu-frankfurt-1": "fra",
  "eu-madrid-1": "mad",
  "eu-madrid-3": "orf",
  "eu-marseille-1": "mrs",
  "eu-milan-1": "lin",
  "eu-paris-1": "cdg",
  "eu-stockholm-1": "arn",
  "eu-turin-1": "nrq",
  "eu-zurich-1": "zrh",
  "il-jerusalem-1": "mtz",
  "me-abudhabi-1": "auh",
  "me-dubai-1": "dxb",
  "me-jeddah-1": "jed",
  "me-riyadh-1": "ruh",
  "mx-monterrey-1": "mty",
  "mx-queretaro-1": "qro",
  "sa-bogota-1": "bog",
  "sa-santiago-1": "scl",
  "sa-saopaulo-1": "gru",
  "sa-valparaiso-1": "vap",
  "sa-vinhedo-1": "vcp",
  "uk-cardiff-1": "cwl",
  "uk-london-1": "lhr",
  "us-ashburn-1": "iad",
  "us-chicago-1": "ord",
  "us-phoenix-1": "phx",
  "us-saltlake-2": "aga",
  "us-sanjose-1": "sjc",
} as const;

/** A commercial OCI region identifier known to this package, e.g. `"eu-frankfurt-1"`. */
export type OciRegionName = keyof typeof OC1_REGION_KEYS;

/**
 * Shape of an OCI region identifier: `<area>-<city>-<n>` in lower case, e.g. `eu-frankfurt-1`,
 * `us-ashburn-1`, `us-gov-ashburn-1`. Matching the shape does not make a region known; see
 * {@link isKnownRegion}.
 */
export const OCI_REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-[1-9][0-9]?$/;

/** Every known commercial region identifier, sorted. */
export const OCI_REGIONS: readonly OciRegionName[] = Object.freeze(
  (Object.keys(OC1_REGION_KEYS) as OciRegionName[]).sort(),
);

/** True for a commercial (`oc1`) region identifier listed in this package. */
export function isKnownRegion(name: string): name is OciRegionName {
  return Object.prototype.hasOwnProperty.call(OC1_REGION_KEYS, name);
}

/**
 * Regions of OCI's other realms, by realm: real regions, which this package does not support (its
 * region keys, service endpoints and Oracle Services Network labels are the commercial realm's).
 * Known so that a user who names one is told the realm is unsupported rather than that the name
 * is misspelt. Sources: OCI "Oracle US Government Cloud" (us-langley-1, us-luke-1: realm OC2),
 * "Oracle US Federal Cloud with DISA Impact Level 5" (us-gov-*: OC3), "Oracle Cloud Infrastructure
 * United Kingdom Government Cloud" (uk-gov-london-1, uk-gov-cardiff-1: OC4, docs.oracle.com/iaas/Content/General/Concepts/govuksouth.htm),
 * "Oracle EU Sovereign Cloud" (eu-frankfurt-2, eu-madrid-2: OC19), all linked from
 * docs.oracle.com/iaas/Content/General/Concepts/regions.htm.
 */
const OTHER_REALM_REGIONS: Readonly<Record<string, string>> = {
  "us-langley-1": "realm OC2 (US Government Cloud)",
  "us-luke-1": "realm OC2 (US Government Cloud)",
  "us-gov-ashburn-1": "realm OC3 (US Federal Cloud)",
  "us-gov-chicago-1": "realm OC3 (US Federal Cloud)",
  "us-gov-phoenix-1": "realm OC3 (US Federal Cloud)",
  "uk-gov-london-1": "realm OC4 (UK Government Cloud)",
  "uk-gov-cardiff-1": "realm OC4 (UK Government Cloud)",
  "eu-frankfurt-2": "realm OC19 (EU Sovereign Cloud)",
  "eu-madrid-2": "realm OC19 (EU Sovereign Cloud)",
};

/**
 * The realm of a region outside the commercial realm, when the name says so: a listed government
 * or sovereign region, or by OCI's naming convention a Dedicated Region (`-dcc-`, e.g.
 * eu-dcc-milan-1) or a government region (`-gov-`). Undefined for anything else.
 */
export function otherRealmOf(name: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(OTHER_REALM_REGIONS, name)) return OTHER_REALM_REGIONS[name];
  if (/-dcc-/.test(name)) return "a Dedicated Region realm";
  if (/-gov-/.test(name)) return "a government realm";
  return undefined;
}

/**
 * The lower-case region key of a known region (`"eu-frankfurt-1"` → `"fra"`).
 * Throws for an unknown region, naming the nearest fix.
 */
export function regionKey(name: string): string {
  if (!isKnownRegion(name)) {
    const hint = OCI_REGION_PATTERN.test(name)
      ? "it is not a known commercial OCI region"
      : "a region identifier looks like eu-frankfurt-1";
    throw new Error(`unknown OCI region '${name}': ${hint} (known: ${OCI_REGIONS.join(", ")})`);
  }
  return OC1_REGION_KEYS[name];
}

/** The region identifier for a region key (case-insensitive), or undefined if unknown. */
export function regionFromKey(key: string): OciRegionName | undefined {
  const k = key.toLowerCase();
  return OCI_REGIONS.find((r) => OC1_REGION_KEYS[r] === k);
}

/** The MirrorMaker 2 cluster alias of a region: its lower-case region key (`fra`, `ams`). */
export function regionAlias(region: string): string {
  return regionKey(region).toLowerCase();
}
