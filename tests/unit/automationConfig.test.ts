import { expect } from "chai";
import * as path from "path";
import {
  managedConfigKeys,
  PairConfig,
  PROGRAM_CONFIG_KEYS,
  ReplicationDirection,
  StackConfigMap,
  stackArgsFor,
  stackConfigFor,
  validatePair,
} from "../../lib/program/automation";
import { Role } from "../../lib/core/config/args";
import { readStackSettings, SETTINGS } from "../../lib/core/config/settings";
import { ValidationError } from "../../lib/core/errors";
import { readProject, readStackConfig } from "../../dev/plan/stackConfig";
import { COMPARTMENT, repoPair, richPair, TENANCY, TOKEN, VAULT, VAULT_KEY } from "./automationFixtures";

const ROOT = path.join(__dirname, "..", "..");
const NS = "oci-geo-streaming";

/** Plain values of a config map, with secret values shown as `{ secret: value }`. */
function flat(config: StackConfigMap): Record<string, string | { secret: string }> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, v.secret ? { secret: v.value } : v.value]),
  );
}

function ns(o: Record<string, string | { secret: string }>): Record<string, string | { secret: string }> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k.includes(":") ? k : `${NS}:${k}`, v]));
}

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  expect.fail("expected a ValidationError");
}

const ORDERS = JSON.stringify([{ name: "orders", partitions: 6, retentionHours: 168 }]);
const RICH_REPLICATION = {
  tenancyId: TENANCY,
  homeRegion: "eu-frankfurt-1",
  tenancyName: "acme",
  topicsExclude: JSON.stringify(["test\\..*"]),
  replicationPolicy: "prefixed",
  tasksMax: "8",
};
const RICH_PRIMARY = {
  "oci:region": "eu-frankfurt-1",
  role: "primary",
  compartmentId: COMPARTMENT,
  vcnCidr: "10.10.0.0/16",
  streams: ORDERS,
  autoCreateTopics: "false",
  ociConfigProfile: "FRA",
};
const RICH_DR = {
  "oci:region": "eu-amsterdam-1",
  role: "dr",
  compartmentId: COMPARTMENT,
  vcnCidr: "10.20.0.0/16",
  mirrorMakerSubnetCidr: "10.20.8.0/24",
  streams: ORDERS,
  partitionQuota: "100",
  primaryStack: "acme/oci-geo-streaming/primary",
  ...RICH_REPLICATION,
  credentialsUserName: "mm2-dr",
  credentialsAuthToken: { secret: TOKEN },
  vaultId: VAULT,
  vaultKeyId: VAULT_KEY,
  fleetSize: "3",
  fleetShape: "VM.Standard.A1.Flex",
  fleetOcpus: "4",
  fleetMemoryInGbs: "24",
  bastionClientCidrs: JSON.stringify(["203.0.113.0/24"]),
};

const TABLE: {
  role: Role;
  direction: ReplicationDirection;
  expected: Record<string, string | { secret: string }>;
}[] = [
  {
    role: "primary",
    direction: "primary-to-dr",
    // The dr network from the pair (its default stream subnet is not needed; the MM subnet is given).
    expected: {
      ...RICH_PRIMARY,
      peerRegion: "eu-amsterdam-1",
      peerVcnCidr: "10.20.0.0/16",
      peerMirrorMakerSubnetCidr: "10.20.8.0/24",
    },
  },
  {
    role: "primary",
    direction: "dr-to-primary",
    expected: {
      ...RICH_PRIMARY,
      peerStack: "acme/oci-geo-streaming/dr",
      ...RICH_REPLICATION,
      replicationEnabled: "true",
      credentialsUserName: "mm2-failback",
      credentialsEmail: "mm2-failback@example.com",
      fleetSize: "1",
    },
  },
  { role: "dr", direction: "primary-to-dr", expected: { ...RICH_DR, replicationEnabled: "true" } },
  // Prefixed (the rich pair's policy): dr keeps replicating during failback.
  { role: "dr", direction: "dr-to-primary", expected: { ...RICH_DR, replicationEnabled: "true" } },
];

