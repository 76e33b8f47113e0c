/**
 * `replication.checkpointIntervalSeconds`, declared once in the argument table, reaches MM2's
 * `emit.checkpoints.interval.seconds` in mm2.properties; the table's minimum refuses 0 before
 * anything is registered, and the stack setting of the same name sets it.
 */
import { expect } from "chai";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { PLACEHOLDER_VALUES, renderFleetConfig, ReplicatingDeployment } from "../../lib/core/fleet";
import { parseProperties } from "../../lib/core/mm2";
import { readStackSettings } from "../../lib/core/config/settings";
import { ValidationError } from "../../lib/core/errors";
import { applySettings } from "../../lib/program/stackProgram";
import { validDr, withReplication } from "../support/cases";

function rendered(seconds: number | undefined): Map<string, string> {
  const a = validDr();
  withReplication(a, seconds === undefined ? {} : { checkpointIntervalSeconds: seconds });
  const d = validateGeoReplicatedStreamArgs(a, { providersPending: true }) as ReplicatingDeployment;
  // The same pure function the fleet renders its nodes with.
  return parseProperties(renderFleetConfig(d, PLACEHOLDER_VALUES).mm2Properties);
}

const key = (p: Map<string, string>) =>
  [...p.entries()].filter(([k]) => k.endsWith("emit.checkpoints.interval.seconds"));

describe("replication.checkpointIntervalSeconds → emit.checkpoints.interval.seconds", () => {
  it("renders the given interval", () => {
    expect(key(rendered(15)).map(([, v]) => v)).to.deep.equal(["15"]);
  });

  it("renders Kafka's default, 60, when unset (control: the key is there either way)", () => {
    expect(key(rendered(undefined)).map(([, v]) => v)).to.deep.equal(["60"]);
  });

  it("refuses 0 before anything is registered, naming the argument", () => {
    const a = validDr();
    withReplication(a, { checkpointIntervalSeconds: 0 });
    expect(() => validateGeoReplicatedStreamArgs(a, { providersPending: true }))
      .to.throw(ValidationError, /at least 1/)
      .with.property("field", "replication.checkpointIntervalSeconds");
  });

  it("the stack setting checkpointIntervalSeconds sets it", () => {
    const settings = readStackSettings(
      { get: (k) => ({ checkpointIntervalSeconds: "30" })[k], getSecret: () => undefined },
      "oci-geo-streaming",
    );
    expect(applySettings(settings)).to.have.nested.property("replication.checkpointIntervalSeconds", 30);
  });
});
