/**
 * The OCI emulator provider (dev/emulator) without the engine: its diff follows the Terraform
 * provider's ForceNew facts, Check refuses what the OCI model refuses (and waits while inputs are
 * unknown), the tenancy lives in the state file — shared by provider instances and by separate
 * processes writing at once — and a deleted secret's name stays reserved for the next one.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffInputs, emulatorEnvironment, emulatorProvider } from "../../dev/emulator/provider";
import { readState } from "../../dev/emulator/state";
import { generatedFacts } from "../../dev/cli/genProviderFacts";
import { resourceFacts, TERRAFORM_OCI_SOURCE } from "../../dev/oci-model/facts";
import { DEFAULT_MIRROR } from "../../dev/oci-model/facts/generate";
import { factsOf, parseResourceSchema } from "../../dev/oci-model/facts/terraformSchema";
import { wireSecret } from "../../dev/oci-model/wire";

const ROOT = path.resolve(__dirname, "..", "..");
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const urn = (type: string, name: string, stack = "s") => `urn:pulumi:${stack}::p::${type}::${name}`;
const T = {
  vcn: "oci:Core/vcn:Vcn",
  subnet: "oci:Core/subnet:Subnet",
  stream: "oci:Streaming/stream:Stream",
  pool: "oci:Streaming/streamPool:StreamPool",
  secret: "oci:Vault/secret:Secret",
  instance: "oci:Core/instance:Instance",
};

describe("OCI emulator provider", function () {
  this.timeout(60_000);
  let dir: string;
  let env: ReturnType<typeof emulatorEnvironment>;
  const fra = () => emulatorProvider("oci", () => "eu-frankfurt-1", env);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-"));
    env = emulatorEnvironment({ OCI_EMULATOR_STATE: path.join(dir, "tenancy.json") });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("diff: ForceNew from oracle/terraform-provider-oci", () => {
    it("reads the facts from the provider's schemas (stream name, partitions, retention; the pool's private endpoint)", () => {
      expect(TERRAFORM_OCI_SOURCE.commit).to.match(/^[0-9a-f]{40}$/);
      expect(resourceFacts(T.stream).forceNew).to.deep.equal(["name", "partitions", "retentionInHours"]);
      expect(resourceFacts(T.pool).forceNew).to.include("privateEndpointSettings.subnetId");
      expect(resourceFacts(T.subnet).forceNew).to.include.members(["vcnId", "dnsLabel"]);
      expect(resourceFacts(T.instance).forceNew).to.include("createVnicDetails.subnetId");
      expect(
        resourceFacts("oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement").sensitive,
      ).to.deep.equal(["sharedSecret"]);
    });

    it("a changed ForceNew property replaces; another change updates; an omitted Optional+Computed input keeps OCI's value", () => {
      const olds = {
        name: "orders",
        partitions: 6,
        retentionInHours: 168,
        streamPoolId: "p1",
        freeformTags: { a: "1" },
      };
      expect(diffInputs(T.stream, olds, { ...olds, partitions: 12 })).to.deep.equal({
        changed: ["partitions"],
        replaces: ["partitions"],
      });
      expect(diffInputs(T.stream, olds, { ...olds, freeformTags: { a: "2" } })).to.deep.equal({
        changed: ["freeformTags"],
        replaces: [],
      });
      expect(diffInputs(T.stream, olds, { ...olds, retentionInHours: undefined })).to.deep.equal({
        changed: [],
        replaces: [],
      });
      expect(diffInputs(T.stream, olds, { ...olds })).to.deep.equal({ changed: [], replaces: [] });
      // The same value, now marked secret, is no change.
      expect(diffInputs(T.stream, olds, { ...olds, name: wireSecret("orders") }).changed).to.deep.equal([]);
    });

    it("a nested ForceNew path replaces (the pool's subnet); an unknown value in one replaces too", () => {
      const olds = { name: "pool", privateEndpointSettings: { subnetId: "s1", nsgIds: ["n1"] } };
      expect(
        diffInputs(T.pool, olds, { ...olds, privateEndpointSettings: { subnetId: "s2", nsgIds: ["n1"] } })
          .replaces,
      ).to.deep.equal(["privateEndpointSettings"]);
      expect(
        diffInputs(T.pool, olds, { ...olds, privateEndpointSettings: { subnetId: UNKNOWN, nsgIds: ["n1"] } })
          .replaces,
      ).to.deep.equal(["privateEndpointSettings"]);
      const vm = {
        displayName: "mm2",
        createVnicDetails: { subnetId: "s1", displayName: "a" },
        metadata: { user_data: "x" },
      };
      expect(diffInputs(T.instance, vm, { ...vm, metadata: { user_data: "y" } })).to.deep.equal({
        changed: ["metadata"],
        replaces: [],
      });
      expect(
        diffInputs(T.instance, vm, { ...vm, createVnicDetails: { subnetId: "s2", displayName: "a" } })
          .replaces,
      ).to.deep.equal(["createVnicDetails"]);
    });
  });

  describe("check, create, delete over the state file", () => {
    it("check refuses what OCI refuses, naming the property; with unknown inputs it waits for create", async () => {
      const p = fra();
      const bad = { name: "orders", partitions: 1, retentionInHours: 200 };
      const r = await p.check!(urn(T.stream, "s"), {}, bad);
      expect(r.failures).to.have.length(1);
      expect(r.failures![0].property).to.equal("retentionInHours");
      expect(r.failures![0].reason).to.match(/retentionInHours 200 is outside 24\.\.168/);
      expect(
        (await p.check!(urn(T.stream, "s"), {}, { ...bad, streamPoolId: UNKNOWN, retentionInHours: UNKNOWN }))
          .failures,
      ).to.equal(undefined);
      // Check changes nothing in the tenancy.
      expect(fs.existsSync(env.stateFile)).to.equal(false);
    });

    it("answers for its own region: ids, invokes and a refusal without one", async () => {
      const ams = emulatorProvider("oci", () => "eu-amsterdam-1", env);
      const { id } = await ams.create!(urn(T.vcn, "vcn"), {
        compartmentId: "c",
        cidrBlocks: ["10.0.0.0/16"],
      });
      expect(id).to.match(/^ocid1\.vcn\.oc1\.ams\./);
      const services = await ams.invoke!("oci:Core/getServices:getServices", {});
      expect(JSON.stringify(services.outputs)).to.contain("ams");
      const none = emulatorProvider("oci", () => undefined, env);
      let err: unknown;
      await none.create!(urn(T.vcn, "v2"), { cidrBlocks: ["10.1.0.0/16"] }).catch((e: unknown) => (err = e));
      expect(String(err)).to.match(/the oci provider has no region \(set oci:region/);
    });

    it("keeps a deleted secret's name reserved for every later provider instance (another process, another up)", async () => {
      const vault = {
        compartmentId: "c",
        vaultId: "ocid1.vault.oc1.fra.v",
        keyId: "k",
        secretName: "mm2-token",
      };
      const first = await fra().create!(urn(T.secret, "token"), vault);
      await fra().delete!(first.id, urn(T.secret, "token"), first.outs);
      const again = await fra().check!(urn(T.secret, "token-2"), {}, vault);
      expect(again.failures?.[0].reason).to.match(/pending deletion .* keeps its name reserved/);
      const renamed = await fra().check!(
        urn(T.secret, "token-2"),
        {},
        { ...vault, secretName: "mm2-token-2" },
      );
      expect(renamed.failures).to.equal(undefined);
      expect(readState(env.stateFile).model?.reservedSecretNames).to.deep.equal([
        "ocid1.vault.oc1.fra.v|mm2-token",
      ]);
    });

    it("returns Sensitive outputs and outputs of secret inputs as secrets", async () => {
      const p = fra();
      const cpe = await p.create!(urn("oci:Core/cpe:Cpe", "cpe"), {
        compartmentId: "c",
        ipAddress: "198.51.100.1",
      });
      const ipsec = await p.create!(urn("oci:Core/ipsec:Ipsec", "ipsec"), {
        compartmentId: "c",
        cpeId: cpe.id,
        drgId: "d",
        staticRoutes: ["172.16.0.0/16"],
      });
      const tunnel = await p.create!(
        urn("oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement", "t1"),
        { ipsecId: ipsec.id, tunnelId: "t1", sharedSecret: wireSecret("abc123") },
      );
      expect(tunnel.outs.sharedSecret).to.deep.equal(wireSecret("abc123"));
    });

    it("injects a delete failure once the tenancy has logged n deletes (a destroy interrupted halfway)", async () => {
      const failing = emulatorEnvironment({
        OCI_EMULATOR_STATE: env.stateFile,
        OCI_EMULATOR_FAIL_DELETES_AFTER: "1",
      });
      const p = emulatorProvider("oci", () => "eu-frankfurt-1", failing);
      const a = await p.create!(urn(T.vcn, "a"), { cidrBlocks: ["10.0.0.0/16"] });
      const b = await p.create!(urn(T.vcn, "b"), { cidrBlocks: ["10.1.0.0/16"] });
      await p.delete!(a.id, urn(T.vcn, "a"), a.outs);
      let err: unknown;
      await p.delete!(b.id, urn(T.vcn, "b"), b.outs).catch((e: unknown) => (err = e));
      expect(String(err)).to.match(/injected failure deleting oci:Core\/vcn:Vcn 'b'/);
      expect(Object.keys(readState(env.stateFile).resources)).to.deep.equal([b.id]);
      // Deleting what is gone succeeds (Terraform treats OCI's 404 so).
      await fra().delete!(a.id, urn(T.vcn, "a"), a.outs);
    });

    it("serializes writers in separate processes: concurrent creates all land, with distinct addresses", async () => {
      const p = fra();
      const vcn = await p.create!(urn(T.vcn, "vcn"), { compartmentId: "c", cidrBlocks: ["10.0.0.0/16"] });
      const subnet = await p.create!(urn(T.subnet, "sub"), { vcnId: vcn.id, cidrBlock: "10.0.1.0/24" });
      const script = `
        const { emulatorProvider } = require(${JSON.stringify(path.join(ROOT, "dev", "emulator", "provider"))});
        const p = emulatorProvider("oci", () => "eu-frankfurt-1");
        const who = process.argv[1];
        (async () => {
          await Promise.all([...Array(8).keys()].map((i) =>
            p.create("urn:pulumi:s::p::oci:Core/instance:Instance::vm-" + who + "-" + i, {
              compartmentId: "c", availabilityDomain: "AD-1", shape: "VM.Standard.E5.Flex",
              createVnicDetails: { subnetId: ${JSON.stringify(subnet.id)}, assignPublicIp: "false" },
            })));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const child = (who: string) =>
        new Promise<void>((resolve, reject) => {
          const c = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script, who], {
            cwd: ROOT,
            env: { ...process.env, OCI_EMULATOR_STATE: env.stateFile },
            stdio: ["ignore", "inherit", "inherit"],
          });
          c.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`child ${who} exited ${code}`))));
        });
      await Promise.all([child("a"), child("b")]);
      const vms = Object.values(readState(env.stateFile).resources).filter((r) => r.type === T.instance);
      expect(vms).to.have.length(16);
      const ips = vms.map((r) => r.outputs.privateIp);
      expect(new Set(ips).size, `addresses ${ips.join(" ")}`).to.equal(16);
    });
  });
});

describe("provider facts: the Terraform schema reader", () => {
  it("reads ForceNew, Sensitive and Optional+Computed at every depth, past comments, strings and functions", () => {
    const src = `
func ExampleResource() *schema.Resource {
	return &schema.Resource{
		Schema: map[string]*schema.Schema{
			// Required { not a brace that counts
			"name": { Type: schema.TypeString, Required: true, ForceNew: true },
			"client_cidr_block_allow_list": { Type: schema.TypeList, Optional: true, Computed: true, Elem: &schema.Schema{ Type: schema.TypeString } },
			"settings": {
				Type: schema.TypeList, Optional: true, Computed: true, MaxItems: 1,
				Elem: &schema.Resource{
					Schema: map[string]*schema.Schema{
						"subnet_id": { Type: schema.TypeString, Optional: true, ForceNew: true,
							ValidateFunc: func(v interface{}, k string) ([]string, []error) { return nil, nil } },
						"token": { Type: schema.TypeString, Computed: true, Sensitive: true, Description: "a } in a string" },
					},
				},
			},
			"rules": { Type: schema.TypeSet, Optional: true, Elem: &schema.Resource{ Schema: map[string]*schema.Schema{
				"action": { Type: schema.TypeString, Required: true, ForceNew: true },
			} } },
		},
	}
}`;
    expect(factsOf(parseResourceSchema(src, "ExampleResource"))).to.deep.equal({
      forceNew: ["name", "rules[].action", "settings.subnetId"],
      sensitive: ["settings.token"],
      optionalComputed: ["clientCidrBlockAllowLists", "settings"],
    });
  });

  it("the facts file is what the mirror of oracle/terraform-provider-oci gives (when the mirror is on this machine)", async function () {
    this.timeout(120_000);
    const mirror = process.env.TERRAFORM_PROVIDER_OCI_GIT ?? DEFAULT_MIRROR;
    if (!fs.existsSync(mirror)) {
      // The mirror is a development resource, not part of the clone: `npm run gen:provider-facts -- --mirror <git dir>`.
      this.skip();
    }
    const { generated, current, unknownNames } = await generatedFacts(ROOT, mirror);
    expect(unknownNames).to.deep.equal([]);
    expect(generated === current, "run npm run gen:provider-facts").to.equal(true);
  });
});
