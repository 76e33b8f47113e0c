/**
 * Finding: a missing `opts.provider` silently used the default provider, a provider of another
 * region was not caught, and a string as `replication.homeRegionProvider` failed with a TypeError
 * after 28 registrations. And the typed way to pass another stack's peering (peerFromStack).
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import {
  byType,
  expectNothingRegistered,
  mocks,
  registrationErrors,
  resources,
  settle,
  withConfig,
} from "../support/mockRuntime";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { peerFromStack } from "../../lib/program/peering";
import { MM2_EMAIL, validDr } from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";

/** Registrations of cloud resources (not components, not providers). */
const cloudResources = () => resources().filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));

describe("providers: the region's provider is required and must answer for the region", () => {
  it("a missing opts.provider is refused before anything is registered, with the fix", async () => {
    const err = await expectNothingRegistered(
      () => new GeoReplicatedStream("geo-dr", validDr()),
      "opts.provider",
    );
    expect(err.message).to.match(/^opts\.provider: is required: .*default provider/);
    expect(err.message).to.contain(
      '{ provider: new oci.Provider("eu-amsterdam-1", { region: "eu-amsterdam-1" }) }',
    );
  });

  it("an OCI provider given only in opts.providers, or something else as opts.provider, is refused", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const rnd = new random.Provider("rnd");
    await settle();
    const viaProviders = await expectNothingRegistered(
      () => new GeoReplicatedStream("geo-dr", validDr(), { providers: [ams] }),
      "opts.provider",
    );
    expect(viaProviders.message).to.match(/not enough: give it as opts\.provider/);
    for (const [bad, why] of [
      ["eu-amsterdam-1", /is the string "eu-amsterdam-1", not an OCI provider/],
      [rnd, /is a provider of the random package, not an OCI provider/],
    ] as const) {
      const e = await expectNothingRegistered(
        () =>
          new GeoReplicatedStream("geo-dr", validDr(), {
            provider: bad as unknown as pulumi.ProviderResource,
          }),
        "opts.provider",
      );
      expect(e.message).to.match(why);
    }
  });

  it("replication.homeRegionProvider as a string is refused before anything is registered", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    await settle();
    const args = validDr();
    args.peer = {
      ...args.peer!,
      streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaapeer",
      bootstrapServers: "p.example:9092",
    };
    args.replication = {
      tenancyId: TENANCY,
      homeRegionProvider: "eu-frankfurt-1" as unknown as pulumi.ProviderResource,
      credentials: { mode: "create", email: MM2_EMAIL },
    };
    const err = await expectNothingRegistered(
      () => new GeoReplicatedStream("geo-dr", args, { provider: ams }),
      "replication.homeRegionProvider",
    );
    expect(err.message).to.match(
      /is the string "eu-frankfurt-1", not an OCI provider\. Pass the provider of the tenancy's home region/,
    );
  });

  it("a provider of another region: the deployment fails naming opts.provider, and no cloud resource is registered", async () => {
    const fra = new oci.Provider("fra", { region: "eu-frankfurt-1" });
    await settle();
    const errors = await registrationErrors(
      () => new GeoReplicatedStream("geo-dr", validDr(), { provider: fra }),
    );
    expect(errors.join("\n")).to.match(
      /opts\.provider: answers for eu-frankfurt-1 \(OCI's getServices through it lists all-fra-services-in-oracle-services-network\), but region is eu-amsterdam-1/,
    );
    expect(cloudResources().map((r) => r.name)).to.deep.equal([]);
  });

  it("a provider without a region input that takes another region from config is caught the same way", async () => {
    await withConfig({ "oci:region": "eu-frankfurt-1" }, async () => {
      const ambient = new oci.Provider("ambient", {});
      await settle();
      const errors = await registrationErrors(
        () => new GeoReplicatedStream("geo-dr", validDr(), { provider: ambient }),
      );
      expect(errors.join("\n")).to.match(/opts\.provider: answers for eu-frankfurt-1/);
      expect(cloudResources()).to.deep.equal([]);
    });
  });

  it("negative control: the region's own provider builds everything, every resource through it", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    await settle();
    const errors = await registrationErrors(
      () => new GeoReplicatedStream("geo-dr", validDr(), { provider: ams }),
    );
    expect(errors).to.deep.equal([]);
    expect(byType("oci:Core/vcn:Vcn")).to.have.length(1);
    const cloud = cloudResources();
    expect(cloud.length).to.be.above(20);
    for (const r of cloud) expect(r.provider, r.name).to.match(/::pulumi:providers:oci::ams::/);
  });
});

describe("peerFromStack: the other stack's peering, typed, as `peer`", () => {
  const bundle = {
    role: "primary",
    region: "eu-frankfurt-1",
    compartmentId: "ocid1.compartment.oc1..aaaaaaaaexamplecompartmentuniqueid",
    vcnCidr: "10.10.0.0/16",
    mirrorMakerSubnetCidr: "10.10.2.0/24",
    remotePeeringConnectionId: "ocid1.remotepeeringconnection.oc1.fra.aaaaaaaarpc",
    streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaapool",
    bootstrapServers: "pool.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    endpointFqdn: "pool.streaming.eu-frankfurt-1.oci.oraclecloud.com",
    dnsListenerIp: "10.10.2.53",
    streams: [{ name: "orders", partitions: 6, retentionHours: 168 }],
    replication: { enabled: false, replicationPolicy: "prefixed" },
  };
  afterEach(() => mocks.setStackOutputs({}));

  it("reads the bundle as plain values; the dr instance built from it peers with the primary's RPC", async () => {
    mocks.setStackOutputs({ primary: { peering: bundle } });
    const peer = await peerFromStack(new pulumi.StackReference("acme/orders/primary"));
    expect(peer).to.deep.equal(bundle);
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const args = validDr();
    args.peer = peer;
    new GeoReplicatedStream("geo-dr", args, { provider: ams });
    await settle();
    expect(byType("oci:Core/remotePeeringConnection:RemotePeeringConnection")[0].inputs.peerId).to.equal(
      bundle.remotePeeringConnectionId,
    );
  });

  it("a stack without a peering output is refused, naming the field", async () => {
    mocks.setStackOutputs({ primary: { other: 1 } });
    const ref = new pulumi.StackReference("acme/orders/primary");
    let error: unknown;
    try {
      await peerFromStack(ref);
    } catch (e) {
      error = e;
    }
    expect((error as { field?: string }).field).to.equal("peer");
    expect((error as Error).message).to.match(/has no 'peering' output\. Deploy that stack first/);
  });
});
