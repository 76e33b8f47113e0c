import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  byName,
  byType,
  expectNothingRegistered,
  mocks,
  outputOf,
  registrationErrors,
  resources,
  settle,
  TEST_PROJECT,
  TEST_STACK,
  withConfig,
} from "../support/mockRuntime";
import * as oci from "@pulumi/oci";
import * as random from "@pulumi/random";
import { wireSecret } from "../../dev/oci-model/wire";

const C = "ocid1.compartment.oc1..aaaaaaaatestcompartmentfortheocimockengine";
const ocidOf = (kind: string, key: string, prefix = "aaaaaaaa") =>
  new RegExp(`^ocid1\\.${kind}\\.oc1\\.${key}\\.${prefix}[a-z2-7]{52}$`);
const urnOf = (qualifiedType: string, name: string) =>
  `urn:pulumi:${TEST_STACK}::${TEST_PROJECT}::${qualifiedType}::${name}`;

async function value<T>(o: pulumi.Input<T>) {
  return (await outputOf(o)).value;
}

function providers() {
  return {
    fra: new oci.Provider("fra", { region: "eu-frankfurt-1" }),
    ams: new oci.Provider("ams", { region: "eu-amsterdam-1" }),
  };
}

/** VCN + private subnet (+ optional NSG) in one region. */
function network(prefix: string, provider: oci.Provider, cidr = "10.10") {
  const vcn = new oci.core.Vcn(
    `${prefix}-vcn`,
    { compartmentId: C, cidrBlocks: [`${cidr}.0.0/16`], dnsLabel: `${prefix}vcn` },
    { provider },
  );
  const subnet = new oci.core.Subnet(
    `${prefix}-sub`,
    {
      compartmentId: C,
      vcnId: vcn.id,
      cidrBlock: `${cidr}.1.0/24`,
      dnsLabel: "streams",
      prohibitPublicIpOnVnic: true,
    },
    { provider },
  );
  return { vcn, subnet };
}

