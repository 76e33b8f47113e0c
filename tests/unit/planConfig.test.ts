import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  isKnownRegion,
  OCI_REGION_PATTERN,
  OCI_REGIONS,
  regionFromKey,
  regionKey,
} from "../../lib/core/oci/regions";
import { makeOcid, parseOcid } from "../../dev/oci-model/ocid";
import { listStacks, readProject, readStackConfig, secureStandIn } from "../../dev/plan/stackConfig";
import { fromWire, maskWire, secretPathsOf, wireSecret } from "../../dev/oci-model/wire";

const FIXTURE = path.join(__dirname, "..", "fixtures", "plan-project");

describe("plan: OCI regions table", () => {
  for (const [name, key] of [
    ["eu-frankfurt-1", "fra"],
    ["eu-amsterdam-1", "ams"],
    ["us-ashburn-1", "iad"],
    ["us-phoenix-1", "phx"],
    ["uk-london-1", "lhr"],
    ["ap-tokyo-1", "nrt"],
    ["sa-saopaulo-1", "gru"],
  ]) {
    it(`${name} has key ${key}`, () => {
      expect(regionKey(name)).to.equal(key);
      expect(regionFromKey(key.toUpperCase())).to.equal(name);
    });
  }

  it("lists every commercial region once, with distinct three-letter keys", () => {
    expect(OCI_REGIONS.length).to.be.greaterThan(40);
    const keys = OCI_REGIONS.map(regionKey);
    expect(new Set(keys).size).to.equal(keys.length);
    for (const k of keys) {
      expect(k).to.match(/^[a-z]{3}$/);
    }
    for (const r of OCI_REGIONS) {
      expect(r).to.match(OCI_REGION_PATTERN);
    }
  });

  it("tells known regions from merely well-formed ones", () => {
    expect(isKnownRegion("eu-frankfurt-1")).to.equal(true);
    expect(isKnownRegion("eu-atlantis-1")).to.equal(false);
    expect(OCI_REGION_PATTERN.test("eu-atlantis-1")).to.equal(true);
    expect(OCI_REGION_PATTERN.test("us-gov-ashburn-1")).to.equal(true);
    for (const bad of [
      "fra",
      "EU-FRANKFURT-1",
      "eu_frankfurt_1",
      "eu-frankfurt",
      "eu-frankfurt-0",
      " eu-frankfurt-1",
    ]) {
      expect(OCI_REGION_PATTERN.test(bad), bad).to.equal(false);
    }
    expect(() => regionKey("eu-atlantis-1")).to.throw(
      /unknown OCI region 'eu-atlantis-1': it is not a known commercial/,
    );
    expect(() => regionKey("FRA")).to.throw(/looks like eu-frankfurt-1/);
  });
});

describe("plan: OCIDs", () => {
  it("builds ocid1.<kind>.oc1.<key>.<60 base32 chars>, deterministic per seed", () => {
    const a = makeOcid("vcn", "eu-frankfurt-1", "seed");
    expect(a).to.match(/^ocid1\.vcn\.oc1\.fra\.aaaaaaaa[a-z2-7]{52}$/);
    expect(makeOcid("vcn", "eu-frankfurt-1", "seed")).to.equal(a);
    expect(makeOcid("vcn", "eu-frankfurt-1", "other")).to.not.equal(a);
    expect(makeOcid("policy", "eu-frankfurt-1", "seed")).to.match(/^ocid1\.policy\.oc1\.\.aaaaaaaa/);
  });

  it("parses OCIDs back, resolving region keys and full region names", () => {
    expect(parseOcid(makeOcid("stream", "eu-amsterdam-1", "s"))).to.include({
      kind: "stream",
      region: "eu-amsterdam-1",
    });
    expect(parseOcid("ocid1.stream.oc1.eu-frankfurt-1.amaaaaaauevftmqa")).to.include({
      region: "eu-frankfurt-1",
    });
    expect(parseOcid("ocid1.tenancy.oc1..aaaaaaaaxyz")).to.include({ kind: "tenancy", region: undefined });
    expect(parseOcid("not-an-ocid")).to.equal(undefined);
  });
});

