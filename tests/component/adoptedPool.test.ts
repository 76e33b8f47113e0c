/**
 * An adopted stream pool (`streamPool.existingStreamPoolId`) is read from OCI and checked before
 * anything is registered: a public pool, or one whose endpoint is outside this stack's VCN, is
 * refused naming the field; the 9092 ingress its NSGs need is reported. A created pool is protected
 * against replacement (its private endpoint settings cannot change in place).
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import {
  byType,
  mocks,
  outputOf,
  registrationErrors,
  resetRegistry,
  resources,
  settle,
} from "../support/mockRuntime";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { RequiredPoolIngressRule } from "../../lib/core/config/adoptedPool";
import { GeoReplicatedStreamArgs } from "../../lib/core/config/args";
import { adoptedNetwork, validDr } from "../support/cases";

const VCN = "ocid1.vcn.oc1.ams.existingvcn";
const OTHER_VCN = "ocid1.vcn.oc1.eu-amsterdam-1.aaaaaaaaothervcn";
const POOL = "ocid1.streampool.oc1.eu-amsterdam-1.aaaaaaaaadoptedpool";
const POOL_SUBNET = "ocid1.subnet.oc1.ams.existingstreams";
const POOL_NSG = "ocid1.networksecuritygroup.oc1.eu-amsterdam-1.aaaaaaaapoolnsg";
const FQDN = "adopted.streaming.eu-amsterdam-1.oci.oraclecloud.com";

/** The tenancy: the adopted VCN's stream subnet, and the pool as its owner made it. */
function tenancyWith(pool: Record<string, unknown>, subnetVcn = VCN): void {
  mocks.setExisting({
    [POOL_SUBNET]: { vcnId: subnetVcn, cidrBlock: "10.20.1.0/24" },
    [POOL]: {
      name: "legacy",
      endpointFqdn: FQDN,
      kafkaSettings: { bootstrapServers: `${FQDN}:9092` },
      ...pool,
    },
  });
}
const PRIVATE = { isPrivate: true, privateEndpointSettings: { subnetId: POOL_SUBNET, nsgIds: [POOL_NSG] } };

function adopting(network = adoptedNetwork()): GeoReplicatedStreamArgs {
  const args = validDr();
  args.network = network;
  args.streamPool = { existingStreamPoolId: POOL };
  return args;
}

describe("an adopted stream pool (mock engine)", () => {
  beforeEach(() => resetRegistry());
  afterEach(() => mocks.setExisting({}));

  it("a private pool in the adopted VCN: adopted, its streams added, the 9092 ingress its NSGs need reported", async () => {
    tenancyWith(PRIVATE);
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const dr = new GeoReplicatedStream("geo-dr", adopting(), { provider: ams });
    expect((await outputOf(dr.bootstrapServers)).value).to.equal(`${FQDN}:9092`);
    const rules = (await outputOf(dr.requiredStreamPoolIngressRules)).value as RequiredPoolIngressRule[];
    await settle();
    expect(byType("oci:Streaming/streamPool:StreamPool")).to.have.length(0);
    expect(byType("oci:Streaming/stream:Stream").map((s) => s.inputs.streamPoolId)).to.deep.equal([
      POOL,
      POOL,
    ]);
    expect(rules.map((r) => [r.nsgIds, r.port, r.source])).to.deep.equal([
      [[POOL_NSG], 9092, "10.20.2.0/24"],
      [[POOL_NSG], 9092, "10.10.2.0/24"],
    ]);
  });

  const refusals: [string, () => void, () => GeoReplicatedStreamArgs, RegExp][] = [
    [
      "a public pool",
      () => tenancyWith({ isPrivate: false }),
      () => adopting(),
      /is public \(it has no private endpoint\)/,
    ],
    [
      "a private pool whose endpoint is in another VCN",
      () => tenancyWith(PRIVATE, OTHER_VCN),
      () => adopting(),
      new RegExp(`VCN ${OTHER_VCN}, not in network.existing.vcnId ${VCN}`),
    ],
    [
      "a private pool with a VCN this stack creates",
      () => tenancyWith(PRIVATE),
      () => adopting(validDr().network),
      /this stack creates its own VCN/,
    ],
  ];
  for (const [title, tenancy, args, message] of refusals) {
    it(`refuses ${title}, naming streamPool.existingStreamPoolId, before any cloud resource is registered`, async () => {
      const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
      await settle();
      tenancy();
      const errors = await registrationErrors(
        () => new GeoReplicatedStream("geo-dr", args(), { provider: ams }),
      );
      expect(errors.join("\n")).to.contain("streamPool.existingStreamPoolId: stream pool").and.match(message);
      // The check is the component's gate: no cloud resource was registered.
      expect(resources().filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))).to.deep.equal(
        [],
      );
    });
  }
});

describe("a created stream pool is protected against replacement (mock engine)", () => {
  beforeEach(() => resetRegistry());

  for (const [protect, expected] of [
    [undefined, true],
    [true, true],
    [false, false],
  ] as const) {
    it(`streamPool.protect ${String(protect)}: the pool's protect option is ${String(expected)}`, async () => {
      const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
      const args = validDr();
      if (protect !== undefined) args.streamPool = { protect };
      new GeoReplicatedStream("geo-dr", args, { provider: ams });
      await settle();
      const pools = byType("oci:Streaming/streamPool:StreamPool");
      expect(pools).to.have.length(1);
      expect(pools[0].protect).to.equal(expected);
      // Nothing else is protected: a destroy stops only at the pool.
      expect(byType("oci:Core/vcn:Vcn")[0].protect).to.equal(false);
    });
  }
});
