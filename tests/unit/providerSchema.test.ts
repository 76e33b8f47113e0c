/**
 * The multi-language component's schema and construct inputs, without an engine: the checked-in
 * lib/provider/schema.json is what the TypeScript types generate (dev/schema) and what the
 * provider serves; every argument is documented; the schema's forms (enums, the credentials
 * object, arrays for tuples) map back to the TypeScript arguments, refusing what the union would.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { generateSchema, schemaText, SCHEMA_FILE } from "../../dev/schema/generate";
import { ValidationError } from "../../lib/core/errors";
import { argsFromInputs, CREDENTIALS_FIELDS, SchemaLike } from "../../lib/provider/inputs";
import { componentOptions, componentProvider } from "../../lib/provider/provider";

const ROOT = path.resolve(__dirname, "..", "..");
const TOKEN = "oci-geo-streaming:index:GeoReplicatedStream";
const checkedIn = () => fs.readFileSync(path.join(ROOT, SCHEMA_FILE), "utf8");
const schema = () => JSON.parse(checkedIn()) as SchemaLike & Record<string, unknown>;
type Json = Record<string, unknown>;

async function refusal(p: Promise<unknown>): Promise<ValidationError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

/** An unknown Output, as a preview hands one for a resource not created yet. */
function unknownOutput(): pulumi.Output<string> {
  return new (pulumi.Output as unknown as new (...a: unknown[]) => pulumi.Output<string>)(
    new Set(),
    Promise.resolve(undefined),
    Promise.resolve(false),
    Promise.resolve(false),
    Promise.resolve(new Set()),
  );
}

const base = {
  role: "dr",
  region: "eu-amsterdam-1",
  compartmentId: "ocid1.compartment.oc1..aaaa",
  network: { vcnCidr: "10.20.0.0/16" },
};

describe("provider schema: generated from the TypeScript types, served by the plugin", function () {
  this.timeout(180_000);

  it("the checked-in schema is what the types generate (run npm run gen:schema after changing them)", async () => {
    const file = path.join(ROOT, SCHEMA_FILE);
    expect(await schemaText(generateSchema({ root: ROOT }), file)).to.equal(checkedIn());
  });

  it("the provider serves exactly the checked-in schema, versioned as the package", () => {
    const p = componentProvider();
    expect(JSON.parse(p.schema!)).to.deep.equal(schema());
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(p.version).to.equal(pkg.version);
    expect(schema().version).to.equal(pkg.version);
  });

  it("documents every argument, at every depth, and every output", () => {
    const s = schema();
    const undocumented: string[] = [];
    const walk = (props: Record<string, Json>, where: string) => {
      for (const [k, v] of Object.entries(props)) if (!v.description) undocumented.push(`${where}.${k}`);
    };
    walk(s.resources[TOKEN].inputProperties, "inputs");
    walk((s.resources[TOKEN] as unknown as { properties: Record<string, Json> }).properties, "outputs");
    for (const [t, v] of Object.entries(s.types)) walk((v.properties as Record<string, Json>) ?? {}, t);
    expect(undocumented).to.deep.equal([]);
  });

  it("gives the unions schema forms: enums, one credentials object, arrays; the provider by reference", () => {
    const t = schema().types;
    const enumValues = (name: string) =>
      (t[`oci-geo-streaming:index:${name}`].enum as { value: string }[]).map((e) => e.value);
    expect(enumValues("Role")).to.deep.equal(["primary", "dr"]);
    expect(enumValues("ReplicationFlow")).to.deep.equal([
      "peer-to-local",
      "external-to-local",
      "local-to-external",
    ]);
    expect(enumValues("ReplicationPolicy")).to.deep.equal(["prefixed", "identity"]);
    expect(enumValues("CredentialsMode")).to.deep.equal(["create", "existing"]);
    const creds = t["oci-geo-streaming:index:CredentialsArgs"] as {
      properties: Record<string, Json>;
      required: string[];
    };
    expect(Object.keys(creds.properties).sort()).to.deep.equal([
      "authToken",
      "domain",
      "email",
      "mode",
      "userName",
    ]);
    expect(creds.required).to.deep.equal(["mode"]);
    expect(creds.properties.authToken.secret).to.equal(true);
    const ipsec = (t["oci-geo-streaming:index:IpsecArgs"] as { properties: Record<string, Json> }).properties;
    expect(ipsec.sharedSecrets).to.include({ type: "array", plain: true });
    const repl = (t["oci-geo-streaming:index:ReplicationArgs"] as { properties: Record<string, Json> })
      .properties;
    expect(repl.homeRegionProvider.$ref).to.equal("/oci/v4.20.0/schema.json#/provider");
    // What the component validates before registering anything is plain; ids may be outputs.
    const inputs = schema().resources[TOKEN].inputProperties;
    expect(inputs.role.plain).to.equal(true);
    expect(inputs.compartmentId.plain).to.equal(undefined);
  });

  it("lists each credentials mode's fields as the TypeScript union has them (the compiler checks the list)", () => {
    expect(CREDENTIALS_FIELDS).to.deep.equal({
      create: ["userName", "email"],
      existing: ["userName", "domain", "authToken"],
    });
  });
});