describe("plan: wire-form secrets", () => {
  const sig = pulumi.runtime.specialSigKey;
  const wire = {
    name: "pool",
    tags: { owner: "team", token: wireSecret("t0ken") },
    list: [1, wireSecret({ deep: "x" })],
    ref: {
      [sig]: pulumi.runtime.specialResourceSig,
      urn: "urn:pulumi:s::p::t::n",
      id: "ocid1.vcn.oc1.fra.x",
    },
    later: pulumi.runtime.unknownValue,
    plain: "uses [secure config p:key] inline",
  };

  it("masks every secret, however deep, and nothing else", () => {
    expect(maskWire(wire, [secureStandIn("p:key")])).to.deep.equal({
      name: "pool",
      tags: { owner: "team", token: "[secret]" },
      list: [1, "[secret]"],
      ref: "ocid1.vcn.oc1.fra.x",
      later: "[unknown]",
      plain: "[secret]",
    });
  });

  it("unwraps secrets and reports their paths", () => {
    expect(fromWire(wire)).to.deep.include({
      tags: { owner: "team", token: "t0ken" },
      list: [1, { deep: "x" }],
    });
    expect(secretPathsOf(wire)).to.deep.equal(["tags.token", "list.1"]);
  });
});

describe("plan: stack configuration without the Pulumi CLI", () => {
  it("reads the project: name, main, stacks", () => {
    const project = readProject(FIXTURE);
    expect(project.name).to.equal("plan-fixture");
    expect(project.main).to.equal(path.join(FIXTURE, "program.ts"));
    expect(listStacks(project)).to.deep.equal(["dr", "primary"]);
  });

  it("flattens stack config to strings, namespaces keys, applies project defaults", () => {
    const cfg = readStackConfig(readProject(FIXTURE), "primary");
    expect(cfg.config).to.include({
      "oci:region": "eu-frankfurt-1",
      "plan-fixture:role": "primary",
      "plan-fixture:vcnCidr": "10.10.0.0/16",
      "plan-fixture:compartmentId": "ocid1.compartment.oc1..aaaaaaaafixturecompartment",
    });
    expect(JSON.parse(cfg.config["plan-fixture:streams"])).to.deep.equal([
      { name: "orders", partitions: 3 },
      { name: "payments", partitions: 2 },
    ]);
    const dr = readStackConfig(readProject(FIXTURE), "dr");
    expect(dr.config["plan-fixture:role"]).to.equal("dr");
  });

  it("replaces secure values by a stand-in marked secret; the ciphertext never reaches the program", () => {
    const cfg = readStackConfig(readProject(FIXTURE), "primary");
    expect(cfg.config["plan-fixture:apiToken"]).to.equal("[secure config plan-fixture:apiToken]");
    expect(cfg.secretKeys).to.deep.equal(["plan-fixture:apiToken"]);
    expect(cfg.secretStrings).to.deep.equal(["[secure config plan-fixture:apiToken]"]);
    expect(JSON.stringify(cfg)).to.not.contain("v1:");
  });

  it("handles nested secure values, literal project values and numbers", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-config-"));
    try {
      fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: p\nruntime: nodejs\nconfig:\n  literal: fixed\n  p:typed:\n    type: integer\n    default: 3\n",
      );
      fs.writeFileSync(
        path.join(dir, "Pulumi.s.yaml"),
        "config:\n  p:port: 9092\n  p:enabled: true\n  p:typed: 5\n  p:db:\n    user: admin\n    password:\n      secure: v1:abc\n",
      );
      const cfg = readStackConfig(readProject(dir), "s");
      expect(cfg.config).to.include({
        "p:literal": "fixed",
        "p:port": "9092",
        "p:enabled": "true",
        "p:typed": "5",
      });
      expect(JSON.parse(cfg.config["p:db"])).to.deep.equal({
        user: "admin",
        password: "[secure config p:db.password]",
      });
      expect(cfg.secretKeys).to.deep.equal(["p:db"]);
      expect(() => readStackConfig(readProject(dir), "missing")).to.throw(/no stack settings for 'missing'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