describe("OCI mock engine (dev/oci-model/ociMocks)", () => {
  describe("ids", () => {
    it("are OCIDs carrying the region key of the resource's provider, or of oci:region, or iad", async () => {
      const { fra, ams } = providers();
      const a = new oci.core.Vcn("a", { compartmentId: C, cidrBlock: "10.0.0.0/16" }, { provider: fra });
      const b = new oci.core.Vcn("b", { compartmentId: C, cidrBlock: "10.1.0.0/16" }, { provider: ams });
      const c = new oci.core.Vcn("c", { compartmentId: C, cidrBlock: "10.2.0.0/16" });
      expect(await value(a.id)).to.match(ocidOf("vcn", "fra"));
      expect(await value(b.id)).to.match(ocidOf("vcn", "ams"));
      expect(await value(c.id)).to.match(ocidOf("vcn", "iad"));
      const d = await withConfig(
        { "oci:region": "uk-london-1" },
        () => new oci.core.Vcn("d", { compartmentId: C, cidrBlock: "10.3.0.0/16" }).id,
      );
      expect(await value(d)).to.match(ocidOf("vcn", "lhr"));
    });

    it("use the OCID kind of each type, amaaaaaa for Streaming, and no region for tenancy-wide IAM", async () => {
      const { fra } = providers();
      const pool = new oci.streaming.StreamPool("p", { compartmentId: C, name: "p" }, { provider: fra });
      const rpc = new oci.core.RemotePeeringConnection(
        "r",
        { compartmentId: C, drgId: "x" },
        { provider: fra },
      );
      const secret = new oci.vault.Secret(
        "s",
        { compartmentId: C, vaultId: "v", keyId: "k", secretName: "s" },
        { provider: fra },
      );
      const user = new oci.identity.User(
        "u",
        { compartmentId: C, description: "mm2", name: "mm2", email: "mm2@example.com" },
        { provider: fra },
      );
      const token = new oci.identity.AuthToken(
        "t",
        { userId: user.id, description: "mm2" },
        { provider: fra },
      );
      expect(await value(pool.id)).to.match(ocidOf("streampool", "fra", "amaaaaaa"));
      expect(await value(rpc.id)).to.match(ocidOf("remotepeeringconnection", "fra"));
      expect(await value(secret.id)).to.match(ocidOf("vaultsecret", "fra"));
      expect(await value(user.id)).to.match(ocidOf("user", ""));
      expect(await value(token.id)).to.match(ocidOf("credential", ""));
    });

    it("are deterministic: the same program gives the same ids", async () => {
      const first = await value(new oci.core.Drg("same", { compartmentId: C }).id);
      mocks.reset();
      const again = await value(new oci.core.Drg("same", { compartmentId: C }).id);
      const other = await value(new oci.core.Drg("other", { compartmentId: C }).id);
      expect(again).to.equal(first);
      expect(other).to.not.equal(first);
    });
  });

  describe("outputs OCI computes", () => {
    it("private stream pool: private FQDN in its region, bootstrap servers on 9092, endpoint IP in the subnet", async () => {
      const { ams } = providers();
      const { subnet } = network("dr", ams, "10.20");
      const pool = new oci.streaming.StreamPool(
        "pool",
        { compartmentId: C, name: "pool", privateEndpointSettings: { subnetId: subnet.id } },
        { provider: ams },
      );
      const fqdn = await value(pool.endpointFqdn);
      expect(fqdn).to.match(/^[a-z2-7]{12}\.streaming\.eu-amsterdam-1\.oci\.oraclecloud\.com$/);
      expect(await value(pool.isPrivate)).to.equal(true);
      expect(await value(pool.state)).to.equal("ACTIVE");
      const kafka = await value(pool.kafkaSettings);
      expect(kafka).to.deep.equal({
        autoCreateTopicsEnable: false,
        bootstrapServers: `${fqdn}:9092`,
        logRetentionHours: 24,
        numPartitions: 1,
      });
      const pe = await value(pool.privateEndpointSettings);
      expect(pe.subnetId).to.equal(await value(subnet.id));
      expect(pe.privateEndpointIp).to.match(/^10\.20\.1\.\d+$/);
    });

    it("public stream pool: the regional cell endpoint; streams get their pool's messages endpoint", async () => {
      const { fra } = providers();
      const pool = new oci.streaming.StreamPool("pub", { compartmentId: C, name: "pub" }, { provider: fra });
      const stream = new oci.streaming.Stream(
        "orders",
        { name: "orders", partitions: 3, streamPoolId: pool.id },
        { provider: fra },
      );
      expect(await value(pool.endpointFqdn)).to.equal("cell-1.streaming.eu-frankfurt-1.oci.oraclecloud.com");
      expect(await value(pool.isPrivate)).to.equal(false);
      expect(await value(stream.messagesEndpoint)).to.equal(
        "https://cell-1.streaming.eu-frankfurt-1.oci.oraclecloud.com",
      );
      expect(await value(stream.streamPoolId)).to.equal(await value(pool.id));
      expect(await value(stream.retentionInHours)).to.equal(24);
    });

    it("VCN and subnet: default tables, domain names, virtual router IP, inherited route table", async () => {
      const { fra } = providers();
      const { vcn, subnet } = network("pri", fra);
      expect(await value(vcn.vcnDomainName)).to.equal("privcn.oraclevcn.com");
      expect(await value(vcn.defaultRouteTableId)).to.match(ocidOf("routetable", "fra"));
      expect(await value(vcn.defaultSecurityListId)).to.match(ocidOf("securitylist", "fra"));
      expect(await value(vcn.defaultDhcpOptionsId)).to.match(ocidOf("dhcpoptions", "fra"));
      expect(await value(vcn.cidrBlock)).to.equal("10.10.0.0/16");
      expect(await value(subnet.subnetDomainName)).to.equal("streams.privcn.oraclevcn.com");
      expect(await value(subnet.virtualRouterIp)).to.equal("10.10.1.1");
      expect(await value(subnet.routeTableId)).to.equal(await value(vcn.defaultRouteTableId));
      expect(await value(subnet.securityListIds)).to.deep.equal([await value(vcn.defaultSecurityListId)]);
    });

    it("default security list and route table take over the VCN's defaults (same id)", async () => {
      const vcn = new oci.core.Vcn("v", { compartmentId: C, cidrBlock: "10.0.0.0/16" });
      const dsl = new oci.core.DefaultSecurityList("dsl", {
        manageDefaultResourceId: vcn.defaultSecurityListId,
        ingressSecurityRules: [],
      });
      const drt = new oci.core.DefaultRouteTable("drt", { manageDefaultResourceId: vcn.defaultRouteTableId });
      expect(await value(dsl.id)).to.equal(await value(vcn.defaultSecurityListId));
      expect(await value(drt.id)).to.equal(await value(vcn.defaultRouteTableId));
      expect(await value(dsl.state)).to.equal("AVAILABLE");
    });

    it("DRG: one default table for VCN attachments, one shared by RPC, VC and IPSec; attachment uses the VCN one", async () => {
      const { fra } = providers();
      const { vcn } = network("pri", fra);
      const drg = new oci.core.Drg("drg", { compartmentId: C }, { provider: fra });
      const att = new oci.core.DrgAttachment(
        "att",
        { drgId: drg.id, networkDetails: { id: vcn.id, type: "VCN" } },
        { provider: fra },
      );
      const [tables] = await value(drg.defaultDrgRouteTables);
      for (const id of Object.values(tables)) {
        expect(id).to.match(ocidOf("drgroutetable", "fra"));
      }
      expect(tables.vcn).to.not.equal(tables.remotePeeringConnection);
      expect(tables.remotePeeringConnection).to.equal(tables.ipsecTunnel).and.to.equal(tables.virtualCircuit);
      expect(await value(drg.defaultExportDrgRouteDistributionId)).to.match(
        ocidOf("drgroutedistribution", "fra"),
      );
      expect(await value(att.drgRouteTableId)).to.equal(tables.vcn);
      expect(await value(att.state)).to.equal("ATTACHED");
    });

    it("RPC: NEW until it requests peering, PEERED with peerId and the peer's region", async () => {
      const { fra, ams } = providers();
      const primary = new oci.core.RemotePeeringConnection(
        "p",
        { compartmentId: C, drgId: "d1" },
        { provider: fra },
      );
      const dr = new oci.core.RemotePeeringConnection(
        "d",
        { compartmentId: C, drgId: "d2", peerId: primary.id, peerRegionName: "eu-frankfurt-1" },
        { provider: ams },
      );
      expect(await value(primary.peeringStatus)).to.equal("NEW");
      expect(await value(dr.peeringStatus)).to.equal("PEERED");
      expect(await value(dr.isCrossTenancyPeering)).to.equal(false);
    });

    it("instance: private IP from its subnet, no public IP where the subnet prohibits it", async () => {
      const { fra } = providers();
      const { subnet } = network("pri", fra);
      const vm = new oci.core.Instance(
        "mm2-0",
        {
          compartmentId: C,
          availabilityDomain: "Abcd:EU-FRANKFURT-1-AD-1",
          shape: "VM.Standard.E4.Flex",
          shapeConfig: { ocpus: 2, memoryInGbs: 16 },
          createVnicDetails: { subnetId: subnet.id, assignPublicIp: "false" },
        },
        { provider: fra },
      );
      expect(await value(vm.privateIp)).to.match(/^10\.10\.1\.\d+$/);
      expect(await value(vm.publicIp)).to.equal("");
      expect(await value(vm.availabilityDomain)).to.equal("Abcd:EU-FRANKFURT-1-AD-1");
      expect(await value(vm.faultDomain)).to.equal("FAULT-DOMAIN-1");
      expect(await value(vm.region)).to.equal("eu-frankfurt-1");
    });

    it("vault endpoints, key's vault, a recognisable auth token (not secret), engine-style secret outputs", async () => {
      const { fra } = providers();
      const vault = new oci.kms.Vault(
        "v",
        { compartmentId: C, displayName: "v", vaultType: "DEFAULT" },
        { provider: fra },
      );
      const key = new oci.kms.Key(
        "k",
        {
          compartmentId: C,
          displayName: "k",
          keyShape: { algorithm: "AES", length: 32 },
          managementEndpoint: vault.managementEndpoint,
        },
        { provider: fra },
      );
      const token = new oci.identity.AuthToken("t", {
        userId: "ocid1.user.oc1..aaaaaaaau",
        description: "mm2",
      });
      const password = new random.RandomPassword("pw", { length: 24 });
      expect(await value(vault.managementEndpoint)).to.match(
        /^https:\/\/[a-z2-7]{13}-management\.kms\.eu-frankfurt-1\.oraclecloud\.com$/,
      );
      expect(await value(vault.cryptoEndpoint)).to.match(/-crypto\.kms\.eu-frankfurt-1\.oraclecloud\.com$/);
      expect(await value(key.vaultId)).to.equal(await value(vault.id));
      const t = await outputOf(token.token);
      expect(t.value).to.match(/^MOCK-authtoken-/);
      expect(t.isSecret, "the OCI provider does not mark tokens secret; the component must").to.equal(false);
      const pw = await outputOf(password.result);
      expect(pw.value).to.have.length(24);
      expect(pw.isSecret, "additionalSecretOutputs are honoured like the engine does").to.equal(true);
    });

    it("leaves unmocked output-only properties undefined", async () => {
      const gw = new oci.core.InternetGateway("igw", { compartmentId: C, vcnId: "v" });
      const lifecycle = new oci.core.Vcn("v2", { compartmentId: C, cidrBlock: "10.9.0.0/16" });
      expect(await value(gw.state)).to.equal("AVAILABLE");
      expect(await value(lifecycle.ipv6privateCidrBlocks)).to.equal(undefined);
    });
  });

  describe("refuses what OCI refuses", () => {
    const cases: [string, () => unknown, RegExp][] = [
      [
        "a subnet outside its VCN",
        () => {
          const vcn = new oci.core.Vcn("v", { compartmentId: C, cidrBlock: "10.0.0.0/16" });
          new oci.core.Subnet("s", { compartmentId: C, vcnId: vcn.id, cidrBlock: "10.1.0.0/24" });
        },
        /cidrBlock 10\.1\.0\.0\/24 is not within the VCN's CIDR blocks/,
      ],
      [
        "overlapping subnets in one VCN",
        () => {
          const vcn = new oci.core.Vcn("v", { compartmentId: C, cidrBlock: "10.0.0.0/16" });
          new oci.core.Subnet("a", { compartmentId: C, vcnId: vcn.id, cidrBlock: "10.0.0.0/23" });
          new oci.core.Subnet("b", { compartmentId: C, vcnId: vcn.id, cidrBlock: "10.0.1.0/24" });
        },
        /overlaps subnet/,
      ],
      [
        "a stream retention outside 24..168 hours",
        () =>
          new oci.streaming.Stream("s", {
            name: "s",
            partitions: 1,
            retentionInHours: 200,
            compartmentId: C,
          }),
        /retentionInHours 200 is outside 24\.\.168/,
      ],
      [
        "a peer region that does not match the peer RPC",
        () =>
          new oci.core.RemotePeeringConnection("r", {
            compartmentId: C,
            drgId: "d",
            peerId: "ocid1.remotepeeringconnection.oc1.fra.aaaaaaaapeer",
            peerRegionName: "eu-paris-1",
          }),
        /peerId .* is in eu-frankfurt-1 but peerRegionName is eu-paris-1/,
      ],
      [
        "a DNS label OCI does not accept",
        () => new oci.core.Vcn("v", { compartmentId: C, cidrBlock: "10.0.0.0/16", dnsLabel: "my-vcn" }),
        /dnsLabel 'my-vcn'/,
      ],
      [
        "a public IP in a subnet that prohibits them",
        () => {
          const provider = new oci.Provider("p", { region: "eu-frankfurt-1" });
          const { subnet } = network("x", provider);
          new oci.core.Instance(
            "vm",
            {
              compartmentId: C,
              availabilityDomain: "ad",
              shape: "VM.Standard.E4.Flex",
              createVnicDetails: { subnetId: subnet.id, assignPublicIp: "true" },
            },
            { provider },
          );
        },
        /assignPublicIp is true but the subnet prohibits public IPs/,
      ],
      [
        "instance metadata over 32,000 bytes (user_data and SSH keys together)",
        () =>
          new oci.core.Instance("big", {
            compartmentId: C,
            availabilityDomain: "ad",
            shape: "VM.Standard.E4.Flex",
            metadata: {
              user_data: "A".repeat(31_000),
              ssh_authorized_keys: "ssh-ed25519 " + "B".repeat(1_000),
            },
          }),
        /metadata and extendedMetadata are 320\d\d bytes together; OCI allows at most 32000/,
      ],
      [
        "a reference to a resource in another region",
        () => {
          const { subnet } = network("f", new oci.Provider("p", { region: "eu-frankfurt-1" }));
          new oci.streaming.StreamPool("pool", {
            compartmentId: C,
            name: "pool",
            privateEndpointSettings: { subnetId: subnet.id },
          });
        },
        /privateEndpointSettings\.subnetId .* is in eu-frankfurt-1, this resource is in us-ashburn-1/,
      ],
      [
        "a third auth token for one user",
        () => {
          for (const n of [1, 2, 3]) {
            new oci.identity.AuthToken(`t${n}`, { userId: "ocid1.user.oc1..aaaaaaaau", description: `${n}` });
          }
        },
        /already has 2 auth tokens/,
      ],
      [
        "a provider for an unknown region",
        () => new oci.Provider("nowhere", { region: "eu-atlantis-1" }),
        /region 'eu-atlantis-1' is not a known OCI region/,
      ],
      [
        "two resources with the same URN (as the engine does)",
        () => {
          new oci.core.Drg("twice", { compartmentId: C });
          new oci.core.Drg("twice", { compartmentId: C });
        },
        /Duplicate resource URN 'urn:pulumi:test::oci-geo-streaming::oci:Core\/drg:Drg::twice'/,
      ],
    ];
    for (const [title, fn, expected] of cases) {
      it(title, async () => {
        const errors = await registrationErrors(fn);
        expect(errors.join("\n")).to.match(expected);
      });
    }

    it("accepts the valid counterpart (a subnet inside its VCN, two tokens, metadata within 32,000 bytes)", async () => {
      const errors = await registrationErrors(() => {
        network("ok", new oci.Provider("p", { region: "eu-frankfurt-1" }));
        new oci.core.Instance("fits", {
          compartmentId: C,
          availabilityDomain: "ad",
          shape: "VM.Standard.E4.Flex",
          metadata: { user_data: "A".repeat(31_000) },
        });
        for (const n of [1, 2]) {
          new oci.identity.AuthToken(`t${n}`, { userId: "ocid1.user.oc1..aaaaaaaau", description: `${n}` });
        }
      });
      expect(errors).to.deep.equal([]);
    });
  });

  describe("invokes", () => {
    it("getAvailabilityDomains: three ADs in Frankfurt, one in Amsterdam, OCI's name shape", async () => {
      const { fra, ams } = providers();
      const f = await oci.identity.getAvailabilityDomains({ compartmentId: C }, { provider: fra });
      const a = await oci.identity.getAvailabilityDomains({ compartmentId: C }, { provider: ams });
      expect(f.availabilityDomains.map((d) => d.name)).to.have.length(3);
      f.availabilityDomains.forEach((d, i) =>
        expect(d.name).to.match(new RegExp(`^[A-Z][a-z]{3}:EU-FRANKFURT-1-AD-${i + 1}$`)),
      );
      expect(a.availabilityDomains.map((d) => d.name)).to.have.length(1);
      expect(a.availabilityDomains[0].name).to.match(/^[A-Z][a-z]{3}:EU-AMSTERDAM-1-AD-1$/);
    });

    it("getFaultDomains: three fault domains", async () => {
      const r = await oci.identity.getFaultDomains({
        compartmentId: C,
        availabilityDomain: "Abcd:US-ASHBURN-1-AD-1",
      });
      expect(r.faultDomains.map((d) => d.name)).to.deep.equal([
        "FAULT-DOMAIN-1",
        "FAULT-DOMAIN-2",
        "FAULT-DOMAIN-3",
      ]);
    });

    it("getImages: Oracle Linux platform images newest first, filtered by OS version and shape architecture", async () => {
      const { fra } = providers();
      const all = await oci.core.getImages(
        {
          compartmentId: C,
          operatingSystem: "Oracle Linux",
          operatingSystemVersion: "8",
          shape: "VM.Standard.E4.Flex",
        },
        { provider: fra },
      );
      expect(all.images.map((i) => i.displayName)).to.deep.equal([
        "Oracle-Linux-8.10-2025.10.31-0",
        "Oracle-Linux-8.10-2025.09.16-0",
      ]);
      for (const i of all.images) {
        expect(i.id).to.match(ocidOf("image", "fra"));
      }
      const arm = await oci.core.getImages(
        { compartmentId: C, operatingSystem: "Oracle Linux", shape: "VM.Standard.A1.Flex" },
        { provider: fra },
      );
      expect(arm.images.map((i) => i.displayName).every((n) => n.includes("aarch64"))).to.equal(true);
      const times = arm.images.map((i) => i.timeCreated);
      expect(times).to.deep.equal([...times].sort().reverse());
    });

    it("getShapes: flexible shapes with OCPU and memory ranges", async () => {
      const r = await oci.core.getShapes({ compartmentId: C, shape: "VM.Standard.E4.Flex" });
      expect(r.shapes).to.have.length(1);
      const [s] = r.shapes;
      expect(s.isFlexible).to.equal(true);
      expect(s.ocpuOptions[0]).to.include({ min: 1, max: 64 });
      expect(s.memoryOptions[0]).to.include({ minInGbs: 1, maxInGbs: 1024, maxPerOcpuInGbs: 64 });
    });

    it("getTenancy and getRegionSubscriptions: name, home region key, home region flagged", async () => {
      const tenancyId = "ocid1.tenancy.oc1..aaaaaaaatenancy";
      const { fra } = providers();
      const t = await withConfig({ "oci:region": "eu-frankfurt-1" }, () =>
        oci.identity.getTenancy({ tenancyId }, { provider: fra }),
      );
      expect(t).to.include({ name: "mocktenancy", homeRegionKey: "FRA", id: tenancyId });
      const subs = await withConfig({ "oci:region": "eu-frankfurt-1" }, () =>
        oci.identity.getRegionSubscriptions({ tenancyId }, { provider: fra }),
      );
      const home = subs.regionSubscriptions.filter((s) => s.isHomeRegion);
      expect(home.map((s) => [s.regionName, s.regionKey, s.state])).to.deep.equal([
        ["eu-frankfurt-1", "FRA", "READY"],
      ]);
    });

    it("getServices: 'All <KEY> Services In Oracle Services Network' with its CIDR label, filters applied", async () => {
      const { ams } = providers();
      const r = await oci.core.getServices(
        { filters: [{ name: "name", values: ["All .* Services In Oracle Services Network"], regex: true }] },
        { provider: ams },
      );
      expect(r.services.map((s) => [s.name, s.cidrBlock])).to.deep.equal([
        ["All AMS Services In Oracle Services Network", "all-ams-services-in-oracle-services-network"],
      ]);
      expect(r.services[0].id).to.match(ocidOf("service", "ams"));
      const unfiltered = await oci.core.getServices({}, { provider: ams });
      expect(unfiltered.services).to.have.length(2);
    });

    it("getRegions: every known region with its upper-case key", async () => {
      const r = await oci.identity.getRegions({});
      expect(r.regions).to.deep.include({ name: "eu-amsterdam-1", key: "AMS" });
      expect(r.regions).to.deep.include({ name: "us-ashburn-1", key: "IAD" });
    });

    it("getStreamPool: a pool registered in this program, or an adopted pool by OCID", async () => {
      const { ams } = providers();
      const pool = new oci.streaming.StreamPool(
        "pool",
        { compartmentId: C, name: "pool" },
        { provider: ams },
      );
      const id = await value(pool.id);
      const r = await oci.streaming.getStreamPool({ streamPoolId: id }, { provider: ams });
      expect(r.endpointFqdn).to.equal("cell-1.streaming.eu-amsterdam-1.oci.oraclecloud.com");
      expect(r.kafkaSettings[0].bootstrapServers).to.equal(`${r.endpointFqdn}:9092`);
      const adopted = await oci.streaming.getStreamPool({
        streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaaexisting",
      });
      expect(adopted.kafkaSettings[0].bootstrapServers).to.match(
        /\.eu-frankfurt-1\.oci\.oraclecloud\.com:9092$/,
      );
    });

    it("an invoke without a mock fails naming its token", async () => {
      let err: Error | undefined;
      try {
        await oci.identity.getCompartments({ compartmentId: "ocid1.tenancy.oc1..x" });
      } catch (e) {
        err = e as Error;
      }
      expect(err?.message).to.contain("oci:Identity/getCompartments:getCompartments");
      expect(err?.message).to.contain("no mock for invoke");
    });
  });

  describe("registry", () => {
    class Outer extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Outer", name, {}, opts);
        const inner = new Inner(`${name}-inner`, { parent: this });
        new oci.core.Drg(`${name}-drg`, { compartmentId: C }, { parent: inner });
        this.registerOutputs({ answer: 42, hidden: pulumi.secret("shh") });
      }
    }
    class Inner extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Inner", name, {}, opts);
        this.registerOutputs({});
      }
    }

    it("records the real parent URN, engine-style URNs and the provider reference", async () => {
      const { fra } = providers();
      new Outer("geo", { providers: { oci: fra } });
      await settle();
      const outer = byName("geo");
      const inner = byName("geo-inner");
      const drg = byName("geo-drg");
      expect(outer.urn).to.equal(urnOf("test:index:Outer", "geo"));
      expect(inner.urn).to.equal(urnOf("test:index:Outer$test:index:Inner", "geo-inner"));
      expect(drg.urn).to.equal(urnOf("test:index:Outer$test:index:Inner$oci:Core/drg:Drg", "geo-drg"));
      expect(inner.parent).to.equal(outer.urn);
      expect(drg.parent).to.equal(inner.urn);
      expect(outer.custom).to.equal(false);
      expect(drg.custom).to.equal(true);
      const fraRecord = byName("fra");
      expect(drg.provider).to.equal(`${fraRecord.urn}::${fraRecord.id}`);
      expect(drg.id).to.match(ocidOf("drg", "fra"));
      expect(outer.outputs).to.deep.equal({ answer: 42, hidden: "shh" });
      expect(resources().map((r) => r.name)).to.deep.equal(["fra", "ams", "geo", "geo-inner", "geo-drg"]);
    });

    it("records which inputs were secret, down to nested properties", async () => {
      new oci.core.Vcn("v", {
        compartmentId: C,
        cidrBlock: pulumi.secret("10.0.0.0/16"),
        freeformTags: { owner: "team", token: pulumi.secret("t0ken") },
      });
      await settle();
      const v = byType("oci:Core/vcn:Vcn")[0];
      expect(v.secretInputs.sort()).to.deep.equal(["cidrBlock", "freeformTags.token"]);
      expect(v.inputs.freeformTags).to.deep.equal({ owner: "team", token: "t0ken" });
      expect(
        await outputOf(
          new oci.core.Vcn("w", { compartmentId: C, cidrBlock: pulumi.secret("10.1.0.0/16") }).cidrBlock,
        ),
      ).to.have.property("isSecret", true);
    });

    it("answers StackReferences with the given stack outputs; secret outputs stay secret", async () => {
      mocks.setStackOutputs({
        primary: { rpcId: "ocid1.remotepeeringconnection.oc1.fra.aaaaaaaax", token: wireSecret("s3cret") },
      });
      const ref = new pulumi.StackReference("acme/geo/primary");
      const rpcId = await outputOf(ref.getOutput("rpcId"));
      const token = await outputOf(ref.getOutput("token"));
      expect(rpcId).to.deep.equal({
        value: "ocid1.remotepeeringconnection.oc1.fra.aaaaaaaax",
        isSecret: false,
        isKnown: true,
      });
      expect(token).to.deep.equal({ value: "s3cret", isSecret: true, isKnown: true });
      const errors = await registrationErrors(() => new pulumi.StackReference("acme/geo/nowhere"));
      expect(errors.join("\n")).to.match(/no outputs for stack 'acme\/geo\/nowhere'.*known: primary/);
    });

    it("records reads (Resource.get): region from the OCID, state from the known pre-existing resources", async () => {
      const id = "ocid1.streampool.oc1.ams.amaaaaaaexistingpool";
      mocks.setExisting({
        [id]: { name: "legacy", endpointFqdn: "abc.streaming.eu-amsterdam-1.oci.oraclecloud.com" },
      });
      try {
        const pool = oci.streaming.StreamPool.get("legacy", id);
        expect(await value(pool.endpointFqdn)).to.equal("abc.streaming.eu-amsterdam-1.oci.oraclecloud.com");
        const vcn = oci.core.Vcn.get("old-vcn", "ocid1.vcn.oc1.fra.aaaaaaaaoldvcn");
        expect(await value(vcn.defaultRouteTableId)).to.match(ocidOf("routetable", "fra"));
        await settle();
        expect(byName("legacy")).to.include({ read: true, id, custom: true });
      } finally {
        mocks.setExisting({});
      }
    });

    it("expectNothingRegistered passes only if the error comes before any registration", async () => {
      await expectNothingRegistered(() => {
        throw Object.assign(new Error("streams[0].partitions: must be at least 1"), {
          field: "streams[0].partitions",
        });
      }, "streams[0].partitions");

      let late: Error | undefined;
      try {
        await expectNothingRegistered(() => {
          new oci.core.Drg("too-early", { compartmentId: C });
          throw new Error("region: invalid");
        }, "region");
      } catch (e) {
        late = e as Error;
      }
      expect(late?.message).to.match(/resources registered before the error/);

      let none: Error | undefined;
      try {
        await expectNothingRegistered(() => undefined);
      } catch (e) {
        none = e as Error;
      }
      expect(none?.message).to.match(/nothing was thrown/);
    });
  });
});