describe("automation: the stack config of each side of the pair", () => {
  for (const row of TABLE) {
    it(`${row.role} stack, ${row.direction}: exactly the expected keys and values`, () => {
      expect(flat(stackConfigFor(richPair(), row.role, row.direction))).to.deep.equal(ns(row.expected));
    });
  }

  it("marks the auth token secret, and nothing else", () => {
    for (const row of TABLE) {
      const config = stackConfigFor(richPair(), row.role, row.direction);
      const secret = Object.keys(config).filter((k) => config[k].secret === true);
      expect(secret, `${row.role} ${row.direction}`).to.deep.equal(
        row.role === "dr" ? [`${NS}:credentialsAuthToken`] : [],
      );
      for (const [k, v] of Object.entries(config)) {
        if (k !== `${NS}:credentialsAuthToken`) {
          expect(v.value, k).to.not.contain(TOKEN);
          expect(v, k).to.not.have.property("secret");
        }
      }
    }
  });

  it("points the dr at the primary by its fully qualified name, whatever the stack names", () => {
    const pair: PairConfig = {
      ...richPair(),
      organization: "acme-corp",
      projectName: "geo",
      stackNames: { primary: "fra", dr: "ams" },
    };
    expect(stackConfigFor(pair, "dr", "primary-to-dr")["geo:primaryStack"]).to.deep.equal({
      value: "acme-corp/geo/fra",
    });
    expect(stackConfigFor(pair, "primary", "dr-to-primary")["geo:peerStack"]).to.deep.equal({
      value: "acme-corp/geo/ams",
    });
    // The namespace follows the project name; oci:region stays in the provider's namespace.
    expect(
      Object.keys(stackConfigFor(pair, "dr", "primary-to-dr")).every((k) => /^(geo|oci):/.test(k)),
    ).to.equal(true);
  });

  it("uses 'organization' for DIY backends and refuses another organization there", () => {
    const pair: PairConfig = {
      ...repoPair(),
      organization: undefined,
      backendUrl: "s3://geo-state?region=eu-amsterdam-1",
    };
    expect(stackConfigFor(pair, "dr", "primary-to-dr")[`${NS}:primaryStack`].value).to.equal(
      "organization/oci-geo-streaming/primary",
    );
    expect(
      validationError(() => stackConfigFor({ ...pair, organization: "acme" }, "dr", "primary-to-dr")).field,
    ).to.equal("organization");
    expect(
      validationError(() => stackConfigFor({ ...repoPair(), organization: undefined }, "dr", "primary-to-dr"))
        .field,
    ).to.equal("organization");
  });

  it("encodes lists and objects as JSON text that parses back to the values given (no --path coercion)", () => {
    const pair = richPair();
    pair.primary.streams = [{ name: "1234", partitions: 2 }, { name: "true" }];
    pair.replication!.topicsInclude = ["1234", "true", "orders\\..*"];
    const config = stackConfigFor(pair, "primary", "dr-to-primary");
    expect(JSON.parse(config[`${NS}:streams`].value)).to.deep.equal([
      { name: "1234", partitions: 2 },
      { name: "true" },
    ]);
    expect(JSON.parse(config[`${NS}:topicsInclude`].value)).to.deep.equal(["1234", "true", "orders\\..*"]);
  });

  it("gives the program the settings this repository's Pulumi.primary.yaml and Pulumi.dr.yaml give it", () => {
    const project = readProject(ROOT);
    const pair = repoPair();
    // What the program reads: the stack file's values with Pulumi.yaml's defaults applied.
    const settings = (config: Record<string, string>) =>
      readStackSettings({ get: (k) => config[`${NS}:${k}`], getSecret: () => undefined }, NS);
    const fromApi = (role: Role) =>
      Object.fromEntries(
        Object.entries(stackConfigFor(pair, role, "primary-to-dr")).map(([k, v]) => [k, v.value]),
      );
    const fromFile = (stack: string) => readStackConfig(project, stack).config;
    expect(settings(fromApi("primary"))).to.deep.equal(settings(fromFile("primary")));
    expect(fromApi("primary")["oci:region"]).to.equal(fromFile("primary")["oci:region"]);
    // The dr file leaves replicationEnabled to its default (true in dr); the API says it explicitly.
    expect(settings(fromApi("dr"))).to.deep.equal({ ...settings(fromFile("dr")), replicationEnabled: true });
    // And every value the API writes is the file's, text for text.
    for (const role of ["primary", "dr"] as const) {
      const file = fromFile(role);
      for (const [k, v] of Object.entries(fromApi(role))) {
        if (k !== `${NS}:replicationEnabled`) expect(v, `${role} ${k}`).to.equal(file[k]);
      }
    }
  });

  it("manages exactly the keys of the settings table (so stale values are cleared)", () => {
    expect([...PROGRAM_CONFIG_KEYS]).to.deep.equal(SETTINGS.filter((s) => !s.namespace).map((s) => s.key));
    expect(managedConfigKeys("geo")).to.include.members([
      "oci:region",
      "geo:peerStack",
      "geo:credentialsAuthToken",
    ]);
    for (const row of TABLE) {
      const keys = Object.keys(stackConfigFor(richPair(), row.role, row.direction));
      expect(managedConfigKeys(NS), `${row.role} ${row.direction}`).to.include.members(keys);
    }
  });

  it("checks each value against the table's type as it writes it, naming the key", () => {
    const pair = repoPair();
    pair.primary.partitionQuota = "lots" as unknown as number;
    expect(() => stackConfigFor(pair, "primary", "primary-to-dr")).to.throw(
      ValidationError,
      /^partitionQuota: "lots" is not a whole number/,
    );
  });
});

