/**
 * Private DNS between the regions and to on premises (lib/components/dns), under the OCI model: the dr fleet
 * resolves exactly the primary pool's FQDN through the primary's listener, nothing broader is
 * forwarded, an adopted VCN's resolver is reported rather than taken over, and the model refuses
 * what OCI refuses (endpoint names with hyphens, a second manager of one resolver).
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { adoptedNetwork, MM2_EMAIL, validDr, withOnPremises } from "../support/cases";
import { byType, outputOf, registrationErrors, settle } from "../support/mockRuntime";

const PRIMARY_FQDN = "prim4ry00000.streaming.eu-frankfurt-1.oci.oraclecloud.com";

function drArgs() {
  const args = validDr();
  args.peer = {
    ...args.peer!,
    streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaapeerpool",
    bootstrapServers: `${PRIMARY_FQDN}:9092`,
    endpointFqdn: PRIMARY_FQDN,
    streams: [{ name: "orders", partitions: 6 }],
  };
  args.replication = {
    tenancyId: "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja",
    homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }),
    credentials: { mode: "create", email: MM2_EMAIL },
  };
  return args;
}

const ams = () => new oci.Provider("ams", { region: "eu-amsterdam-1" });
const rules = () =>
  byType("oci:Dns/resolver:Resolver").flatMap(
    (r) =>
      r.inputs.rules as {
        qnameCoverConditions: string[];
        destinationAddresses: string[];
        sourceEndpointName: string;
      }[],
  );

describe("private DNS across regions and to on premises (mock engine)", () => {
  it("dr forwards exactly the primary pool's FQDN to the primary's listener, from its forwarder", async () => {
    const dr = new GeoReplicatedStream("geo-dr", drArgs(), { provider: ams() });
    await outputOf(dr.dnsListenerIp);
    await settle();
    expect(rules()).to.deep.equal([
      {
        action: "FORWARD",
        qnameCoverConditions: [PRIMARY_FQDN],
        destinationAddresses: ["10.10.2.53"],
        sourceEndpointName: "geo_dr_dns_forwarder",
      },
    ]);
    const endpoints = byType("oci:Dns/resolverEndpoint:ResolverEndpoint");
    expect(
      endpoints.map((e) => [e.inputs.name, e.inputs.isListening, e.inputs.isForwarding]).sort(),
    ).to.deep.equal([
      ["geo_dr_dns_forwarder", false, true],
      ["geo_dr_dns_listener", true, false],
    ]);
    const mmSubnet = byType("oci:Core/subnet:Subnet").find((s) => s.name.endsWith("mm-subnet"))!;
    for (const e of endpoints) expect(e.inputs.subnetId, String(e.inputs.name)).to.equal(mmSubnet.id);
    const dns = byType("oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule")
      .filter((r) => r.name.startsWith("geo-dr-dns-nsg"))
      .map((r) => [r.inputs.direction, r.inputs.protocol, r.inputs.source ?? r.inputs.destination])
      .sort();
    expect(dns).to.deep.equal([
      ["EGRESS", "17", "10.10.2.53/32"],
      ["EGRESS", "6", "10.10.2.53/32"],
      ["INGRESS", "17", "10.10.2.0/24"],
      ["INGRESS", "6", "10.10.2.0/24"],
    ]);
    // The listener's address reaches the primary through the peering bundle.
    expect((await outputOf(dr.peering)).value.dnsListenerIp).to.match(/^10\.20\.2\.\d+$/);
  });

  it("never forwards OCI's own namespace (the public endpoints would break)", async () => {
    const args = withOnPremises(drArgs());
    args.role = "primary";
    delete args.peer;
    args.externalKafka!.bootstrapServers = "kafka1.dc1.corp.example:9093";
    args.onPremises!.dns = { domains: ["dc1.corp.example"], serverIp: "172.16.0.53" };
    args.replication!.flow = "external-to-local";
    new GeoReplicatedStream("geo-onprem", args, { provider: ams() });
    await settle();
    const covered = rules().flatMap((r) => r.qnameCoverConditions);
    expect(covered).to.deep.equal(["dc1.corp.example"]);
    for (const q of covered) expect(q).to.not.match(/(^|\.)(oraclecloud\.com|oraclevcn\.com|com)$/);
    expect(rules()[0].destinationAddresses).to.deep.equal(["172.16.0.53"]);
  });

  it("an adopted VCN's resolver is not taken over: its rules are reported in requiredDnsRules", async () => {
    const args = drArgs();
    args.network = adoptedNetwork();
    const dr = new GeoReplicatedStream("geo-dr", args, { provider: ams() });
    const required = (await outputOf(dr.requiredDnsRules)).value;
    await settle();
    expect(byType("oci:Dns/resolver:Resolver")).to.deep.equal([]);
    expect(required).to.deep.equal([
      {
        action: "FORWARD",
        qnameCoverConditions: [PRIMARY_FQDN],
        destinationAddresses: ["10.10.2.53"],
        sourceEndpointName: "geo_dr_dns_forwarder",
      },
    ]);
  });

  it("the model refuses an endpoint name with a hyphen, as OCI does", async () => {
    const provider = ams();
    const vcn = new oci.core.Vcn(
      "v",
      { compartmentId: "ocid1.compartment.oc1..aaaa", cidrBlocks: ["10.1.0.0/16"] },
      { provider },
    );
    const subnet = new oci.core.Subnet(
      "s",
      { compartmentId: "ocid1.compartment.oc1..aaaa", vcnId: vcn.id, cidrBlock: "10.1.1.0/24" },
      { provider },
    );
    const resolverId = oci.core.getCnvDnsResolverAssociationOutput(
      { vcnId: vcn.id },
      { provider },
    ).dnsResolverId;
    const errors = await registrationErrors(
      () =>
        new oci.dns.ResolverEndpoint(
          "e",
          {
            name: "geo-dr-listener",
            resolverId,
            subnetId: subnet.id,
            isListening: true,
            isForwarding: false,
          },
          { provider },
        ),
    );
    expect(errors.join("\n")).to.contain("letters, digits and underscores");
  });

  it("the model refuses a second resource managing the same VCN resolver (rules would undo each other)", async () => {
    const provider = ams();
    const vcn = new oci.core.Vcn(
      "v",
      { compartmentId: "ocid1.compartment.oc1..aaaa", cidrBlocks: ["10.1.0.0/16"] },
      { provider },
    );
    const resolverId = oci.core.getCnvDnsResolverAssociationOutput(
      { vcnId: vcn.id },
      { provider },
    ).dnsResolverId;
    new oci.dns.Resolver("r1", { resolverId, scope: "PRIVATE", rules: [] }, { provider });
    await settle();
    const errors = await registrationErrors(
      () => new oci.dns.Resolver("r2", { resolverId, scope: "PRIVATE", rules: [] }, { provider }),
    );
    expect(errors.join("\n")).to.contain("already managed by another resource");
  });
});
