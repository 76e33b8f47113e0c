import { expect } from "chai";
import {
  completeFailback,
  deployPair,
  destroyPair,
  managedConfigKeys,
  PairConfig,
  PairStepError,
  previewPair,
  readOutputs,
  setReplicationDirection,
  stackConfigFor,
  startFailback,
} from "../../lib/program/automation";
import { Role } from "../../lib/core/config/args";
import { ValidationError } from "../../lib/core/errors";
import { FakeWorkspace, repoPair, richPair } from "./automationFixtures";

const NS = "oci-geo-streaming";
const PRIMARY = "acme/oci-geo-streaming/primary";
const DR = "acme/oci-geo-streaming/dr";

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  expect.fail("expected a rejection");
}

function removedKeys(ws: FakeWorkspace, short: string): string[] {
  const c = [...ws.calls].reverse().find((x) => x.op === "removeAllConfig" && x.stack.endsWith(`/${short}`));
  return c?.keys ?? [];
}

describe("automation: operations drive the stacks in the safe order", () => {
  it("deploys primary then dr: select-or-create, set the whole config, up", async () => {
    const ws = new FakeWorkspace();
    ws.stackOutputs[PRIMARY] = { peering: { value: { region: "eu-frankfurt-1" }, secret: false } };
    const result = await deployPair(richPair(), { workspace: ws });
    expect(ws.trace).to.deep.equal([
      "select primary create",
      "setAllConfig primary",
      "removeAllConfig primary",
      "up primary",
      "select dr create",
      "setAllConfig dr",
      "removeAllConfig dr",
      "up dr",
    ]);
    expect(ws.calls[0].stack).to.equal(PRIMARY);
    expect(ws.configOf("primary")).to.deep.equal(stackConfigFor(richPair(), "primary", "primary-to-dr"));
    expect(ws.configOf("dr")).to.deep.equal(stackConfigFor(richPair(), "dr", "primary-to-dr"));
    // Everything else the program reads is cleared, so nothing from an earlier direction lingers.
    const primaryConfig = ws.configOf("primary")!;
    expect(removedKeys(ws, "primary").sort()).to.deep.equal(
      managedConfigKeys(NS)
        .filter((k) => !(k in primaryConfig))
        .sort(),
    );
    expect(removedKeys(ws, "primary")).to.include.members([`${NS}:peerStack`, `${NS}:replicationEnabled`]);
    expect(result.direction).to.equal("primary-to-dr");
    expect(result.primary).to.deep.include({ role: "primary", stack: PRIMARY });
    expect(result.primary.result.outputs.peering.value).to.deep.equal({ region: "eu-frankfurt-1" });
    expect(result.dr).to.deep.include({ role: "dr", stack: DR });
  });

  it("stops at a failed primary update and never touches dr", async () => {
    const ws = new FakeWorkspace();
    ws.failOn = "up primary";
    const e = await rejection(deployPair(richPair(), { workspace: ws }));
    expect(e).to.be.instanceOf(PairStepError);
    expect(e).to.include({ step: "up", role: "primary", stack: PRIMARY });
    expect((e as PairStepError).completed).to.deep.equal([]);
    expect(ws.trace.some((t) => t.endsWith(" dr") || t.includes(" dr "))).to.equal(false);
  });

  it("destroys dr first, then primary, and skips a stack that does not exist", async () => {
    const ws = new FakeWorkspace([PRIMARY, DR]);
    const result = await destroyPair(richPair(), { workspace: ws });
    expect(ws.trace).to.deep.equal(["select dr", "destroy dr", "select primary", "destroy primary"]);
    expect(result.steps.map((s) => s.role)).to.deep.equal(["dr", "primary"]);

    const partial = new FakeWorkspace([PRIMARY]);
    const again = await destroyPair(richPair(), { workspace: partial });
    expect(partial.trace).to.deep.equal(["select dr", "select primary", "destroy primary"]);
    expect(again.steps[0]).to.deep.equal({ role: "dr", stack: DR, result: undefined });
  });

  it("switches to dr-to-primary: only the primary changes (it starts pulling from dr); dr keeps replicating", async () => {
    const ws = new FakeWorkspace([PRIMARY, DR]);
    const result = await startFailback(richPair(), { workspace: ws });
    expect(ws.trace).to.deep.equal([
      "select primary",
      "select dr",
      "setAllConfig primary",
      "removeAllConfig primary",
      "up primary",
    ]);
    const primary = ws.configOf("primary")!;
    expect(primary[`${NS}:peerStack`]).to.deep.equal({ value: DR });
    expect(primary[`${NS}:replicationEnabled`]).to.deep.equal({ value: "true" });
    // The configured dr network gives way to the dr stack's own peering output.
    expect(removedKeys(ws, "primary")).to.include.members([`${NS}:peerRegion`, `${NS}:peerVcnCidr`]);
    // dr is not touched: its remote copies (read by its consumers since the failover) and its
    // forward offset syncs (read by the failback translation) stay.
    expect(ws.configOf("dr")).to.equal(undefined);
    expect(result.steps.map((s) => [s.role, s.action])).to.deep.equal([["primary", "enable"]]);
  });

  it("switches back to primary-to-dr: dr starts pulling first, then the primary's fleet and peerStack go", async () => {
    const ws = new FakeWorkspace([PRIMARY, DR]);
    const result = await completeFailback(richPair(), { workspace: ws });
    expect(ws.trace.filter((t) => t.startsWith("up"))).to.deep.equal(["up dr", "up primary"]);
    expect(ws.configOf("dr")![`${NS}:replicationEnabled`]).to.deep.equal({ value: "true" });
    const primary = ws.configOf("primary")!;
    expect(primary).to.not.have.property(`${NS}:peerStack`);
    expect(primary).to.not.have.property(`${NS}:replicationEnabled`);
    expect(removedKeys(ws, "primary")).to.include.members([
      `${NS}:peerStack`,
      `${NS}:replicationEnabled`,
      `${NS}:tenancyId`,
      `${NS}:credentialsUserName`,
    ]);
    expect(result.steps.map((s) => [s.role, s.action])).to.deep.equal([
      ["dr", "enable"],
      ["primary", "disable"],
    ]);
  });

  it("with the identity policy stops the old side first (same topic names would loop)", async () => {
    const pair = richPair();
    pair.replication!.replicationPolicy = "identity";
    for (const [direction, expected] of [
      ["dr-to-primary", ["up dr", "up primary"]],
      ["primary-to-dr", ["up primary", "up dr"]],
    ] as const) {
      const ws = new FakeWorkspace([PRIMARY, DR]);
      const result = await setReplicationDirection(pair, direction, { workspace: ws });
      expect(
        ws.trace.filter((t) => t.startsWith("up")),
        direction,
      ).to.deep.equal(expected);
      expect(result.steps[0].action).to.equal("disable");
    }
  });

  it("refuses to switch when a stack is missing, before changing anything", async () => {
    const ws = new FakeWorkspace([PRIMARY]);
    const e = await rejection(startFailback(richPair(), { workspace: ws }));
    expect(e).to.be.instanceOf(PairStepError);
    expect(e).to.include({ step: "select", role: "dr" });
    expect(ws.trace).to.deep.equal(["select primary", "select dr"]);
  });

  it("reports the completed step when the second half of a switch fails; running it again resumes", async () => {
    const ws = new FakeWorkspace([PRIMARY, DR]);
    ws.failOn = "up primary";
    const e = (await rejection(completeFailback(richPair(), { workspace: ws }))) as PairStepError;
    expect(e).to.be.instanceOf(PairStepError);
    expect(e).to.include({ step: "up", role: "primary", stack: PRIMARY });
    expect(e.completed.map((s) => s.role)).to.deep.equal(["dr"]);
    ws.failOn = undefined;
    ws.calls = [];
    await completeFailback(richPair(), { workspace: ws });
    expect(ws.trace.filter((t) => t.startsWith("up"))).to.deep.equal(["up dr", "up primary"]);
  });

  it("calls nothing at all when validation fails", async () => {
    const bad = repoPair();
    bad.dr.vcnCidr = "10.10.0.0/12";
    const noOrg: PairConfig = { ...repoPair(), organization: undefined };
    const noReplication: PairConfig = { ...repoPair(), replication: undefined };
    const ops: [string, () => Promise<unknown>, FakeWorkspace][] = [];
    const add = (name: string, fn: (ws: FakeWorkspace) => Promise<unknown>) => {
      const ws = new FakeWorkspace([PRIMARY, DR]);
      ops.push([name, () => fn(ws), ws]);
    };
    add("deployPair", (ws) => deployPair(bad, { workspace: ws }));
    add("previewPair", (ws) => previewPair(bad, { workspace: ws }));
    add("startFailback", (ws) => startFailback(bad, { workspace: ws }));
    add("completeFailback without replication", (ws) => completeFailback(noReplication, { workspace: ws }));
    add("destroyPair", (ws) => destroyPair(noOrg, { workspace: ws }));
    add("readOutputs", (ws) => readOutputs(noOrg, { workspace: ws }));
    for (const [name, run, ws] of ops) {
      const e = await rejection(run());
      expect(e, name).to.be.instanceOf(ValidationError);
      expect(ws.calls, name).to.deep.equal([]);
    }
  });

  it("previews primary, and dr only once the primary has outputs to read", async () => {
    const fresh = new FakeWorkspace();
    const first = await previewPair(richPair(), { workspace: fresh });
    expect(fresh.trace).to.deep.equal([
      "select primary create",
      "setAllConfig primary",
      "removeAllConfig primary",
      "preview primary",
      "outputs primary",
    ]);
    expect(first.dr).to.equal(undefined);
    expect(first.drSkipped).to.match(/no 'peering' output/);

    const deployed = new FakeWorkspace([PRIMARY, DR]);
    deployed.stackOutputs[PRIMARY] = { peering: { value: {}, secret: false } };
    const second = await previewPair(richPair(), { workspace: deployed });
    expect(deployed.trace.filter((t) => t.startsWith("preview"))).to.deep.equal([
      "preview primary",
      "preview dr",
    ]);
    expect(second.dr?.result.changeSummary).to.deep.equal({ create: 1 });
  });

  it("reads both stacks' outputs, undefined for a stack that does not exist, and changes nothing", async () => {
    const ws = new FakeWorkspace([PRIMARY]);
    ws.stackOutputs[PRIMARY] = { vcnId: { value: "ocid1.vcn.oc1.fra.x", secret: false } };
    const out = await readOutputs(richPair(), { workspace: ws });
    expect(out.primary?.vcnId.value).to.equal("ocid1.vcn.oc1.fra.x");
    expect(out.dr).to.equal(undefined);
    expect(ws.trace).to.deep.equal(["select primary", "outputs primary", "select dr"]);
  });

  it("reports progress through onOutput: a line per step and the CLI's output, tagged with the stack's role", async () => {
    const ws = new FakeWorkspace();
    const seen: [Role, string][] = [];
    await deployPair(richPair(), { workspace: ws, onOutput: (text, role) => seen.push([role, text]) });
    expect(seen).to.deep.include(["primary", `Updating (${PRIMARY})\n`]);
    expect(seen).to.deep.include(["dr", `Updating (${DR})\n`]);
    expect(seen).to.deep.include(["dr", `[dr] ${DR}: up\n`]);
    const roles = seen.map(([r]) => r);
    expect(roles.indexOf("dr")).to.be.above(roles.lastIndexOf("primary"));
  });
});
