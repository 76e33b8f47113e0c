/**
 * An on-premises stack of the repository's stack program on the real engine (IPSec with generated
 * pre-shared keys, SASL_SSL SCRAM with mutual TLS into OCI): the on-premises password, the client
 * key and both tunnels' keys reach the state only encrypted; a preview after up changes nothing;
 * destroy leaves nothing.
 */
import { expect } from "chai";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { localPairWorkspace, PairWorkspace, StackConfigMap } from "../../lib/program/automation";
import { ProgramConfigKey, settingOf, settingText } from "../../lib/core/config/settings";
import { unwrapWire } from "../../dev/oci-model/wire";
import { plaintextSecrets, secretsInText, withPlanted } from "./secrets";
import {
  buildEmulator,
  cloudResources,
  ofType,
  progress,
  requireTools,
  resourcesOf,
  ROOT,
  Sandbox,
  StackExport,
} from "./support";

const NS = "oci-geo-streaming";
const STACK = `organization/${NS}/onprem`;
const PASSWORD = "engine-tier-onprem-password-Zk8qW2";
const KEY_PEM = generateKeyPairSync("ec", { namedCurve: "prime256v1" })
  .privateKey.export({ type: "pkcs8", format: "pem" })
  .toString();
const CERT = fs.readFileSync(path.join(ROOT, "tests", "fixtures", "tls", "cert.pem"), "utf8");

function onPremConfig(): StackConfigMap {
  const out: StackConfigMap = { "oci:region": { value: "eu-frankfurt-1" } };
  const set = (key: ProgramConfigKey, value: unknown) => {
    out[`${NS}:${key}`] = {
      value: settingText(key, value, NS),
      ...(settingOf(key)?.secret ? { secret: true } : {}),
    };
  };
  set("role", "primary");
  set("compartmentId", "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa");
  set("vcnCidr", "10.30.0.0/16");
  // The test destroys the stack at the end: the pool is not protected (default: protected).
  set("streamPoolProtect", false);
  set("onPremCidrs", ["172.16.0.0/16"]);
  set("ipsecCpeIpAddress", "198.51.100.10");
  set("onPremDnsDomains", ["dc1.corp.example"]);
  set("onPremDnsServerIp", "172.16.0.53");
  set("tenancyId", "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja");
  set("homeRegion", "eu-frankfurt-1");
  set("credentialsEmail", "mm2-onprem@example.com");
  set("fleetSize", 1);
  set("replicationFlow", "external-to-local");
  set("externalKafka", {
    alias: "onprem",
    bootstrapServers: "kafka1.dc1.corp.example:9093,kafka2.dc1.corp.example:9093",
    brokerCidrs: ["172.16.8.0/28"],
    securityProtocol: "SASL_SSL",
    sasl: { mechanism: "SCRAM-SHA-512", username: "oci-mirrormaker" },
    tls: { caCertificatePem: CERT, clientCertificatePem: CERT },
    topics: [{ name: "ledger", partitions: 3, retentionHours: 168 }],
  });
  set("externalKafkaPassword", PASSWORD);
  set("externalKafkaClientKeyPem", KEY_PEM);
  return out;
}

describe("engine: an on-premises stack (IPSec, SCRAM and mTLS secrets) on the real engine", function () {
  this.timeout(600_000);
  let sandbox: Sandbox;
  let ws: PairWorkspace;
  let log = "";
  let exported: StackExport;
  /** The key's body, as a distinctive piece of it. */
  const keyBody = KEY_PEM.split("\n")[1];
  const needles = [PASSWORD, keyBody];
  const onOutput = (what: string) => {
    const say = progress(what);
    return (text: string) => {
      log += text;
      for (const line of text.split("\n"))
        if (/Resources:|^\s+[+~-]+ \d+ |Duration:|error:/.test(line)) say(line.trim());
    };
  };

  before(async () => {
    requireTools();
    buildEmulator();
    sandbox = new Sandbox("onprem");
    ws = localPairWorkspace({
      projectName: NS,
      backendUrl: sandbox.backendUrl,
      envVars: sandbox.env,
      secretsProvider: "passphrase",
      pulumiCommand: await sandbox.pulumiCommand(),
    });
    expect(await ws.selectStack(STACK, { create: true })).to.equal(true);
    await ws.setAllConfig(STACK, onPremConfig());
  });

  after(async () => {
    await ws?.close?.();
  });

  it("deploys: the VPN with both tunnels' generated keys, the external cluster's secrets in Vault", async () => {
    const up = await ws.up(STACK, { onOutput: onOutput("up onprem") });
    // The Automation API returns outputs with secrets shown; the state keeps vpnTunnels encrypted.
    const tunnels = (up.outputs.onPremises.value as { vpnTunnels: { sharedSecret: string }[] }).vpnTunnels;
    expect(tunnels).to.have.length(2);
    for (const t of tunnels) {
      expect(t.sharedSecret).to.match(/^[A-Za-z0-9]{64}$/);
      needles.push(t.sharedSecret);
    }
    exported = await sandbox.exportStack(STACK);
    const stackOutputs = resourcesOf(exported).find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
    const stored = (stackOutputs.onPremises as { vpnTunnels: Record<string, unknown> }).vpnTunnels;
    expect(Object.keys(stored).sort(), "vpnTunnels is a secret in the state").to.deep.equal(
      ["4dabf18193072939515e22adb298388d", "ciphertext"].sort(),
    );
    expect(ofType(exported, "oci:Core/ipsec:Ipsec")).to.have.length(1);
    // The keys the tenancy's tunnels hold are the ones the stack reported.
    const held = Object.values(sandbox.tenancy().resources)
      .filter((r) => r.type === "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement")
      .map((r) => String(unwrapWire(r.outputs.sharedSecret)))
      .sort();
    expect(held).to.deep.equal(tunnels.map((t) => t.sharedSecret).sort());
    // The password and the key are in the tenancy's Vault (base64 content), as OCI would hold them.
    const vault = Object.values(sandbox.tenancy().resources)
      .filter((r) => r.type === "oci:Vault/secret:Secret")
      .map((r) =>
        Buffer.from(
          String(unwrapWire((r.inputs.secretContent as { content: unknown }).content)),
          "base64",
        ).toString(),
      );
    expect(vault.some((c) => c.includes(PASSWORD))).to.equal(true);
    expect(vault.some((c) => c.includes(keyBody))).to.equal(true);
  });

  it("the state and the CLI's output hold none of the password, the client key and the tunnels' keys in plaintext; a planted one is caught", () => {
    expect(needles).to.have.length(4);
    expect(plaintextSecrets(exported, needles)).to.deep.equal([]);
    expect(secretsInText(log, needles)).to.deep.equal([]);
    for (const n of needles) {
      expect(
        plaintextSecrets(withPlanted(exported, n, "base64"), needles),
        n.slice(0, 4),
      ).to.have.length.above(0);
    }
  });

  it("a preview right after up changes nothing", async () => {
    const r = await ws.preview(STACK, { onOutput: onOutput("preview onprem") });
    expect(Object.entries(r.changeSummary).filter(([op, n]) => op !== "same" && n > 0)).to.deep.equal([]);
    expect(r.changeSummary.same).to.be.above(cloudResources(exported).length);
  });

  it("destroy leaves nothing, in the stack or the tenancy", async () => {
    await ws.destroy(STACK, { onOutput: onOutput("destroy onprem") });
    expect((await sandbox.exportStack(STACK)).deployment.resources ?? []).to.deep.equal([]);
    expect(Object.keys(sandbox.tenancy().resources)).to.deep.equal([]);
  });
});
