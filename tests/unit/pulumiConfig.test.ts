/**
 * Every Pulumi project here (this repo's and each examples/<x>) passes the Pulumi CLI's config
 * validation for every one of its stack files, by the CLI's own rules (dev/settings/pulumiRules.ts,
 * a replica of v3.274.1's): no `pulumi` binary needed. Negative controls prove each rule bites.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  projectProblems,
  readProjectText,
  stackProblems,
  validateConfigValue,
} from "../../dev/settings/pulumiRules";

const ROOT = path.resolve(__dirname, "..", "..");

function projects(): string[] {
  const examples = fs
    .readdirSync(path.join(ROOT, "examples"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(ROOT, "examples", e.name, "Pulumi.yaml")))
    .map((e) => path.join("examples", e.name));
  return [".", ...examples];
}

function stackFiles(dir: string): { stack: string; file: string }[] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .map((f) => ({ f, m: /^Pulumi\.(.+)\.ya?ml$/.exec(f) }))
    .filter((x) => x.m !== null)
    .map((x) => ({ stack: x.m![1], file: path.join(dir, x.f) }));
}

const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

describe("Pulumi config validation (the CLI's rules, without the CLI)", () => {
  it("finds the projects and their stack files (active-active has three, the others 'example')", () => {
    const stacks = Object.fromEntries(
      projects().map((p) => [
        p,
        stackFiles(p)
          .map((s) => s.stack)
          .sort(),
      ]),
    );
    expect(stacks).to.deep.include({
      ".": ["dr", "primary"],
      "examples/active-active": ["dr", "primary", "primary-active"],
      "examples/oci-to-onprem": ["example"],
      "examples/onprem-to-oci": ["example"],
    });
  });

  for (const dir of projects()) {
    describe(dir === "." ? "this repo's project" : dir, () => {
      const project = readProjectText(read(path.join(dir, "Pulumi.yaml")));

      it("declares valid types (array with items) and defaults of the declared type", () => {
        expect(projectProblems(project)).to.deep.equal([]);
      });

      for (const { stack, file } of stackFiles(dir)) {
        it(`stack '${stack}' sets every required key with a value of the declared type`, () => {
          expect(stackProblems(project, stack, read(file))).to.deep.equal([]);
        });
      }
    });
  }

  describe("negative controls: each rule rejects what the CLI rejects", () => {
    const project = (config: string) => readProjectText(`name: p\nruntime: nodejs\nconfig:\n${config}`);

    it("a declared key without default is required, typed or not (the message the CLI prints)", () => {
      const p = project(
        "  a: { type: string }\n  b: { description: untyped }\n  c: { type: integer, default: 1 }",
      );
      expect(stackProblems(p, "s", "config:\n  p:c: 2\n")).to.deep.equal([
        "Stack 's' is missing configuration values 'a' and 'b'",
      ]);
      expect(stackProblems(p, "s", "config:\n  p:a: x\n  b: y\n")).to.deep.equal([]);
    });

    it("the Pulumi.yaml this repo had (optional keys declared without default) fails as the CLI failed", () => {
      const before = readProjectText(read("tests/fixtures/pulumi-config-before/Pulumi.yaml"));
      expect(projectProblems(before)).to.deep.equal([]);
      // What `pulumi preview -s primary` (v3.274.1) printed for it, word for word.
      expect(stackProblems(before, "primary", read("Pulumi.primary.yaml"))).to.deep.equal([
        "Stack 'primary' is missing configuration values 'autoCreateTopics', 'bastionClientCidrs', 'existingStreamPoolId', 'externalKafka', 'externalKafkaClientKeyPassword', 'externalKafkaClientKeyPem', 'externalKafkaPassword', 'fastConnectVirtualCircuitId', 'groupsExclude', 'groupsInclude', 'homeRegion', 'ipsecCpeIpAddress', 'ipsecIkeVersion', 'kafkaDownloadBaseUrl', 'kafkaDownloadCidr', 'kmsKeyId', 'mm2AuthToken', 'mm2FleetSize', 'mm2ImageId', 'mm2MemoryGbs', 'mm2Ocpus', 'mm2Shape', 'mm2UserName', 'ociConfigProfile', 'onPremCidrs', 'partitionQuota', 'peerStack', 'primaryStack', 'replicationEnabled', 'replicationFlow', 'replicationPolicy', 'tasksMax', 'tenancyId', 'tenancyName', 'topicsExclude', 'topicsInclude', 'vaultId' and 'vaultKeyId'",
      ]);
    });

    it("an array needs items; a type must be one Pulumi knows; a default must match its type", () => {
      expect(projectProblems(project("  a: { type: array }"))).to.have.length(1);
      expect(projectProblems(project("  a: { type: array, items: { type: array } }"))).to.have.length(1);
      expect(projectProblems(project("  a: { type: number }"))).to.have.length(1);
      expect(projectProblems(project("  a: { type: string, default: 2 }"))).to.deep.equal([
        "The default value specified for configuration key 'a' is not of the expected type 'string'",
      ]);
      expect(
        projectProblems(project("  a: { type: array, items: { type: string }, default: [1] }")),
      ).to.have.length(1);
      expect(projectProblems(project("  oci:region: { type: string }"))).to.have.length(2);
      expect(projectProblems(project('  a: { type: integer, default: "2" }'))).to.deep.equal([]);
    });

    it("stack values are checked against the declared type, secrets must be encrypted", () => {
      const p = project(
        [
          "  n: { type: integer }",
          "  b: { type: boolean }",
          "  l: { type: array, items: { type: string } }",
          "  o: { type: object }",
          "  k: { type: string, secret: true }",
        ].join("\n"),
      );
      const ok = "config:\n  p:n: 3\n  p:b: true\n  p:l: [x]\n  p:o: { a: 1 }\n  p:k: { secure: AAAB }\n";
      expect(stackProblems(p, "s", ok)).to.deep.equal([]);
      const bad = "config:\n  p:n: two\n  p:b: yes\n  p:l: [1]\n  p:o: text\n  p:k: plain\n";
      expect(stackProblems(p, "s", bad)).to.deep.equal([
        "Stack 's' with configuration key 'b' must be of type 'boolean'",
        "Stack 's' with configuration key 'k' must be encrypted as it's secret",
        "Stack 's' with configuration key 'l' must be of type 'array<string>'",
        "Stack 's' with configuration key 'n' must be of type 'integer'",
        "Stack 's' with configuration key 'o' must be of type 'object'",
      ]);
    });

    it("replicates ValidateConfigValue (a scalar reaches it as text: '2' is an integer and a string)", () => {
      expect(validateConfigValue("integer", undefined, "2")).to.equal(true);
      expect(validateConfigValue("integer", undefined, "2.5")).to.equal(false);
      expect(validateConfigValue("integer", undefined, 2)).to.equal(true);
      expect(validateConfigValue("string", undefined, 2)).to.equal(false);
      expect(validateConfigValue("boolean", undefined, "True")).to.equal(false);
      expect(validateConfigValue("array", { type: "object" }, [{ a: 1 }])).to.equal(true);
      expect(validateConfigValue("array", undefined, [])).to.equal(false);
    });
  });
});
