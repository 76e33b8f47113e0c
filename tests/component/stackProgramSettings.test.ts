/**
 * The stack program reads its config through the settings table before it registers anything: a
 * value of the wrong type fails first, naming the key and the fix, and an argument the component
 * refuses names the config key it came from.
 */
import { expect } from "chai";
import * as path from "path";
import { PlanError, runStack } from "../../dev/plan/runStack";
import { readProject, readStackConfig } from "../../dev/plan/stackConfig";

const ROOT = path.join(__dirname, "..", "..");
const NS = "oci-geo-streaming";

function stackConfig(stack: string, extra: Record<string, string>) {
  const cfg = readStackConfig(readProject(ROOT), stack).config;
  return Object.fromEntries(Object.entries({ ...cfg, ...extra }).map(([k, v]) => [k, { value: v }]));
}

async function planError(stack: string, extra: Record<string, string>): Promise<PlanError> {
  try {
    await runStack({ stack, projectDir: ROOT, config: stackConfig(stack, extra) });
  } catch (e) {
    if (e instanceof PlanError) return e;
    throw e;
  }
  throw new Error("the plan did not fail");
}

describe("the stack program reads config through the settings table", function () {
  this.timeout(120_000);

  it("refuses a wrong type before the StackReference is read (dr, no primary outputs given)", async () => {
    const e = await planError("dr", { [`${NS}:fleetSize`]: "two" });
    expect(e.errorName).to.equal("ValidationError");
    expect(e.field).to.equal("fleetSize");
    expect(e.message).to.match(
      /"two" is not a whole number\. .*pulumi config set oci-geo-streaming:fleetSize/,
    );
    expect(e.isExpected).to.equal(true);
  });

  it("control: with a good value the same stack gets as far as the StackReference", async () => {
    const e = await planError("dr", {});
    expect(e.message).to.match(/StackReference 'primary'/);
  });

  it("names the config key of an argument the component refuses", async () => {
    const e = await planError("primary", {
      [`${NS}:streams`]: JSON.stringify([{ name: "orders", partitions: 0 }]),
    });
    expect(e.field).to.equal("streams[0].partitions");
    expect(e.message).to.match(/not a valid partition count.*\(config oci-geo-streaming:streams\)$/);
  });
});
