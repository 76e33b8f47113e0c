/**
 * Two deployments in ONE emulated tenancy (one sandbox: one backend, one OCI emulator state): a
 * `prod` pair and a `staging` pair of the repository's stack program, through the Automation API
 * on the real engine. Users, groups, dynamic groups and policies have tenancy-wide unique names
 * (the OCI model refuses a taken one with 409, across stacks): each pair's IAM names carry its
 * stacks' default prefix (`<project>-<stack>`), so the second pair deploys beside the first. The
 * control: two pairs with the names fixed by the component's name alone clash.
 */
import { expect } from "chai";
import * as path from "node:path";
import * as fs from "node:fs";
import { deployPair, PairConfig } from "../../lib/program/automation";
import { buildEmulator, ofType, progress, requireTools, Sandbox, StackExport } from "./support";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
const OTHER_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaaotherstagingcompartmentq3z5xqv4hn7fz2ob6a2fw";
const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
const IAM = {
  user: "oci:Identity/user:User",
  group: "oci:Identity/group:Group",
  dynamicGroup: "oci:Identity/dynamicGroup:DynamicGroup",
  policy: "oci:Identity/policy:Policy",
};

/**
 * A pair named `env` (stacks `<env>-primary`, `<env>-dr`); the dr's fleet creates its user.
 * `iamNamePrefix`: as given (default: each stack's `<project>-<stack>`).
 */
function pairOf(
  sandbox: Sandbox,
  env: string,
  octet: number,
  iamNamePrefix?: string,
  compartmentId = COMPARTMENT,
): PairConfig {
  const streams = [{ name: "orders", partitions: 3, retentionHours: 24 }];
  return {
    backendUrl: sandbox.backendUrl,
    stackNames: { primary: `${env}-primary`, dr: `${env}-dr` },
    primary: {
      region: "eu-frankfurt-1",
      compartmentId,
      vcnCidr: `10.${octet}.0.0/16`,
      streams: streams.map((s) => ({ ...s })),
    },
    dr: {
      region: "eu-amsterdam-1",
      compartmentId,
      vcnCidr: `10.${octet + 1}.0.0/16`,
      streams: streams.map((s) => ({ ...s })),
      mirrorMaker: { credentialsEmail: `mm2-${env}@example.com`, fleetSize: 1 },
    },
    replication: {
      tenancyId: TENANCY,
      homeRegion: "eu-frankfurt-1",
      ...(iamNamePrefix !== undefined ? { iamNamePrefix } : {}),
    },
  };
}

/** The names of a stack's IAM resources, by type. */
function iamNames(e: StackExport): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(IAM).map(([k, t]) => [
      k,
      ofType(e, t)
        .map((r) => String(r.outputs?.name))
        .sort(),
    ]),
  );
}

describe("engine: two pairs (prod and staging) in one tenancy, no IAM name clash", function () {
  this.timeout(1_800_000);
  let sandbox: Sandbox;
  let local: {
    envVars: Record<string, string>;
    pulumiCommand: Awaited<ReturnType<Sandbox["pulumiCommand"]>>;
  };

  before(async () => {
    requireTools();
    buildEmulator();
    sandbox = new Sandbox("two-pairs");
    local = { envVars: sandbox.env, pulumiCommand: await sandbox.pulumiCommand() };
    process.env.TMPDIR = path.join(sandbox.dir, "tmp");
    fs.mkdirSync(process.env.TMPDIR, { recursive: true });
  });

  after(() => {
    delete process.env.TMPDIR;
  });

  it('control: two pairs with the names of the releases before the prefix (iamNamePrefix "") clash — the second dr is refused with 409', async () => {
    await deployPair(pairOf(sandbox, "old-a", 50, ""), { local });
    let err: unknown;
    try {
      // In a compartment of its own: what clashes is tenancy-wide (the log group's name is unique
      // per compartment only).
      await deployPair(pairOf(sandbox, "old-b", 70, "", OTHER_COMPARTMENT), { local });
    } catch (e) {
      err = e;
    }
    expect(err, "the second pair must fail").to.be.instanceOf(Error);
    expect(err).to.include({ role: "dr" });
    expect(String((err as Error).message)).to.match(
      /409-(Conflict: a (user|group|dynamic group) named geo-dr-replication-|PolicyAlreadyExists, Policy 'geo-dr-)/,
    );
    // The tenancy holds one of each name: the first pair's.
    const names = Object.values(sandbox.tenancy().resources)
      .filter((r) => Object.values(IAM).includes(r.type))
      .map((r) => String(r.outputs.name));
    expect(names).to.include("geo-dr-replication-credentials-group");
    expect(new Set(names).size).to.equal(names.length);
  });

  it("prod, then staging, deploy into the same tenancy; each dr's IAM names carry its stack", async () => {
    const say = progress("twoPairs");
    const onOutput = (text: string, role: string) => {
      for (const line of text.split("\n"))
        if (/Resources:|error:|Duration:/.test(line)) say(`${role}: ${line.trim()}`);
    };
    await deployPair(pairOf(sandbox, "prod", 10), { local, onOutput });
    await deployPair(pairOf(sandbox, "staging", 30), { local, onOutput });

    const prod = iamNames(await sandbox.exportStack("organization/oci-geo-streaming/prod-dr"));
    const staging = iamNames(await sandbox.exportStack("organization/oci-geo-streaming/staging-dr"));
    for (const [what, names] of Object.entries({ prod, staging })) {
      expect(names.user, `${what} user`).to.have.length(1);
      expect(names.group, `${what} group`).to.have.length(1);
      expect(names.dynamicGroup, `${what} dynamic group`).to.have.length(1);
      expect(names.policy.length, `${what} policies`).to.be.at.least(3);
    }
    expect(prod.group).to.deep.equal(["oci-geo-streaming-prod-dr-geo-dr-replication-credentials-group"]);
    expect(staging.dynamicGroup).to.deep.equal([
      "oci-geo-streaming-staging-dr-geo-dr-replication-fleet-instances",
    ]);
    // The tenancy holds both pairs' IAM, every tenancy-wide name once.
    const tenancy = sandbox.tenancy();
    const all = [...Object.values(prod).flat(), ...Object.values(staging).flat()];
    const live = Object.values(tenancy.resources)
      .filter((r) => Object.values(IAM).includes(r.type))
      .map((r) => String(r.outputs.name))
      .filter((n) => all.includes(n));
    expect(live.sort()).to.deep.equal([...all].sort());
    expect(new Set(all).size).to.equal(all.length);
  });
});
