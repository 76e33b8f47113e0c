/**
 * The argument table (lib/core/config/arguments.ts) is the one definition: the runtime type table,
 * the settings, DEFAULTS, the stack program's mapping and the Automation API's keys all agree with
 * it, entry by entry. Each check has a negative control: a drifted artefact fails it.
 */
import { expect } from "chai";
import { ARG_TYPES, checkArgBounds } from "../../lib/core/config/argTypes";
import {
  automationKeys,
  DEFAULTS,
  Definition,
  DEFINITIONS,
  leafOf,
  nameOf,
} from "../../lib/core/config/arguments";
import {
  PROGRAM_CONFIG_KEYS,
  readStackSettings,
  SETTINGS,
  StackConfigReader,
} from "../../lib/core/config/settings";
import { ValidationError } from "../../lib/core/errors";
import { applySettings } from "../../lib/program/stackProgram";
import { stackConfigFor } from "../../lib/program/automation/pairConfig";
import { repoPair } from "./automationFixtures";

const NS = "oci-geo-streaming";

type Kind = string | { object: Record<string, Kind> } | { list: Record<string, Kind> };

/** The kind ARG_TYPES gives a table path (`streams[].partitions`), or undefined. */
function kindAt(shape: Record<string, Kind>, path: string): Kind | undefined {
  let node: Record<string, Kind> = shape;
  const parts = path.split(".");
  for (const [i, part] of parts.entries()) {
    const kind = node[part.replace(/\[\]$/, "")];
    if (i === parts.length - 1 || kind === undefined) return kind;
    if (typeof kind !== "object") return undefined;
    node = "object" in kind ? kind.object : kind.list;
  }
  return undefined;
}

/** The runtime kind an entry's type must become. */
const EXPECTED: Record<string, string> = {
  string: "string",
  integer: "number",
  number: "number",
  boolean: "boolean",
  input: "input",
  "string[]": "string[]",
  "number[]": "number[]",
  "input[]": "input[]",
  "record<string>": "record<string>",
  any: "any",
};

/** Every table entry whose kind ARG_TYPES disagrees with (path: what it is). */
function typeDrift(shape: Record<string, Kind>): string[] {
  return DEFINITIONS.filter((d) => d.arg !== undefined && d.mapping !== "hand").flatMap((d) => {
    const kind = kindAt(shape, d.arg!);
    const ok =
      d.type === "object"
        ? typeof kind === "object" && "object" in kind
        : d.type === "object[]"
          ? typeof kind === "object" && "list" in kind
          : kind === EXPECTED[d.type];
    return ok ? [] : [`${d.arg}: ${JSON.stringify(kind)}`];
  });
}

function reader(values: Record<string, string>): StackConfigReader {
  return {
    get: (k) => values[k],
    getSecret: (k) => (values[k] !== undefined ? ({ secret: k } as never) : undefined),
  };
}

/** A value of an entry's type, distinct from its default. */
function sample(d: Definition): string {
  if (d.oneOf) return d.oneOf.find((v) => v !== d.default) ?? d.oneOf[0];
  switch (d.type) {
    case "integer":
    case "number":
      return String(((d.default as number | undefined) ?? 0) + 7);
    case "boolean":
      return d.default === true ? "false" : "true";
    case "string[]":
    case "input[]":
      return JSON.stringify(["x"]);
    case "object[]":
      return JSON.stringify([{ name: "x" }]);
    case "object":
      return JSON.stringify({ alias: "x" });
    default:
      return `value-of-${d.key}`;
  }
}

