import { expect } from "chai";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { byType, expectNothingRegistered, outputOf, resetRegistry, settle } from "../support/mockRuntime";
import { scanAll, unmaskedOccurrences as unmasked } from "../support/secretScan";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs, ReplicationArgs } from "../../lib/core/config/args";
import { parseProperties } from "../../lib/core/mm2";
import {
  CLIENT_CERT_PEM,
  CLIENT_KEY_PEM,
  MM2_EMAIL,
  ONPREM_PASSWORD,
  adoptedNetwork,
  validDr,
  withOnPremises,
} from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
const VC = "ocid1.virtualcircuit.oc1.eu-amsterdam-1.aaaaaaaavc";

/** A primary-role region with no peer, replicating with the on-premises cluster. */
function onPremArgs(rep: Partial<ReplicationArgs>, edit: (a: GeoReplicatedStreamArgs) => void = () => {}) {
  const args = withOnPremises(validDr());
  args.role = "primary";
  delete args.peer;
  args.replication = {
    tenancyId: TENANCY,
    homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }),
    fleet: { size: 2 },
    credentials: { mode: "create", email: MM2_EMAIL },
    ...rep,
  };
  edit(args);
  return args;
}

async function build(rep: Partial<ReplicationArgs>, edit?: (a: GeoReplicatedStreamArgs) => void) {
  const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
  const site = new GeoReplicatedStream("geo-onprem", onPremArgs(rep, edit), { provider: ams });
  await outputOf(site.replication!.userData);
  await settle();
  return site;
}

