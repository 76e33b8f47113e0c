/**
 * MirrorMaker knobs declared once in the argument table (lib/core/config/arguments.ts) reach
 * mm2.properties through the one renderer the fleet uses; the table's bounds refuse a bad value
 * before anything is registered, naming the argument; the stack setting of the same name sets it.
 * Table-driven: a new knob is one row here.
 */
import { expect } from "chai";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { ReplicationArgs } from "../../lib/core/config/args";
import { readStackSettings } from "../../lib/core/config/settings";
import { ValidationError } from "../../lib/core/errors";
import { PLACEHOLDER_VALUES, renderFleetConfig, ReplicatingDeployment } from "../../lib/core/fleet";
import { parseProperties } from "../../lib/core/mm2";
import { applySettings } from "../../lib/program/stackProgram";
import { validDr, withReplication } from "../support/cases";

interface Knob {
  /** The argument under `replication` (and the stack setting of the same name). */
  arg: keyof ReplicationArgs;
  /** The mm2.properties key it renders to. */
  property: string;
  given: number;
  /** Kafka's default, rendered when the argument is unset. */
  kafkaDefault: number;
  bad: number;
  refusal: RegExp;
}

const KNOBS: Knob[] = [
  {
    arg: "checkpointIntervalSeconds",
    property: "emit.checkpoints.interval.seconds",
    given: 15,
    kafkaDefault: 60,
    bad: 0,
    refusal: /at least 1/,
  },
  {
    arg: "offsetLagMax",
    property: "offset.lag.max",
    given: 0,
    kafkaDefault: 100,
    bad: -1,
    refusal: /at least 0/,
  },
];

function rendered(arg: keyof ReplicationArgs, value: number | undefined): string[] {
  const a = validDr();
  withReplication(a, value === undefined ? {} : { [arg]: value });
  const d = validateGeoReplicatedStreamArgs(a, { providersPending: true }) as ReplicatingDeployment;
  // The same pure function the fleet renders its nodes with.
  const props = parseProperties(renderFleetConfig(d, PLACEHOLDER_VALUES).mm2Properties);
  return [...props.entries()]
    .filter(([k]) => k === KNOBS.find((x) => x.arg === arg)!.property)
    .map(([, v]) => v);
}

for (const k of KNOBS) {
  describe(`replication.${k.arg} → ${k.property}`, () => {
    it("renders the given value", () => {
      expect(rendered(k.arg, k.given)).to.deep.equal([String(k.given)]);
    });

    it(`renders Kafka's default, ${k.kafkaDefault}, when unset (control: the key is there either way)`, () => {
      expect(rendered(k.arg, undefined)).to.deep.equal([String(k.kafkaDefault)]);
    });

    it(`refuses ${k.bad} before anything is registered, naming the argument`, () => {
      const a = validDr();
      withReplication(a, { [k.arg]: k.bad });
      expect(() => validateGeoReplicatedStreamArgs(a, { providersPending: true }))
        .to.throw(ValidationError, k.refusal)
        .with.property("field", `replication.${k.arg}`);
    });

    it(`the stack setting ${k.arg} sets it`, () => {
      const settings = readStackSettings(
        { get: (key) => (key === k.arg ? String(k.given) : undefined), getSecret: () => undefined },
        "oci-geo-streaming",
      );
      expect(applySettings(settings)).to.have.nested.property(`replication.${k.arg}`, k.given);
    });
  });
}