describe("provider construct inputs: the schema's forms back to GeoReplicatedStreamArgs", () => {
  it("passes literal values through, and rebuilds the credentials union", async () => {
    const token = pulumi.secret("tok");
    const args = await argsFromInputs(
      {
        ...base,
        replication: {
          tenancyId: "ocid1.tenancy.oc1..x",
          credentials: { mode: "existing", userName: "mm2", authToken: token },
        },
      },
      schema(),
      TOKEN,
    );
    expect(args.role).to.equal("dr");
    expect(args.network).to.deep.equal({ vcnCidr: "10.20.0.0/16" });
    expect(args.replication?.credentials).to.deep.include({ mode: "existing", userName: "mm2" });
  });

  it("takes a known Output for a plain value (a YAML reference), and refuses an unknown one naming the field", async () => {
    const args = await argsFromInputs({ ...base, region: pulumi.output("eu-amsterdam-1") }, schema(), TOKEN);
    expect(args.region).to.equal("eu-amsterdam-1");
    const e = await refusal(
      argsFromInputs({ ...base, network: { vcnCidr: unknownOutput() } }, schema(), TOKEN),
    );
    expect(e.field).to.equal("network.vcnCidr");
    expect(e.message).to.match(/must be known when the program runs/);
  });

  it("refuses a secret for a plain value (it would be kept in the clear), but keeps a secret object's inputs secret", async () => {
    const e = await refusal(
      argsFromInputs({ ...base, region: pulumi.secret("eu-amsterdam-1") }, schema(), TOKEN),
    );
    expect(e.field).to.equal("region");
    expect(e.message).to.match(/is a secret, but this argument is kept in the clear/);
    const args = await argsFromInputs(
      {
        ...base,
        replication: pulumi.secret({
          tenancyId: "ocid1.tenancy.oc1..x",
          credentials: { mode: "existing", userName: "mm2", authToken: "tok" },
        }),
      },
      schema(),
      TOKEN,
    );
    const creds = args.replication!.credentials as unknown as {
      authToken: pulumi.Output<string>;
      userName: string;
    };
    expect(creds.userName).to.equal("mm2");
    expect(pulumi.Output.isInstance(creds.authToken)).to.equal(true);
    expect(await pulumi.isSecret(creds.authToken)).to.equal(true);
    expect(await pulumi.isSecret(args.replication!.tenancyId as pulumi.Output<string>)).to.equal(true);
  });

  it("refuses a field of the other credentials mode, a wrong number of pre-shared keys, an unknown argument", async () => {
    let e = await refusal(
      argsFromInputs(
        {
          ...base,
          replication: { tenancyId: "t", credentials: { mode: "create", authToken: pulumi.secret("x") } },
        },
        schema(),
        TOKEN,
      ),
    );
    expect(e.field).to.equal("replication.credentials.authToken");
    expect(e.message).to.match(/belongs to mode "existing", but mode is "create"/);
    e = await refusal(
      argsFromInputs(
        {
          ...base,
          onPremises: {
            cidrs: ["172.16.0.0/16"],
            ipsec: { cpeIpAddress: "198.51.100.1", sharedSecrets: ["a"] },
          },
        },
        schema(),
        TOKEN,
      ),
    );
    expect(e.field).to.equal("onPremises.ipsec.sharedSecrets");
    e = await refusal(
      argsFromInputs({ ...base, network: { vcnCidr: "10.0.0.0/16", vcn: "x" } }, schema(), TOKEN),
    );
    expect(e.field).to.equal("network.vcn");
    e = await refusal(argsFromInputs({ ...base, bogus: 1 }, schema(), TOKEN));
    expect(e.field).to.equal("bogus");
  });
});

describe("provider construct options: the program's provider reaches the component as opts.provider", () => {
  // Stand-ins: componentOptions only moves references, it never looks inside them.
  const fra = { name: "fra" } as unknown as pulumi.ProviderResource;
  const other = { name: "other" } as unknown as pulumi.ProviderResource;
  const cases: { name: string; options: pulumi.ComponentResourceOptions; provider: unknown }[] = [
    {
      name: "YAML's provider: arrives as providers.oci",
      options: { providers: { oci: fra } },
      provider: fra,
    },
    {
      name: "an explicit provider is kept",
      options: { provider: other, providers: { oci: fra } },
      provider: other,
    },
    {
      name: "no oci entry: none (the component refuses it)",
      options: { providers: { random: fra } },
      provider: undefined,
    },
    { name: "no providers at all: none", options: {}, provider: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(componentOptions(c.options).provider).to.equal(c.provider);
    });
  }
});
