/**
 * Finding: the user-data size check threw only after ~1,045 registrations, and capped the number of
 * streams. The size is now checked during validation (rendered with the longest ids), and what the
 * instances get is gzip-compressed: 700 short-named and 150 long-named streams plan with
 * replication on, an oversized list is refused with nothing registered, naming the field.
 */
import { expect } from "chai";
import { gunzipSync } from "node:zlib";
import * as oci from "@pulumi/oci";
import { byType, expectNothingRegistered, outputOf, settle } from "../support/mockRuntime";
import { unmaskedOccurrences } from "../support/secretScan";
import {
  GeoReplicatedStream,
  validateGeoReplicatedStreamArgs,
} from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs, StreamSpec } from "../../lib/core/config/args";
import { encodeUserData, OCI_INSTANCE_METADATA_MAX_BYTES } from "../../lib/core/cloudinit";
import { assertInstanceMetadataFits } from "../../lib/core/config/validateFleetPlan";
import type { ReplicatingDeployment } from "../../lib/core/fleet";
import { parseProperties } from "../../lib/core/mm2";
import { longNames, MM2_EMAIL, validDr } from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
/** A dr replicating `names` (one partition each) from its peer, with the partition quota raised. */
function drReplicating(names: string[], home: oci.Provider): GeoReplicatedStreamArgs {
  const a = validDr();
  const streams: StreamSpec[] = names.map((name) => ({ name, partitions: 1, retentionHours: 24 }));
  a.partitionQuota = 2 * names.length + 20;
  a.peer = {
    ...a.peer!,
    streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaapeerpool",
    bootstrapServers: "peer.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    streams,
  };
  a.replication = {
    tenancyId: TENANCY,
    homeRegionProvider: home,
    credentials: { mode: "create", email: MM2_EMAIL },
  };
  return a;
}

async function plan(names: string[]) {
  const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
  const home = new oci.Provider("home", { region: "eu-frankfurt-1" });
  const args = drReplicating(names, home);
  const dr = new GeoReplicatedStream("geo-dr", args, { provider: ams });
  const userData = (await outputOf(dr.replication!.userData)).value as string;
  const properties = parseProperties((await outputOf(dr.replication!.mm2Properties)).value as string);
  await settle(60_000);
  return { args, userData, properties, instances: byType("oci:Core/instance:Instance") };
}

describe("user-data size: checked before registration, compressed for the instances", function () {
  this.timeout(120_000);

  for (const [title, names] of [
    ["700 streams with short names", Array.from({ length: 700 }, (_v, i) => `s${i}`)],
    ["150 streams with 55-character names", longNames(150, 55)],
  ] as const) {
    it(`${title} plan with replication on; each node's metadata fits, decompresses to the user-data, and was sized from above`, async () => {
      const { args, userData, properties, instances } = await plan([...names]);
      expect(properties.get("fra->ams.topics")!.split(", ")).to.have.length(names.length);
      expect(instances).to.have.length(2);
      // With monitoring on (the default): the exporter, the poster and the operator commands too.
      expect(userData)
        .to.contain("install-tools.sh")
        .and.contain("monitoring.properties")
        .and.contain("javaagent");
      const sized = (() => {
        const v = validateGeoReplicatedStreamArgs(args, { componentName: "geo-dr" });
        return assertInstanceMetadataFits(v as ReplicatingDeployment, "geo-dr");
      })();
      for (const i of instances) {
        const metadata = i.inputs.metadata as Record<string, string>;
        const bytes = Buffer.byteLength(JSON.stringify(metadata));
        expect(bytes).to.be.at.most(OCI_INSTANCE_METADATA_MAX_BYTES);
        // The validation render (longest ids) bounds the real one, and not by wildly more.
        expect(bytes).to.be.at.most(sized);
        expect(sized - bytes).to.be.below(2_000);
        expect(gunzipSync(Buffer.from(metadata.user_data, "base64")).toString("utf8")).to.equal(userData);
      }
    });
  }

  it("an oversized list is refused before anything is registered, naming peer.streams", async () => {
    const home = new oci.Provider("home", { region: "eu-frankfurt-1" });
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    await settle();
    const args = drReplicating(longNames(450, 55), home);
    const err = await expectNothingRegistered(
      () => new GeoReplicatedStream("geo-dr", args, { provider: ams }),
      "peer.streams",
    );
    expect(err.message).to.match(/above the \d+ this package allows under OCI's 32000-byte limit/);
    expect(err.message).to.match(/replication\.topicsInclude patterns/);
  });

  it("names replication.topicsInclude when the patterns are what is long, and counts the SSH keys", async () => {
    const home = new oci.Provider("home", { region: "eu-frankfurt-1" });
    await settle();
    const args = drReplicating(["orders"], home);
    args.replication!.topicsInclude = longNames(450, 55);
    expect(() => validateGeoReplicatedStreamArgs(args)).to.throw(/^replication\.topicsInclude: makes/);
    const withKeys = drReplicating(longNames(150, 55), home);
    expect(() => validateGeoReplicatedStreamArgs(withKeys)).not.to.throw();
    withKeys.replication!.fleet = { sshAuthorizedKeys: `ssh-ed25519 ${"A".repeat(20_000)} ops` };
    expect(() => validateGeoReplicatedStreamArgs(withKeys)).to.throw(/replication\.fleet\.sshAuthorizedKeys/);
  });

  it("the secret scanner reads gzip user-data too (so the token checks still look inside it)", () => {
    const encoded = encodeUserData("#cloud-config\n# Tok3n-in-the-clear\n");
    expect(unmaskedOccurrences({ user_data: encoded }, ["Tok3n-in-the-clear"])).to.deep.equal(["user_data"]);
    expect(unmaskedOccurrences({ user_data: encoded }, ["not-there"])).to.deep.equal([]);
  });
});
