/**
 * Successive deployments against one modelled tenancy (OciMocks.nextDeployment): what OCI keeps of
 * a deleted resource decides whether the next `pulumi up` works. A deleted Vault secret keeps its
 * name reserved in its vault while it is pending deletion (terraform-provider-oci #1765), and
 * failback turns a replication layer off and on again.
 */
import { expect } from "chai";
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { GeoReplicatedStream } from "../../lib/components/geoReplicatedStream";
import { MM2_EMAIL, validDr } from "../support/cases";
import { byType, mocks, registrationErrors, settle } from "../support/mockRuntime";

const VAULT = "ocid1.vault.oc1.ams.amaaaaaagivenvault";
const KEY = "ocid1.key.oc1.ams.amaaaaaagivenkey";

function dr(enabled: boolean) {
  const args = validDr();
  args.peer = {
    ...args.peer!,
    streamPoolId: "ocid1.streampool.oc1.fra.amaaaaaapeerpool",
    bootstrapServers: "peer.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    streams: [{ name: "orders", partitions: 6 }],
  };
  args.replication = {
    enabled,
    tenancyId: "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja",
    homeRegionProvider: new oci.Provider("home", { region: "eu-frankfurt-1" }),
    credentials: { mode: "create", email: MM2_EMAIL },
    // A given vault: its secrets' names outlive the layer that created them.
    vault: { vaultId: VAULT, keyId: KEY },
  };
  return args;
}

async function deploy(enabled: boolean): Promise<string[]> {
  new GeoReplicatedStream("geo-dr", dr(enabled), {
    provider: new oci.Provider("ams", { region: "eu-amsterdam-1" }),
  });
  await settle();
  return byType("oci:Vault/secret:Secret").map((s) => String(s.inputs.secretName));
}

describe("redeploying against the same tenancy (mock engine with deployment memory)", () => {
  it("control: the model refuses a secret whose name a deleted secret still reserves", async () => {
    const secret = () =>
      new oci.vault.Secret(
        "s",
        {
          compartmentId: "ocid1.compartment.oc1..aaaa",
          vaultId: VAULT,
          keyId: KEY,
          secretName: "fixed-name",
          secretContent: { contentType: "BASE64", content: pulumi.secret("eA==") },
        },
        { provider: new oci.Provider("ams", { region: "eu-amsterdam-1" }) },
      );
    secret();
    await settle();
    mocks.nextDeployment(); // the next run declares nothing: the secret is deleted
    await settle();
    mocks.nextDeployment();
    const errors = await registrationErrors(secret);
    expect(errors.join("\n")).to.match(/name already exists .* pending deletion in vault/);
  });

  it("replication off then on again re-creates every secret under a new name, which OCI accepts", async () => {
    const first = await deploy(true);
    expect(first.length).to.be.greaterThan(0);
    mocks.nextDeployment();
    expect(await deploy(false)).to.deep.equal([]); // the layer and its secrets are deleted
    mocks.nextDeployment();
    const again = await deploy(true);
    expect(again).to.have.length(first.length);
    for (const name of again) {
      expect(first, name).to.not.include(name);
    }
    // Same shape, new suffix: <layer>-auth-token-<6 hex>.
    expect(again.map((n) => n.replace(/-[0-9a-f]{6}$/, ""))).to.deep.equal(
      first.map((n) => n.replace(/-[0-9a-f]{6}$/, "")),
    );
  });

  it("an update that keeps the layer keeps its secrets' names (no needless replacement)", async () => {
    const first = await deploy(true);
    mocks.nextDeployment();
    expect(await deploy(true)).to.deep.equal(first);
  });
});
