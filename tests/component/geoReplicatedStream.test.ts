import { expect } from "chai";
import {
  byType,
  expectNothingRegistered,
  mocks,
  outputOf,
  resetRegistry,
  resources,
  settle,
} from "../support/mockRuntime";
import * as oci from "@pulumi/oci";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs } from "../../lib/core/config/args";
import { adoptedNetwork, INVALID_CASES, validDr } from "../support/cases";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
const streams = [
  { name: "orders", partitions: 6, retentionHours: 168 },
  { name: "payments", partitions: 3 },
];

function primaryArgs(): GeoReplicatedStreamArgs {
  return {
    role: "primary",
    region: "eu-frankfurt-1",
    compartmentId: COMPARTMENT,
    network: {
      vcnCidr: "10.10.0.0/16",
      streamSubnetCidr: "10.10.1.0/24",
      mirrorMakerSubnetCidr: "10.10.2.0/24",
    },
    streams,
    peer: { region: "eu-amsterdam-1", vcnCidr: "10.20.0.0/16", mirrorMakerSubnetCidr: "10.20.2.0/24" },
  };
}

/** Both regions in one program: two instances, two providers. */
async function buildPair() {
  const fra = new oci.Provider("fra", { region: "eu-frankfurt-1" });
  const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
  const primary = new GeoReplicatedStream("geo-primary", primaryArgs(), { provider: fra });
  const drArgs = validDr();
  drArgs.peer = primary.asPeer();
  const dr = new GeoReplicatedStream("geo-dr", drArgs, { provider: ams });
  await outputOf(dr.peering);
  await outputOf(primary.peering);
  await settle();
  return { primary, dr };
}

