import { expect } from "chai";
import { gunzipSync } from "node:zlib";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import {
  byType,
  expectNothingRegistered,
  outputOf,
  resetRegistry,
  setTenancy,
  settle,
} from "../support/mockRuntime";
import { scanAll } from "../support/secretScan";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs, ReplicationArgs } from "../../lib/core/config/args";
import { parseProperties } from "../../lib/core/mm2";
import { MM2_EMAIL, validDr } from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
const GIVEN_TOKEN = "Tok3n-GIVEN-by-config-(8q;X)";
const PEER_POOL = "ocid1.streampool.oc1.fra.amaaaaaapeerpool";

function drWithReplication(rep: Partial<ReplicationArgs> = {}): GeoReplicatedStreamArgs {
  const args = validDr();
  args.peer = {
    ...args.peer!,
    streamPoolId: PEER_POOL,
    bootstrapServers: "peer.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    streams: [
      { name: "orders", partitions: 6, retentionHours: 168 },
      { name: "payments", partitions: 3, retentionHours: 72 },
    ],
  };
  args.replication = {
    tenancyId: TENANCY,
    homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }),
    bastionClientCidrs: ["203.0.113.0/24"],
    credentials: { mode: "create", email: MM2_EMAIL },
    ...rep,
  };
  return args;
}

async function build(rep: Partial<ReplicationArgs> = {}, tenancy?: { identityDomains: boolean }) {
  if (tenancy) setTenancy(tenancy);
  const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
  const dr = new GeoReplicatedStream("geo-dr", drWithReplication(rep), { provider: ams });
  await outputOf(dr.replication!.userData);
  await settle();
  return dr;
}

