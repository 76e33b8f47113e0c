/**
 * The DR drill (`npm run drill`, dev/rehearsal/drill.ts) as a test: primary killed mid-stream, the
 * group failed over and resumed on dr. Nothing may be lost beyond what was still unreplicated at the
 * kill, and the consumer may skip no record dr had; RPO/RTO/duplicates are measured, not bounded
 * (timings live in benchmarks).
 */
import { expect } from "chai";

import { formatDrillReport, runDrill, type DrillReport } from "../../dev/rehearsal/drill";
import { runningManagedProcesses } from "../../dev/rehearsal/processes";

describe("DR drill: kill the primary, fail the group over, resume on dr", function () {
  this.timeout(400_000);
  let report: DrillReport;

  before(async function () {
    report = await runDrill({ rate: 100 });
    for (const line of formatDrillReport(report)) console.log(`      ${line}`);
  });

  it("loses nothing beyond what was unreplicated at the kill, and skips no record dr had", function () {
    const context = JSON.stringify(report, null, 2);
    expect(report.acked, context).to.be.greaterThan(1000);
    expect(report.skipped, context).to.equal(0);
    expect(report.lostThoughOnDr, context).to.equal(0);
    expect(report.lost, context).to.be.at.most(report.rpoRecords);
    // Everything acknowledged is on dr except the RPO records.
    expect(report.onDr, context).to.be.at.least(report.acked - report.rpoRecords);
    expect(report.consumedOnDr, context).to.be.greaterThan(0);
  });

  it("resumes on dr exactly at the committed translation, never past the primary consumer", function () {
    const context = JSON.stringify(report.resume);
    for (const p of report.resume) {
      expect(p.committedOffset, context).to.be.at.least(0);
      expect(p.drOffset, context).to.equal(p.committedOffset);
      // MM2 translates conservatively: at or before where the group was on the primary.
      expect(p.upstreamOffset, context).to.be.at.most(p.primaryPosition);
      expect(p.committedOffset, context).to.be.at.most(p.upstreamOffset);
    }
    expect(report.rtoMs).to.be.greaterThan(0);
    expect(report.duplicates).to.be.at.least(0);
  });

  it("leaves no rehearsal process running", function () {
    expect(runningManagedProcesses().map((p) => p.name)).to.deep.equal([]);
  });
});
