/**
 * The settings table (lib/core/config/settings.ts) is the one source: what it generates matches the
 * files (Pulumi.yaml, examples/active-active/Pulumi.yaml, docs/reference/configuration.md), the
 * component's JSDoc defaults say what the table says, the stack files use each key in the stacks the
 * table names, and config is read through it with types checked. Each check has a negative control.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  defaultText,
  formatValue,
  parseSettingValue,
  PROGRAM_CONFIG_KEYS,
  readStackSettings,
  settingOf,
  SETTINGS,
  StackConfigReader,
} from "../../lib/core/config/settings";
import { ValidationError } from "../../lib/core/errors";
import { Definition, DEFINITIONS } from "../../lib/core/config/arguments";
import {
  CONFIG_REFERENCE_FILE,
  generatedFiles,
  isDeclared,
  REFERENCE_BEGIN,
  REFERENCE_END,
  renderPulumiYaml,
  renderReferenceTable,
  replaceBetween,
} from "../../dev/settings/generate";
import { ArgPathError, argDocs } from "../support/argsJsdoc";
import { main as genSettings } from "../../dev/cli/genSettings";
import { UsageError } from "../../lib/ops/cli/args";

const ROOT = path.resolve(__dirname, "..", "..");
const NS = "oci-geo-streaming";
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");

function reader(values: Record<string, string>): StackConfigReader {
  return {
    get: (k) => values[k],
    getSecret: (k) => (values[k] !== undefined ? ({ secret: k } as never) : undefined),
  };
}

/** The first line where two texts differ, or undefined when they are equal. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split("\n");
  const e = expected.split("\n");
  const i = a.findIndex((line, n) => line !== e[n]);
  const n = i < 0 ? a.length : i;
  return `line ${n + 1}: is ${JSON.stringify(a[n])}, generated ${JSON.stringify(e[n])}`;
}

function thrown(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("settings: the one table", () => {
  describe("generated files", () => {
    for (const f of generatedFiles(ROOT)) {
      it(`${f.file} is what the table generates (npm run gen:settings)`, () => {
        expect(
          firstDifference(f.current, f.generated),
          `${f.file} has drifted: run npm run gen:settings`,
        ).to.equal(undefined);
      });
    }

    it("negative control: an edited Pulumi.yaml config section or config reference row is drift", () => {
      const yaml = read("Pulumi.yaml");
      const edited = yaml.replace("default: 200", "default: 100");
      expect(edited).to.not.equal(yaml);
      expect(firstDifference(edited, renderPulumiYaml(edited))).to.match(/default: 100/);
      const reference = read(CONFIG_REFERENCE_FILE);
      const tampered = reference.replace(
        "| `fleetSize` | integer | with `tenancyId` | `2` |",
        "| `fleetSize` | integer | with `tenancyId` | `3` |",
      );
      expect(tampered).to.not.equal(reference);
      expect(
        firstDifference(
          tampered,
          replaceBetween(tampered, REFERENCE_BEGIN, REFERENCE_END, renderReferenceTable()),
        ),
      ).to.match(/`3`/);
    });

    it("npm run gen:settings -- --check reports no drift; a bad flag is a usage error", () => {
      expect(genSettings(["--check"], ROOT)).to.equal(0);
      expect(() => genSettings(["--bogus"], ROOT)).to.throw(UsageError, /unknown option --bogus/);
    });

    it("Pulumi.yaml declares exactly the required settings and those with a static default", () => {
      const config = (parse(read("Pulumi.yaml")) as { config: Record<string, { default?: unknown }> }).config;
      const declared = SETTINGS.filter(isDeclared);
      expect(Object.keys(config)).to.deep.equal(declared.map((s) => s.key));
      for (const s of declared) expect(config[s.key].default, s.key).to.deep.equal(s.default);
      // The reference lists every setting, declared or not.
      for (const s of SETTINGS)
        expect(read(CONFIG_REFERENCE_FILE)).to.contain(
          `| \`${s.namespace ? `${s.namespace}:` : ""}${s.key}\``,
        );
    });
  });

  describe("the table itself", () => {
    it("has unique keys; required settings have no default; static defaults pass their own type check", () => {
      const keys = SETTINGS.map((s) => `${s.namespace ?? NS}:${s.key}`);
      expect(new Set(keys).size).to.equal(keys.length);
      for (const s of SETTINGS) {
        if (s.required) expect(s.default, s.key).to.equal(undefined);
        if (s.oneOf) expect(s.type, s.key).to.equal("string");
        if (s.default !== undefined) {
          expect(parseSettingValue(s, formatValue(s.default), NS), s.key).to.deep.equal(s.default);
          // A gloss on a static default may add to it, never contradict it.
          if (s.defaultDoc !== undefined && s.type !== "object[]")
            expect(s.defaultDoc, s.key).to.match(
              new RegExp(`^${formatValue(s.default).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
            );
        }
      }
    });

    it("is the Automation API's key list", () => {
      expect([...PROGRAM_CONFIG_KEYS]).to.deep.equal(SETTINGS.filter((s) => !s.namespace).map((s) => s.key));
    });

    it("names the stacks each key is used in: this repo's stack files agree", () => {
      const keysOf = (stack: string) =>
        Object.keys((parse(read(`Pulumi.${stack}.yaml`)) as { config: Record<string, unknown> }).config);
      const wrong = (stack: string, not: string) =>
        keysOf(stack).filter((k) => {
          const s = settingOf(k.startsWith(`${NS}:`) ? k.slice(NS.length + 1) : k);
          return s === undefined || s.stacks === not;
        });
      expect(wrong("primary", "dr")).to.deep.equal([]);
      expect(wrong("dr", "primary")).to.deep.equal([]);
      // Control: a primary-only key found in the dr file would be flagged.
      expect(settingOf("peerRegion")?.stacks).to.equal("primary");
    });
  });

  describe("the component's JSDoc defaults (lib/core/config/args.ts) say what the table says", () => {
    const docs = argDocs(read("lib/core/config/args.ts"));
    /**
     * The JSDoc default of an argument; for one the table gives a default but whose JSDoc has none,
     * that of the nearest object above it (`vaultId`: `replication.vault` says what happens without).
     */
    const jsdocDefault = (d: Definition): string | undefined => {
      const parts = d.arg!.replace(/\[\]/g, "[0]").split(".");
      const own = docs(parts.join(".")).defaultText;
      if (own !== undefined || defaultText(d) === undefined) return own;
      for (let n = parts.length - 1; n > 0; n--) {
        const text = docs(parts.slice(0, n).join(".")).defaultText;
        if (text !== undefined) return text;
      }
      return undefined;
    };
    for (const d of DEFINITIONS.filter((x) => x.arg !== undefined && x.mapping !== "hand")) {
      it(`${d.key ?? "(argument)"} -> ${d.arg}`, () => {
        expect(jsdocDefault(d), `JSDoc of ${d.arg} vs the table's default`).to.equal(defaultText(d));
      });
    }

    it("negative control: a drifted Default: or a missing argument is caught", () => {
      const drifted = argDocs(
        read("lib/core/config/args.ts").replace(
          "Number of MM2 instances, spread over fault domains. Default: 2.",
          "Number of MM2 instances. Default: 3.",
        ),
      );
      expect(drifted("replication.fleet.size").defaultText).to.equal("3");
      expect(drifted("replication.fleet.size").defaultText).to.not.equal(
        defaultText(settingOf("fleetSize")!),
      );
      expect(() => docs("replication.fleet.cores")).to.throw(ArgPathError, /no property 'cores'/);
      // Through a union type alias and an inline type literal too.
      expect(docs("replication.credentials.userName").defaultText).to.match(/replication-credentials-user/);
    });
  });

  describe("readStackSettings: typed reads, defaults applied, a wrong type refused naming the key and the fix", () => {
    const base = { role: "dr", compartmentId: "ocid1.compartment.oc1..x", vcnCidr: "10.0.0.0/16" };

    it("reads each type and applies the static defaults", () => {
      const s = readStackSettings(
        reader({
          ...base,
          fleetOcpus: "4",
          autoCreateTopics: "true",
          bastionClientCidrs: '["10.1.0.0/24"]',
          externalKafka: '{"alias":"x"}',
          credentialsAuthToken: "t",
        }),
        NS,
      );
      expect(s.role).to.equal("dr");
      expect(s.fleetOcpus).to.equal(4);
      expect(s.autoCreateTopics).to.equal(true);
      expect(s.bastionClientCidrs).to.deep.equal(["10.1.0.0/24"]);
      expect(s.externalKafka).to.deep.equal({ alias: "x" });
      expect(s.credentialsAuthToken).to.deep.equal({ secret: "credentialsAuthToken" });
      expect(s.fleetSize).to.equal(2);
      expect(s.partitionQuota).to.equal(200);
      expect(s.streams).to.deep.equal([]);
      expect(s.groupsInclude).to.deep.equal([".*"]);
      expect(s.tasksMax).to.equal(undefined);
      expect(s.autoCreateTopics === undefined || typeof s.autoCreateTopics === "boolean").to.equal(true);
    });

    const cases: [string, Record<string, string>, string, RegExp][] = [
      [
        "an integer",
        { fleetSize: "two" },
        "fleetSize",
        /"two" is not a whole number\. .*pulumi config set oci-geo-streaming:fleetSize/,
      ],
      ["a minimum", { fleetSize: "0" }, "fleetSize", /is not at least 1/],
      ["a boolean", { replicationEnabled: "yes" }, "replicationEnabled", /"yes" is not true or false/],
      ["allowed values", { role: "standby" }, "role", /"standby" is not one of primary, dr/],
      [
        "a list",
        { bastionClientCidrs: "10.0.0.0/24" },
        "bastionClientCidrs",
        /is not a list\. Write it as a YAML list of strings/,
      ],
      ["list items", { bastionClientCidrs: "[1]" }, "bastionClientCidrs[0]", /1 is not a string/],
      ["an object", { externalKafka: "[]" }, "externalKafka", /is not an object/],
    ];
    for (const [what, values, field, message] of cases) {
      it(`refuses a value that is not ${what}`, () => {
        const e = thrown(() => readStackSettings(reader({ ...base, ...values }), NS));
        expect(e.field).to.equal(field);
        expect(e.message).to.match(message);
      });
    }
  });
});
