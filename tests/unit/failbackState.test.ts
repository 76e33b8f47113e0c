import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  emptyState,
  FailbackStateError,
  formatStatus,
  loadState,
  markFinished,
  markStarted,
  nextStep,
  orderProblem,
  saveState,
} from "../../lib/ops/failback/state";

const T0 = new Date("2025-01-02T03:04:05.000Z");
const T1 = new Date("2025-01-02T03:05:00.000Z");

describe("failback: state file", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "failback-state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("starts empty when the file is missing, and round-trips through an atomic write", () => {
    const file = path.join(dir, "nested", "state.json");
    const s0 = loadState(file);
    expect(s0).to.deep.equal(emptyState());
    expect(nextStep(s0)).to.equal("reverse");
    let s = markStarted(s0, "reverse", false, T0);
    saveState(file, s);
    expect(loadState(file).steps.reverse).to.deep.equal({ status: "started", startedAt: T0.toISOString() });
    s = markFinished(s, "reverse", { ok: true, summary: "ok", result: { n: 1 } }, T1);
    saveState(file, s);
    const back = loadState(file);
    expect(back.steps.reverse).to.deep.equal({
      status: "done",
      startedAt: T0.toISOString(),
      finishedAt: T1.toISOString(),
      summary: "ok",
      result: { n: 1 },
    });
    expect(nextStep(back)).to.equal("wait");
    // No temporary file is left next to it; only the owner can read it.
    expect(fs.readdirSync(path.dirname(file))).to.deep.equal(["state.json"]);
    expect(fs.statSync(file).mode & 0o077).to.equal(0);
  });

  it("resumes: a started or failed step is still next, and a done step can be re-run", () => {
    let s = markFinished(
      markStarted(emptyState(), "reverse", false, T0),
      "reverse",
      { ok: true, summary: "x" },
      T1,
    );
    s = markStarted(s, "wait", false, T1);
    expect(nextStep(s)).to.equal("wait");
    s = markFinished(s, "wait", { ok: false, summary: "timed out" }, T1);
    expect(nextStep(s)).to.equal("wait");
    expect(orderProblem(s, "wait", false)).to.equal(undefined);
    expect(orderProblem(s, "reverse", false)).to.equal(undefined);
    const lines = formatStatus(s, "f.json");
    expect(lines.find((l) => l.includes("wait"))).to.match(/failed .*<- next: timed out/);
    expect(lines.find((l) => l.includes("reverse"))).to.match(/done 2025-01-02T03:05:00.000Z: x/);
    expect(lines.at(-1)).to.equal("next: npm run failback -- wait");
  });

  it("refuses a step whose predecessors are not done, naming them, unless forced", () => {
    const s = markFinished(
      markStarted(emptyState(), "reverse", false, T0),
      "reverse",
      { ok: true, summary: "" },
      T1,
    );
    const p = orderProblem(s, "translate", false);
    expect(p).to.match(/'translate' needs 'wait' done first \(wait: not run\)\. Run 'wait', or pass --force/);
    expect(orderProblem(s, "translate", true)).to.equal(undefined);
    expect(orderProblem(emptyState(), "restore", false)).to.match(/'reverse', 'wait', 'translate'/);
  });

  it("names the file and the fix when the state is corrupt", () => {
    const file = path.join(dir, "state.json");
    const cases: [string, RegExp][] = [
      ['{"version":1,"steps":{', /not valid JSON .*move it away to start the failback record again/],
      ["[]", /not a failback state/],
      ['{"version":2,"steps":{}}', /version 2 is not 1/],
      ['{"version":1,"steps":{"rewind":{"status":"done","startedAt":"x"}}}', /unknown step "rewind"/],
      ['{"version":1,"steps":{"wait":{"status":"maybe","startedAt":"x"}}}', /step "wait" needs a status/],
    ];
    for (const [text, re] of cases) {
      fs.writeFileSync(file, text);
      let err: unknown;
      try {
        loadState(file);
      } catch (e) {
        err = e;
      }
      expect(err, text).to.be.instanceOf(FailbackStateError);
      expect((err as Error).message, text)
        .to.include(`--state ${file}`)
        .and.match(re);
    }
  });
});