describe("automation: validation before any stack is touched", () => {
  it("accepts the repo pair and the rich pair in both directions", () => {
    for (const pair of [repoPair(), richPair()]) {
      for (const direction of ["primary-to-dr", "dr-to-primary"] as const) {
        const v = validatePair(pair, direction);
        expect(v.primary.role).to.equal("primary");
        expect(v.dr.peer?.region).to.equal("eu-frankfurt-1");
        // The replication layer is validated where it will run.
        // Prefixed (both pairs): dr keeps replicating during failback.
        expect(v.dr.replication?.enabled).to.equal(true);
        expect(v.primary.replication?.enabled).to.equal(direction === "dr-to-primary" ? true : undefined);
      }
    }
  });

  it("builds the same args the program maps from that config (peer from the other side, token as a secret)", () => {
    const dr = stackArgsFor(richPair(), "dr", "primary-to-dr");
    expect(dr.peer).to.include({
      region: "eu-frankfurt-1",
      vcnCidr: "10.10.0.0/16",
      mirrorMakerSubnetCidr: "10.10.1.0/24",
    });
    expect(dr.replication?.fleet).to.deep.equal({
      size: 3,
      shape: "VM.Standard.A1.Flex",
      ocpus: 4,
      memoryInGbs: 24,
    });
    expect(dr.replication?.credentials?.mode).to.equal("existing");
    const token = (dr.replication?.credentials as { authToken: unknown }).authToken;
    expect(typeof token).to.not.equal("string");
    const primary = stackArgsFor(richPair(), "primary", "primary-to-dr");
    expect(primary.peer).to.deep.equal({
      region: "eu-amsterdam-1",
      vcnCidr: "10.20.0.0/16",
      mirrorMakerSubnetCidr: "10.20.8.0/24",
    });
    expect(primary.replication).to.equal(undefined);
  });

  const cases: {
    name: string;
    field: string;
    direction?: ReplicationDirection;
    change: (p: PairConfig) => void;
  }[] = [
    { name: "missing organization", field: "organization", change: (p) => delete p.organization },
    {
      name: "same stack names",
      field: "stackNames.dr",
      change: (p) => (p.stackNames = { primary: "x", dr: "x" }),
    },
    {
      name: "state in the primary region",
      field: "backendUrl",
      change: (p) => {
        p.organization = undefined;
        p.backendUrl =
          "s3://state?region=eu-frankfurt-1&endpoint=ns.compat.objectstorage.eu-frankfurt-1.oraclecloud.com";
      },
    },
    { name: "a region name that is not one", field: "dr.region", change: (p) => (p.dr.region = "AMS") },
    {
      name: "both sites in one region",
      field: "primary.peer.region",
      change: (p) => (p.dr.region = "eu-frankfurt-1"),
    },
    {
      name: "overlapping VCNs",
      field: "primary.network.vcnCidr",
      change: (p) =>
        (p.dr = {
          ...p.dr,
          vcnCidr: "10.10.0.0/16",
          streamSubnetCidr: undefined,
          mirrorMakerSubnetCidr: undefined,
        }),
    },
    {
      name: "a retention OCI does not allow",
      field: "primary.streams[0].retentionHours",
      change: (p) => (p.primary.streams = [{ name: "orders", retentionHours: 500 }]),
    },
    {
      name: "an unusable fleet size",
      field: "dr.replication.fleet.ocpus",
      change: (p) => (p.dr.mirrorMaker = { fleetOcpus: 999, credentialsEmail: "mm2-dr@example.com" }),
    },
    {
      name: "a token without its user",
      field: "dr.mirrorMaker.credentialsUserName",
      change: (p) => (p.dr.mirrorMaker = { credentialsAuthToken: "t" }),
    },
    {
      name: "a vault without its key",
      field: "dr.mirrorMaker.vaultKeyId",
      change: (p) => (p.dr.mirrorMaker = { vaultId: VAULT }),
    },
    {
      name: "two fleets creating the same IAM user",
      field: "dr.mirrorMaker.credentialsUserName",
      change: (p) => {
        p.primary.mirrorMaker = { credentialsUserName: "mm2" };
        p.dr.mirrorMaker = { credentialsUserName: "mm2" };
      },
    },
    {
      // With MM2_TOKEN unset this used to switch the pair to creating an IAM user named "mm2".
      name: "an auth token read from an unset environment variable",
      field: "dr.mirrorMaker.credentialsAuthToken",
      change: (p) =>
        (p.dr.mirrorMaker = {
          credentialsUserName: "mm2",
          credentialsAuthToken: process.env.OCI_GEO_TEST_UNSET_TOKEN,
        }),
    },
    {
      name: "an empty auth token",
      field: "dr.mirrorMaker.credentialsAuthToken",
      change: (p) => (p.dr.mirrorMaker = { credentialsUserName: "mm2", credentialsAuthToken: "" }),
    },
    {
      name: "a vault id read from an unset environment variable",
      field: "dr.mirrorMaker.vaultId",
      change: (p) =>
        (p.dr.mirrorMaker = { vaultId: undefined, vaultKeyId: VAULT_KEY, credentialsEmail: "m@example.com" }),
    },
    {
      name: "an adopted pool id that is undefined (a new pool would be created)",
      field: "primary.existingStreamPoolId",
      change: (p) => (p.primary.existingStreamPoolId = undefined),
    },
    {
      name: "a tenancy name that is empty",
      field: "replication.tenancyName",
      change: (p) => (p.replication!.tenancyName = ""),
    },
    {
      name: "a bad home region",
      field: "replication.homeRegion",
      change: (p) => (p.replication!.homeRegion = "frankfurt"),
    },
    {
      name: "a bad failback fleet (checked for the direction that runs it)",
      field: "primary.replication.fleet.ocpus",
      direction: "dr-to-primary",
      change: (p) =>
        (p.primary.mirrorMaker = { fleetOcpus: 999, credentialsEmail: "mm2-primary@example.com" }),
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name} with a ValidationError on ${c.field}`, () => {
      const pair = repoPair();
      c.change(pair);
      const e = validationError(() => validatePair(pair, c.direction ?? "primary-to-dr"));
      expect(e.field).to.equal(c.field);
      expect(e.message.startsWith(`${c.field}: `), e.message).to.equal(true);
    });
  }

  it("an unset auth token never reaches a stack's config as 'create a user', and leaving the key out still does", () => {
    const pair = repoPair();
    pair.dr.mirrorMaker = {
      credentialsUserName: "mm2",
      credentialsAuthToken: undefined,
      credentialsEmail: "mm2-dr@example.com",
    };
    const e = validationError(() => stackConfigFor(pair, "dr", "primary-to-dr"));
    expect(e.field).to.equal("dr.mirrorMaker.credentialsAuthToken");
    expect(e.message).to.match(/unset environment variable\?.*silently mean creating an IAM user/);
    // Negative control: without the key, creating the user named mm2 is what was asked for.
    pair.dr.mirrorMaker = { credentialsUserName: "mm2", credentialsEmail: "mm2-dr@example.com" };
    const config = stackConfigFor(pair, "dr", "primary-to-dr");
    expect(config["oci-geo-streaming:credentialsUserName"]).to.deep.equal({ value: "mm2" });
    expect(config["oci-geo-streaming:credentialsAuthToken"]).to.equal(undefined);
    expect(() => validatePair(pair)).to.not.throw();
  });

  it("checks the failback fleet only for the direction that runs it", () => {
    const pair = repoPair();
    pair.primary.mirrorMaker = { fleetOcpus: 999, credentialsEmail: "mm2-primary@example.com" };
    expect(() => validatePair(pair, "primary-to-dr")).to.not.throw();
  });

  it("allows one existing IAM user with its token on both sides", () => {
    const pair = repoPair();
    pair.primary.mirrorMaker = { credentialsUserName: "mm2", credentialsAuthToken: "a" };
    pair.dr.mirrorMaker = { credentialsUserName: "mm2", credentialsAuthToken: "a" };
    expect(() => validatePair(pair, "dr-to-primary")).to.not.throw();
  });
});