describe("on-premises Kafka (mock engine)", () => {
  beforeEach(() => resetRegistry());

  describe("on-prem -> OCI over an IPSec VPN (SASL_SSL, SCRAM-SHA-512, private CA, mutual TLS)", () => {
    const mtls = (a: GeoReplicatedStreamArgs) => {
      a.externalKafka!.tls = {
        ...a.externalKafka!.tls,
        clientCertificatePem: CLIENT_CERT_PEM,
        clientKeyPem: pulumi.secret(CLIENT_KEY_PEM),
      };
    };

    it("creates the CPE, the IPSec connection with the on-prem CIDRs, and both tunnels with secret keys", async () => {
      const site = await build({ flow: "external-to-local" }, mtls);
      const drg = byType("oci:Core/drg:Drg")[0];
      const cpe = byType("oci:Core/cpe:Cpe");
      expect(cpe.map((c) => c.inputs.ipAddress)).to.deep.equal(["198.51.100.10"]);
      const ipsec = byType("oci:Core/ipsec:Ipsec");
      expect(ipsec).to.have.length(1);
      expect(ipsec[0].inputs.staticRoutes).to.deep.equal(["172.16.0.0/16"]);
      expect(ipsec[0].inputs.drgId).to.equal(drg.id);
      const tunnels = byType("oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement");
      expect(tunnels).to.have.length(2);
      expect(new Set(tunnels.map((t) => t.inputs.tunnelId)).size).to.equal(2);
      for (const t of tunnels) {
        expect(t.secretInputs).to.include("sharedSecret");
        expect(t.inputs.routing).to.equal("STATIC");
        expect(t.inputs.ikeVersion).to.equal("V2");
      }
      const keys = tunnels.map((t) => t.inputs.sharedSecret as string);
      expect(keys[0]).to.match(/^[A-Za-z0-9]{64}$/);
      expect(scanAll(keys)).to.deep.equal([]);
      const out = await outputOf(site.onPremises!.vpnTunnels!);
      expect(out.isSecret).to.equal(true);
      const info = out.value as { oracleVpnIp: string; cpeIp: string; sharedSecret: string }[];
      expect(info.map((t) => t.cpeIp)).to.deep.equal(["198.51.100.10", "198.51.100.10"]);
      expect(info.map((t) => t.sharedSecret).sort()).to.deep.equal([...keys].sort());
      expect(info[0].oracleVpnIp).to.match(/^\d+\.\d+\.\d+\.\d+$/);
    });

    it("routes only the on-prem CIDRs from the MirrorMaker subnet through the DRG; the pool subnet gets none", async () => {
      await build({ flow: "external-to-local" });
      const drg = byType("oci:Core/drg:Drg")[0];
      const tables = Object.fromEntries(
        byType("oci:Core/routeTable:RouteTable").map((t) => [
          t.name,
          t.inputs.routeRules as { destination: string; networkEntityId: string }[],
        ]),
      );
      expect(
        tables["geo-onprem-network-mm-rt"]
          .filter((r) => r.networkEntityId === drg.id)
          .map((r) => r.destination),
      ).to.deep.equal(["172.16.0.0/16"]);
      expect(tables["geo-onprem-network-stream-rt"]).to.deep.equal([]);
    });

    it("lets the fleet reach only the broker CIDRs on the broker ports, and no peer region", async () => {
      await build({ flow: "external-to-local" });
      const egress = byType("oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule")
        .filter((r) => r.name.includes("fleet") && r.inputs.direction === "EGRESS")
        .map((r) => [
          r.inputs.destination,
          (r.inputs.tcpOptions as { destinationPortRange: { min: number } }).destinationPortRange.min,
        ]);
      expect(egress).to.deep.include.members([
        ["172.16.1.0/24", 9093],
        ["10.20.1.0/24", 9092],
      ]);
      expect(egress.filter(([d]) => String(d).startsWith("172.16."))).to.deep.equal([
        ["172.16.1.0/24", 9093],
      ]);
      expect(egress.filter(([d]) => String(d).startsWith("10.10."))).to.deep.equal([]);
    });

    it("keeps the SASL password and the client key in Vault: secret everywhere, read only by the fleet", async () => {
      const site = await build({ flow: "external-to-local" }, mtls);
      const keyBody = CLIENT_KEY_PEM.split("\n")[1];
      const needles = [ONPREM_PASSWORD, keyBody, Buffer.from(ONPREM_PASSWORD).toString("base64")];
      // Control: the needle is findable where it is in the clear.
      expect(unmasked({ a: `x${ONPREM_PASSWORD}` }, needles)).to.deep.equal(["a"]);
      expect(scanAll(needles)).to.deep.equal([]);
      const secrets = byType("oci:Vault/secret:Secret");
      const names = secrets.map((s) => String(s.inputs.secretName)).sort();
      // One suffix per incarnation of the layer (a deleted secret's name stays reserved).
      const suffix = names[0].slice(names[0].lastIndexOf("-") + 1);
      expect(suffix).to.match(/^[0-9a-f]{6}$/);
      expect(names).to.deep.equal(
        [
          "geo-onprem-replication-credentials-auth-token",
          "geo-onprem-replication-credentials-external-ca-certificate",
          "geo-onprem-replication-credentials-external-keystore",
          "geo-onprem-replication-credentials-external-sasl-password",
        ].map((n) => `${n}-${suffix}`),
      );
      for (const s of secrets) expect(s.secretInputs).to.include("secretContent.content");
      const keystore = secrets.find((s) => /-keystore-[0-9a-f]{6}$/.test(String(s.inputs.secretName)))!;
      const pem = Buffer.from(
        (keystore.inputs.secretContent as { content: string }).content,
        "base64",
      ).toString();
      expect(pem).to.match(
        /^-----BEGIN PRIVATE KEY-----[^]*-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----/,
      );
      const policy = byType("oci:Identity/policy:Policy").find((p) => p.name.endsWith("secret-policy"))!;
      const statements = policy.inputs.statements as string[];
      expect(statements).to.have.length(4);
      for (const s of secrets) expect(statements.join("\n")).to.contain(`target.secret.id = '${s.id}'`);
      const userData = (await outputOf(site.replication!.userData)).value as string;
      for (const n of needles) expect(userData).to.not.contain(n);
    });

    it("renders SCRAM over TLS with PEM stores for onprem, OCI limits for the local pool only, and pre-creates onprem.<topic>", async () => {
      const site = await build({ flow: "external-to-local" }, mtls);
      const props = parseProperties((await outputOf(site.replication!.mm2Properties)).value as string);
      expect(props.get("onprem->ams.enabled")).to.equal("true");
      expect(props.get("onprem.security.protocol")).to.equal("SASL_SSL");
      expect(props.get("onprem.sasl.mechanism")).to.equal("SCRAM-SHA-512");
      expect(props.get("onprem.sasl.jaas.config")).to.match(
        /ScramLoginModule required username="mm2" password="\$\{file:/,
      );
      expect(props.get("onprem.ssl.truststore.type")).to.equal("PEM");
      expect(props.get("onprem.ssl.keystore.type")).to.equal("PEM");
      expect(props.has("onprem.producer.enable.idempotence")).to.equal(false);
      expect(props.get("ams.producer.enable.idempotence")).to.equal("false");
      expect(props.get("ams.config.storage.topic")).to.match(/^ocid1\.connectharness\..*-config$/);
      const created = byType("oci:Streaming/stream:Stream")
        .filter((s) => s.name.startsWith("geo-onprem-replication-"))
        .map((s) => [s.inputs.name, s.inputs.partitions, s.inputs.retentionInHours]);
      expect(created).to.deep.include(["onprem.ledger", 4, 72]);
      expect(created.map(([n]) => n)).to.include("onprem.checkpoints.internal");
    });
  });

  describe("OCI -> on-prem over FastConnect", () => {
    const fastConnect = (a: GeoReplicatedStreamArgs) => {
      a.onPremises = { cidrs: ["172.16.0.0/16"], fastConnect: { virtualCircuitId: VC } };
    };

    it("reads the virtual circuit, creates no VPN, and reports its state", async () => {
      const site = await build({ flow: "local-to-external" }, fastConnect);
      expect(byType("oci:Core/ipsec:Ipsec")).to.have.length(0);
      expect(byType("oci:Core/cpe:Cpe")).to.have.length(0);
      expect((await outputOf(site.onPremises!.virtualCircuitState!)).value).to.equal("PROVISIONED");
    });

    it("keeps MM2's worker state on the on-prem cluster: no Connect harness, no stream created for MM2", async () => {
      const site = await build({ flow: "local-to-external" }, fastConnect);
      expect(byType("oci:Streaming/connectHarness:ConnectHarness")).to.have.length(0);
      expect(
        byType("oci:Streaming/stream:Stream").filter((s) => s.name.startsWith("geo-onprem-replication-")),
      ).to.deep.equal([]);
      const props = parseProperties((await outputOf(site.replication!.mm2Properties)).value as string);
      expect(props.get("ams->onprem.enabled")).to.equal("true");
      expect([...props.keys()].filter((k) => k.includes("storage.topic"))).to.deep.equal([]);
      expect(props.get("ams.consumer.fetch.max.wait.ms")).to.equal("250");
      const policy = byType("oci:Identity/policy:Policy").find((p) => p.name.endsWith("streaming-policy"))!;
      const statements = (policy.inputs.statements as string[]).join("\n");
      expect(statements).to.contain("stream-pull");
      expect(statements).to.not.contain("stream-push");
      expect(statements).to.not.contain("connect-harness");
    });
  });

  it("an adopted VCN is told which routes it still needs: the peer VCN and the on-prem CIDRs, through the DRG", async () => {
    const ams = new oci.Provider("ams", { region: "eu-amsterdam-1" });
    const args = withOnPremises(validDr());
    args.network = adoptedNetwork();
    const site = new GeoReplicatedStream("geo-dr", args, { provider: ams });
    const routes = (await outputOf(site.requiredRouteRules)).value as {
      destination: string;
      target: string;
    }[];
    await settle();
    const drg = byType("oci:Core/drg:Drg")[0];
    expect(routes).to.deep.equal([
      { destination: "10.10.0.0/16", target: drg.id },
      { destination: "172.16.0.0/16", target: drg.id },
    ]);
  });

  describe("refused before anything is registered", () => {
    const cases: [string, Partial<ReplicationArgs>, (a: GeoReplicatedStreamArgs) => void, string][] = [
      [
        "an external flow without an external cluster",
        { flow: "external-to-local" },
        (a) => (delete a.externalKafka, delete a.onPremises),
        "replication.flow",
      ],
      ["an unknown flow", { flow: "both-ways" as "peer-to-local" }, () => {}, "replication.flow"],
      [
        "a plain-string password",
        { flow: "external-to-local" },
        (a) => (a.externalKafka!.sasl!.password = ONPREM_PASSWORD),
        "externalKafka.sasl.password",
      ],
    ];
    for (const [title, rep, edit, field] of cases) {
      it(`${title} (${field})`, async () => {
        const args = onPremArgs(rep, edit);
        await settle();
        await expectNothingRegistered(() => new GeoReplicatedStream("geo-onprem", args), field);
      });
    }
  });
});