describe("argument table: every derived artefact agrees with it", () => {
  it("declares each argument path once (hand-mapped settings aside) and each setting key once", () => {
    const paths = DEFINITIONS.filter((d) => d.arg !== undefined && d.mapping !== "hand").map((d) => d.arg);
    expect(paths.length).to.equal(new Set(paths).size);
    const keys = DEFINITIONS.filter((d) => d.key !== undefined).map((d) => `${d.namespace ?? NS}:${d.key}`);
    expect(keys.length).to.equal(new Set(keys).size);
  });

  it("a setting names its argument: its key ends with the argument's last segment (singular for a list of one)", () => {
    const misnamed = (defs: readonly Definition[]) =>
      defs
        .filter((d) => d.key !== undefined && d.arg !== undefined)
        .filter((d) => {
          const key = d.key!.toLowerCase();
          const leaf = leafOf(d.arg!).toLowerCase();
          return !key.endsWith(leaf) && !key.endsWith(leaf.replace(/s$/, ""));
        })
        .map((d) => `${d.key} -> ${d.arg}`);
    expect(misnamed(DEFINITIONS)).to.deep.equal([]);
    // Control: the old name of the fleet size would be flagged.
    expect(misnamed([{ key: "mm2Fleet", arg: "replication.fleet.size", type: "integer" }])).to.have.length(1);
  });

  it("ARG_TYPES has every entry's type at its path", () => {
    expect(typeDrift(ARG_TYPES as Record<string, Kind>)).to.deep.equal([]);
  });

  it("negative control: a drifted type table is caught", () => {
    const drifted = structuredClone(ARG_TYPES) as Record<string, Kind>;
    const replication = drifted.replication as { object: Record<string, Kind> };
    (replication.object.fleet as { object: Record<string, Kind> }).object.size = "string";
    expect(typeDrift(drifted)).to.deep.equal(['replication.fleet.size: "string"']);
  });

  it("lists declared `itemsAs` share the item members (peer.streams, externalKafka.topics)", () => {
    expect(kindAt(ARG_TYPES as Record<string, Kind>, "peer.streams[].retentionHours")).to.equal("number");
    expect(kindAt(ARG_TYPES as Record<string, Kind>, "externalKafka.topics[].name")).to.equal("string");
  });

  it("DEFAULTS holds every default the table declares, by name", () => {
    const table = Object.fromEntries(
      DEFINITIONS.filter((d) => d.default !== undefined && d.mapping !== "hand").map((d) => [
        nameOf(d),
        d.default,
      ]),
    );
    expect(DEFAULTS).to.deep.equal(table);
    expect(DEFAULTS.fleetSize).to.equal(2);
    expect(DEFAULTS.partitions).to.equal(1);
  });

  it("SETTINGS are the entries with a key, with their static defaults and validators", () => {
    const withKey = DEFINITIONS.filter((d) => d.key !== undefined);
    expect(SETTINGS.map((s) => s.key)).to.deep.equal(withKey.map((d) => d.key));
    for (const [i, s] of SETTINGS.entries()) {
      const d = withKey[i];
      expect(s.arg, s.key).to.equal(d.arg);
      expect(s.secret, s.key).to.equal(d.secret);
      expect(s.min, s.key).to.equal(d.min);
      expect(s.oneOf, s.key).to.equal(d.oneOf);
      expect(s.default, s.key).to.deep.equal(d.derivedDefault ? undefined : d.default);
    }
    expect([...PROGRAM_CONFIG_KEYS]).to.deep.equal(withKey.filter((d) => !d.namespace).map((d) => d.key));
  });

  describe("the stack program sets each 1:1 setting at its argument's path", () => {
    const direct = DEFINITIONS.filter(
      (d) => d.key !== undefined && d.arg !== undefined && d.mapping !== "hand" && !d.namespace,
    );
    const at = (o: unknown, path: string): unknown =>
      path.split(".").reduce<unknown>((n, p) => (n as Record<string, unknown> | undefined)?.[p], o);
    for (const d of direct) {
      it(`${d.key} -> ${d.arg}`, () => {
        const text = sample(d);
        const settings = readStackSettings(reader({ [d.key!]: text }), NS);
        const value = at(applySettings(settings), d.arg!);
        expect(value, d.key).to.deep.equal((settings as Record<string, unknown>)[d.key!]);
        expect(value, d.key).to.not.equal(undefined);
      });
    }

    it("a default alone creates no object; control: a set value does", () => {
      const defaults = applySettings(readStackSettings(reader({}), NS));
      expect(defaults).to.not.have.property("onPremises");
      expect(defaults).to.not.have.property("replication");
      const set = applySettings(readStackSettings(reader({ ipsecCpeIpAddress: "198.51.100.1" }), NS));
      expect(set.onPremises).to.deep.equal({ ipsec: { cpeIpAddress: "198.51.100.1", ikeVersion: "V2" } });
    });
  });

  it("the Automation API writes the pair's fields under the same setting keys", () => {
    const pair = repoPair();
    pair.dr.mirrorMaker = { ...pair.dr.mirrorMaker, fleetSize: 3, fleetShape: "VM.Standard.A1.Flex" };
    const config = stackConfigFor(pair, "dr", "primary-to-dr");
    expect(config[`${NS}:fleetSize`]).to.deep.equal({ value: "3" });
    expect(config[`${NS}:fleetShape`]).to.deep.equal({ value: "VM.Standard.A1.Flex" });
    for (const key of Object.keys(config)) {
      const bare = key.slice(key.indexOf(":") + 1);
      expect(
        SETTINGS.some((s) => s.key === bare),
        key,
      ).to.equal(true);
    }
  });

  it("each Automation group carries exactly the settings the table puts in it, and writes them", () => {
    const groups = ["site", "mirrorMaker", "pair"] as const;
    for (const g of groups) {
      const keys = automationKeys(g);
      expect(keys, g).to.deep.equal(DEFINITIONS.filter((d) => d.automation === g).map((d) => d.key));
      expect(keys.length, g).to.be.greaterThan(0);
    }
    // Every pair-group setting given in the pair model reaches the dr stack's config under its key
    // (control: the value written is the one given, so a dropped key fails here).
    const pair = repoPair();
    pair.replication = { ...pair.replication!, checkpointIntervalSeconds: 17, tasksMax: 9 };
    const config = stackConfigFor(pair, "dr", "primary-to-dr");
    expect(config[`${NS}:checkpointIntervalSeconds`]).to.deep.equal({ value: "17" });
    expect(config[`${NS}:tasksMax`]).to.deep.equal({ value: "9" });
    // A setting in no group (the stack program derives it) is not offered by the pair model.
    expect(groups.flatMap((g) => automationKeys(g) as readonly string[])).to.not.include("role");
  });

  it("the table's bounds hold for arguments no hand-written rule covers (control: in bounds passes)", () => {
    expect(() => checkArgBounds({ streams: [{ name: "a", partitions: 2 }] })).to.not.throw();
    let e: unknown;
    try {
      checkArgBounds({ replication: { fleet: { size: 0 } } });
    } catch (x) {
      e = x;
    }
    expect(e).to.be.instanceOf(ValidationError);
    expect((e as ValidationError).field).to.equal("replication.fleet.size");
    expect((e as ValidationError).message).to.match(/at least 1/);
  });
});