describe("GeoReplicatedStream (mock engine)", () => {
  beforeEach(() => resetRegistry());

  it("peers the dr RPC to the primary RPC with the primary's region", async () => {
    const { primary, dr } = await buildPair();
    const rpcs = byType("oci:Core/remotePeeringConnection:RemotePeeringConnection");
    expect(rpcs).to.have.length(2);
    const primaryRpcId = (await outputOf(primary.remotePeeringConnectionId)).value;
    const drRpc = rpcs.find((r) => r.name === "geo-dr-network-rpc")!;
    const primaryRpc = rpcs.find((r) => r.name === "geo-primary-network-rpc")!;
    expect(drRpc.inputs.peerId).to.equal(primaryRpcId);
    expect(drRpc.inputs.peerRegionName).to.equal("eu-frankfurt-1");
    expect(primaryRpc.inputs.peerId).to.equal(undefined);
    expect(primaryRpcId).to.match(/^ocid1\.remotepeeringconnection\.oc1\.fra\./);
    expect((await outputOf(dr.remotePeeringConnectionId)).value).to.match(/\.ams\./);
  });

  it("creates both stream pools private, in their stream subnet, behind their NSG, auto-create off", async () => {
    await buildPair();
    const pools = byType("oci:Streaming/streamPool:StreamPool");
    expect(pools).to.have.length(2);
    for (const pool of pools) {
      const pe = pool.inputs.privateEndpointSettings as Record<string, unknown>;
      expect(pe.subnetId, pool.name)
        .to.be.a("string")
        .and.match(/^ocid1\.subnet\./);
      expect(pe.nsgIds, pool.name).to.have.length(1);
      expect((pool.inputs.kafkaSettings as Record<string, unknown>).autoCreateTopicsEnable).to.equal(false);
    }
  });

  it("exposes the pool FQDN and bootstrap servers as outputs", async () => {
    const { dr } = await buildPair();
    const fqdn = (await outputOf(dr.endpointFqdn)).value as string;
    expect(fqdn).to.match(/streaming\.eu-amsterdam-1\.oci\.oraclecloud\.com$/);
    expect((await outputOf(dr.bootstrapServers)).value).to.equal(`${fqdn}:9092`);
  });

  it("routes the peer VCN through the DRG from both private subnets", async () => {
    await buildPair();
    const tables = byType("oci:Core/routeTable:RouteTable").filter((t) => t.name.startsWith("geo-dr-"));
    expect(tables.map((t) => t.name).sort()).to.deep.equal([
      "geo-dr-network-mm-rt",
      "geo-dr-network-stream-rt",
    ]);
    const drg = byType("oci:Core/drg:Drg").find((d) => d.name === "geo-dr-network-drg")!;
    const attachment = byType("oci:Core/drgAttachment:DrgAttachment").find((d) =>
      d.name.startsWith("geo-dr-"),
    )!;
    for (const table of tables) {
      // OCI refuses a route rule to a DRG that is not yet attached to the VCN.
      expect(table.dependencies, table.name).to.include(attachment.urn);
      const rules = table.inputs.routeRules as Record<string, unknown>[];
      expect(rules, table.name).to.deep.include({
        destination: "10.10.0.0/16",
        destinationType: "CIDR_BLOCK",
        networkEntityId: drg.id,
      });
    }
  });

  it("opens the stream pool on 9092 only to the two MirrorMaker subnets, never to 0.0.0.0/0", async () => {
    await buildPair();
    const rules = byType("oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule");
    const drPool = rules.filter((r) => r.name.startsWith("geo-dr-network-stream-nsg"));
    expect(drPool.map((r) => [r.inputs.direction, r.inputs.source, r.inputs.tcpOptions])).to.deep.equal([
      ["INGRESS", "10.20.2.0/24", { destinationPortRange: { min: 9092, max: 9092 } }],
      ["INGRESS", "10.10.2.0/24", { destinationPortRange: { min: 9092, max: 9092 } }],
    ]);
    for (const r of rules.filter((x) => x.inputs.direction === "INGRESS")) {
      expect(r.inputs.source, r.name).to.not.equal("0.0.0.0/0");
    }
  });

  it("allows no public IP and empties the default security list", async () => {
    await buildPair();
    for (const s of byType("oci:Core/subnet:Subnet")) {
      expect(s.inputs.prohibitPublicIpOnVnic, s.name).to.equal(true);
      expect(s.inputs.prohibitInternetIngress, s.name).to.equal(true);
    }
    for (const d of byType("oci:Core/defaultSecurityList:DefaultSecurityList")) {
      expect(d.inputs.ingressSecurityRules ?? [], d.name).to.deep.equal([]);
    }
    for (const l of byType("oci:Core/securityList:SecurityList")) {
      expect(l.inputs.ingressSecurityRules ?? [], l.name).to.deep.equal([]);
    }
  });

  it("creates the declared streams with their partitions and retention", async () => {
    await buildPair();
    const created = byType("oci:Streaming/stream:Stream").filter((s) => s.name.startsWith("geo-dr-"));
    expect(created.map((s) => [s.inputs.name, s.inputs.partitions, s.inputs.retentionInHours])).to.deep.equal(
      [
        ["orders", 6, 168],
        ["payments", 3, 24],
      ],
    );
  });

  it("parents every resource under its component, and gives every custom resource its region's provider", async () => {
    await buildPair();
    const all = resources();
    const components = new Set(all.filter((r) => !r.custom).map((r) => r.urn));
    for (const r of all) {
      if (r.type === "pulumi:providers:oci") {
        continue;
      }
      if (r.type === "oci-geo-streaming:index:GeoReplicatedStream") {
        continue;
      }
      expect(components.has(r.parent as string), `${r.name} has parent ${r.parent}`).to.equal(true);
      if (r.custom) {
        const expected = r.name.startsWith("geo-dr-") ? "::ams::" : "::fra::";
        expect(String(r.provider), r.name).to.contain(expected);
      }
    }
  });

  it("adopts an existing VCN and stream pool instead of creating them", async () => {
    const args = validDr();
    args.network = adoptedNetwork();
    args.streamPool = { existingStreamPoolId: "ocid1.streampool.oc1.ams.existingpool" };
    // The pool as its owner made it: private, its endpoint in the adopted VCN's stream subnet.
    mocks.setExisting({
      "ocid1.subnet.oc1.ams.existingstreams": {
        vcnId: "ocid1.vcn.oc1.ams.existingvcn",
        cidrBlock: "10.20.1.0/24",
      },
      "ocid1.streampool.oc1.ams.existingpool": {
        isPrivate: true,
        privateEndpointSettings: { subnetId: "ocid1.subnet.oc1.ams.existingstreams", nsgIds: [] },
        endpointFqdn: "legacy.streaming.eu-amsterdam-1.oci.oraclecloud.com",
        kafkaSettings: { bootstrapServers: "legacy.streaming.eu-amsterdam-1.oci.oraclecloud.com:9092" },
      },
    });
    try {
      await adoptBoth(args);
    } finally {
      mocks.setExisting({});
    }
  });

  async function adoptBoth(args: GeoReplicatedStreamArgs): Promise<void> {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const dr = new GeoReplicatedStream("geo-dr", args, { provider: ams });
    expect((await outputOf(dr.streamPoolId)).value).to.equal("ocid1.streampool.oc1.ams.existingpool");
    expect((await outputOf(dr.bootstrapServers)).value).to.match(/:9092$/);
    const routes = (await outputOf(dr.requiredRouteRules)).value as { destination: string }[];
    await settle();
    expect(routes.map((x) => x.destination)).to.deep.equal(["10.10.0.0/16"]);
    expect(byType("oci:Core/vcn:Vcn")).to.have.length(0);
    expect(byType("oci:Core/subnet:Subnet")).to.have.length(0);
    expect(byType("oci:Streaming/streamPool:StreamPool")).to.have.length(0);
    const streamsCreated = byType("oci:Streaming/stream:Stream");
    expect(streamsCreated.map((s) => s.inputs.streamPoolId)).to.deep.equal([
      "ocid1.streampool.oc1.ams.existingpool",
      "ocid1.streampool.oc1.ams.existingpool",
    ]);
    const attachment = byType("oci:Core/drgAttachment:DrgAttachment")[0];
    expect(attachment.inputs.networkDetails).to.deep.include({
      id: "ocid1.vcn.oc1.ams.existingvcn",
      type: "VCN",
    });
  }

  it("a peer CIDR given with spaces is refused naming it, and nothing is registered", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const args = validDr();
    args.peer!.mirrorMakerSubnetCidr = " 10.10.2.0/24";
    expect(() => new GeoReplicatedStream("geo-dr", args, { provider: ams })).to.throw(
      /^peer\.mirrorMakerSubnetCidr: has leading whitespace/,
    );
    await settle();
    expect(byType("oci:Core/routeTable:RouteTable")).to.deep.equal([]);
  });

  describe("validation registers nothing", () => {
    for (const [title, mutate, field] of INVALID_CASES) {
      it(`${title} (${field})`, async () => {
        // The region's provider (and the home region's, which the fixture leaves to each tier) exist
        // before the component is tried: only what the component itself registers counts.
        const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
        const home = new oci.Provider("home", { region: "eu-frankfurt-1" });
        await settle();
        const args = validDr();
        mutate(args);
        if (args.replication && args.replication.homeRegionProvider === undefined) {
          args.replication.homeRegionProvider = home;
        }
        await expectNothingRegistered(
          () => new GeoReplicatedStream("geo-dr", args, { provider: ams }),
          field,
        );
      });
    }
  });
});