describe("replication layer (mock engine)", () => {
  beforeEach(() => resetRegistry());

  it("the created auth token is secret everywhere: state inputs, outputs, user-data, Vault content", async () => {
    const dr = await build();
    const tokenRecord = byType("oci:Identity/authToken:AuthToken")[0];
    const token = tokenRecord.outputs.token as string;
    expect(token, "the mock must give the token a value to look for").to.be.a("string").with.length.above(8);
    const needles = [token, Buffer.from(token).toString("base64")];
    // The scanner finds the token where it is in the clear (control: the unwrapped record has it).
    expect(JSON.stringify(tokenRecord.outputs)).to.contain(token);
    expect(scanAll(needles)).to.deep.equal([]);
    const secret = byType("oci:Vault/secret:Secret")[0];
    expect(secret.secretInputs).to.include("secretContent.content");
    const props = (await outputOf(dr.replication!.mm2Properties)).value as string;
    const userData = (await outputOf(dr.replication!.userData)).value as string;
    for (const text of [props, userData]) {
      expect(text).to.not.contain(token);
    }
  });

  it("a token given as a secret config value never appears unmasked, and a plain string is refused", async () => {
    const creds = { mode: "existing" as const, userName: "svc-mm2", authToken: pulumi.secret(GIVEN_TOKEN) };
    const dr = await build({ credentials: creds });
    expect(byType("oci:Identity/user:User")).to.have.length(0);
    expect(byType("oci:Identity/authToken:AuthToken")).to.have.length(0);
    expect(scanAll([GIVEN_TOKEN, Buffer.from(GIVEN_TOKEN).toString("base64")])).to.deep.equal([]);
    const props = parseProperties((await outputOf(dr.replication!.mm2Properties)).value as string);
    // An existing user in a tenancy with identity domains: <tenancy>/<domain>/<user>/<pool>.
    expect(props.get("ams.sasl.jaas.config")).to.contain(
      'username="mocktenancy/Default/svc-mm2/ocid1.streampool.oc1.ams.',
    );
    expect(props.get("fra.sasl.jaas.config")).to.contain(
      `username="mocktenancy/Default/svc-mm2/${PEER_POOL}"`,
    );
    resetRegistry();
    const plain = drWithReplication({
      credentials: { mode: "existing", userName: "svc-mm2", authToken: GIVEN_TOKEN },
    });
    await settle(); // the fixture's home provider registers before the component is tried
    await expectNothingRegistered(
      () => new GeoReplicatedStream("geo-dr", plain),
      "replication.credentials.authToken",
    );
  });

  it("pre-creates MM2's internal topics and the remote copies in the dr pool, as plain streams", async () => {
    await build();
    const created = byType("oci:Streaming/stream:Stream")
      .filter((s) => s.name.startsWith("geo-dr-replication-"))
      .map((s) => [s.inputs.name, s.inputs.partitions, s.inputs.retentionInHours]);
    // fra.heartbeats: the primary's own heartbeats once MM2 also runs into it (active-active or
    // failback), replicated whatever the filter says; created now so that needs no change here.
    expect(created).to.deep.equal([
      ["fra.checkpoints.internal", 1, 168],
      ["fra.heartbeats", 1, 24],
      ["fra.orders", 6, 168],
      ["fra.payments", 3, 72],
      ["heartbeats", 1, 168],
      ["mm2-offset-syncs.fra.internal", 1, 168],
    ]);
  });

  it("the rendered properties point worker storage at the harness and the clusters at both pools", async () => {
    const dr = await build();
    const harnessId = (await outputOf(dr.replication!.connectHarnessId)).value as string;
    const props = parseProperties((await outputOf(dr.replication!.mm2Properties)).value as string);
    expect(props.get("ams.config.storage.topic")).to.equal(`${harnessId}-config`);
    expect(props.get("ams.offset.storage.topic")).to.equal(`${harnessId}-offset`);
    expect(props.get("ams.status.storage.topic")).to.equal(`${harnessId}-status`);
    expect(props.get("fra.bootstrap.servers")).to.equal(
      "peer.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    );
    expect(props.get("ams.bootstrap.servers")).to.equal((await outputOf(dr.bootstrapServers)).value);
    expect(props.get("fra->ams.enabled")).to.equal("true");
    expect(props.get("fra->ams.topics")).to.equal("orders, payments");
  });

  it("spreads the fleet over fault domains with no public IP, on the newest image, user-data in metadata", async () => {
    await build({ fleet: { size: 3 } });
    const instances = byType("oci:Core/instance:Instance");
    expect(instances).to.have.length(3);
    const placements = instances.map((i) => `${i.inputs.availabilityDomain}/${i.inputs.faultDomain}`);
    expect(new Set(placements).size).to.equal(3);
    for (const i of instances) {
      expect((i.inputs.createVnicDetails as Record<string, unknown>).assignPublicIp).to.equal("false");
      const metadata = i.inputs.metadata as Record<string, string>;
      expect(gunzipSync(Buffer.from(metadata.user_data, "base64")).toString("utf8")).to.match(
        /^#cloud-config\n/,
      );
      expect((i.inputs.sourceDetails as Record<string, unknown>).sourceId).to.match(/^ocid1\.image\./);
    }
  });

  it("the dynamic group matches exactly the fleet and may read only the token secret", async () => {
    const dr = await build();
    const ids = (await outputOf(dr.replication!.instanceIds)).value as string[];
    const dg = byType("oci:Identity/dynamicGroup:DynamicGroup")[0];
    for (const id of ids) {
      expect(dg.inputs.matchingRule).to.contain(`instance.id = '${id}'`);
    }
    const secretId = (await outputOf(dr.replication!.tokenSecretId)).value as string;
    const policy = byType("oci:Identity/policy:Policy").find((p) => p.name.endsWith("secret-policy"))!;
    expect(policy.inputs.statements).to.deep.equal([
      `Allow dynamic-group 'Default'/'${dg.inputs.name}' to read secret-bundles in compartment id ${validDr().compartmentId} where target.secret.id = '${secretId}'`,
    ]);
    for (const r of [dg, policy]) {
      expect(String(r.provider), r.name).to.contain("::home::");
    }
  });

  it("grants the MM2 group pull on the peer's compartment, push on its own, and only its harness", async () => {
    const dr = await build();
    const harnessId = (await outputOf(dr.replication!.connectHarnessId)).value as string;
    const policy = byType("oci:Identity/policy:Policy").find((p) => p.name.endsWith("streaming-policy"))!;
    const group = byType("oci:Identity/group:Group")[0].inputs.name as string;
    const cid = validDr().compartmentId as string;
    expect(policy.inputs.statements).to.deep.equal([
      `Allow group 'Default'/'${group}' to use stream-pull in compartment id ${cid}`,
      `Allow group 'Default'/'${group}' to use stream-push in compartment id ${cid}`,
      `Allow group 'Default'/'${group}' to read streams in compartment id ${cid}`,
      `Allow group 'Default'/'${group}' to manage connect-harness in compartment id ${cid} where target.connectharness.id = '${harnessId}'`,
    ]);
    expect(String(policy.provider)).to.contain("::home::");
  });

  it("the fleet NSG has no ingress from anywhere but its own members and the Bastion's endpoint", async () => {
    await build();
    const bastion = byType("oci:Bastion/bastion:Bastion")[0];
    const endpoint = `${String(bastion.outputs.privateEndpointIpAddress)}/32`;
    expect(endpoint).to.match(/^10\.20\.2\.\d+\/32$/);
    const rules = byType("oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
      (r) => r.name.startsWith("geo-dr-replication-fleet-nsg"),
    );
    const ingress = rules
      .filter((r) => r.inputs.direction === "INGRESS")
      .map((r) => [
        r.inputs.sourceType,
        r.inputs.tcpOptions,
        r.inputs.sourceType === "CIDR_BLOCK" ? r.inputs.source : "-",
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(ingress).to.deep.equal([
      ["CIDR_BLOCK", { destinationPortRange: { min: 22, max: 22 } }, endpoint],
      ["NETWORK_SECURITY_GROUP", { destinationPortRange: { min: 8083, max: 8083 } }, "-"],
    ]);
    expect(bastion.inputs.clientCidrBlockAllowLists).to.deep.equal(["203.0.113.0/24"]);
  });

  const invalid: [string, Partial<ReplicationArgs>, string][] = [
    ["fleet size 0", { fleet: { size: 0 } }, "replication.fleet.size"],
    ["tasks.max 0", { tasksMax: 0 }, "replication.tasksMax"],
    ["a non-flex shape", { fleet: { shape: "VM.Standard2.1" } }, "replication.fleet.shape"],
    [
      "too many OCPUs for the shape",
      { fleet: { shape: "VM.Standard3.Flex", ocpus: 33 } },
      "replication.fleet.ocpus",
    ],
    [
      "memory per OCPU above the shape's",
      { fleet: { ocpus: 1, memoryInGbs: 65 } },
      "replication.fleet.memoryInGbs",
    ],
    [
      "too little memory for MirrorMaker",
      { fleet: { ocpus: 1, memoryInGbs: 2 } },
      "replication.fleet.memoryInGbs",
    ],
    [
      "a topic pattern Java cannot compile",
      { topicsInclude: ["orders(?<=x)"] },
      "replication.topicsInclude[0]",
    ],
    [
      "a bastion open to the internet",
      { bastionClientCidrs: ["0.0.0.0/0"] },
      "replication.bastionClientCidrs[0]",
    ],
    [
      "an http Kafka mirror",
      { kafkaDownloadBaseUrl: "http://mirror.example.com/kafka" },
      "replication.kafkaDownloadBaseUrl",
    ],
    // Identity domains: OCI refuses a created user without an email there.
    ["a created user without an email", { credentials: { mode: "create" } }, "replication.credentials.email"],
    [
      "a created user with a malformed email",
      { credentials: { mode: "create", email: "mm2 at example.com" } },
      "replication.credentials.email",
    ],
    [
      "an existing user's domain in a classic tenancy",
      {
        identityDomains: false,
        credentials: { mode: "existing", userName: "u", authToken: pulumi.secret("t"), domain: "Default" },
      },
      "replication.credentials.domain",
    ],
    [
      "an identity domain name with a space",
      {
        credentials: { mode: "existing", userName: "u", authToken: pulumi.secret("t"), domain: "My Domain" },
      },
      "replication.credentials.domain",
    ],
    [
      "identityDomains as a string",
      { identityDomains: "yes" as unknown as boolean },
      "replication.identityDomains",
    ],
  ];
  for (const [title, rep, field] of invalid) {
    it(`refuses ${title} before registering anything (${field})`, async () => {
      const args = drWithReplication(rep);
      await settle(); // the home provider made by the fixture registers before the component is tried
      await expectNothingRegistered(() => new GeoReplicatedStream("geo-dr", args), field);
    });
  }

  it("refuses a replication pull without the peer's DNS listener before registering anything", async () => {
    const args = drWithReplication();
    delete args.peer!.dnsListenerIp;
    await settle();
    await expectNothingRegistered(() => new GeoReplicatedStream("geo-dr", args), "peer.dnsListenerIp");
    const bad = drWithReplication();
    bad.peer!.dnsListenerIp = "10.10.2.300";
    await settle();
    await expectNothingRegistered(() => new GeoReplicatedStream("geo-dr", bad), "peer.dnsListenerIp");
  });

  it("a classic tenancy needs no email, names groups plainly and leaves the domain out of the username", async () => {
    const creds = { mode: "existing" as const, userName: "svc-mm2", authToken: pulumi.secret(GIVEN_TOKEN) };
    const classic = await build({ identityDomains: false, credentials: creds }, { identityDomains: false });
    const props = parseProperties((await outputOf(classic.replication!.mm2Properties)).value as string);
    expect(props.get("fra.sasl.jaas.config")).to.contain(`username="mocktenancy/svc-mm2/${PEER_POOL}"`);
    const policy = byType("oci:Identity/policy:Policy")[0];
    expect(String((policy.inputs.statements as string[])[0])).to.match(
      /^Allow dynamic-group [^'\s]+ to read/,
    );
    resetRegistry();
    const created = await build(
      { identityDomains: false, credentials: { mode: "create" } },
      { identityDomains: false },
    );
    expect(created.replication).to.not.equal(undefined);
    const user = byType("oci:Identity/user:User")[0];
    expect(user.inputs.email).to.equal(undefined);
  });

  it("fails before creating any IAM resource when the tenancy is not what identityDomains says", async () => {
    // identityDomains true (the default), but the tenancy is classic: the Domains API answers 404.
    let error: unknown;
    try {
      await build({}, { identityDomains: false });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.contain("replication.identityDomains: tenancy");
    expect(String(error)).to.contain("Set it to false for a classic tenancy");
    await settle();
    for (const t of ["oci:Identity/user:User", "oci:Identity/dynamicGroup:DynamicGroup"]) {
      expect(byType(t), t).to.deep.equal([]);
    }
  });

  it("refuses a replication pull without a peer endpoint before registering anything", async () => {
    const args = drWithReplication();
    delete args.peer!.bootstrapServers;
    await settle();
    await expectNothingRegistered(() => new GeoReplicatedStream("geo-dr", args), "peer");
  });

  it("refuses MM2 streams that would exceed the partition quota", async () => {
    const args = drWithReplication();
    args.partitionQuota = 20;
    await settle();
    await expectNothingRegistered(
      () => new GeoReplicatedStream("geo-dr", args),
      /above the partition quota of 20/,
    );
  });
});
