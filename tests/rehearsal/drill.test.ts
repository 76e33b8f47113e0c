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

  it("prints status's RPO estimate taken just before the kill next to the measured RPO, and it is sane", function () {
    const lines = formatDrillReport(report);
    const e = report.estimate;
    const context = JSON.stringify({ estimate: e, rpoRecords: report.rpoRecords, rpoMs: report.rpoMs });
    expect(lines.join("\n")).to.match(
      /status's estimate \d+ ms before the kill: about \d+ records, [\d.]+ s of writes \(measured RPO: \d+ records, [\d.]+ s\)/,
    );
    // The source was reachable then: the estimate is a number, not "unknown".
    expect(e.records, context).to.be.a("number");
    expect(e.seconds, context).to.be.a("number");
    expect(e.msBeforeKill, context).to.be.greaterThan(0);
    // The estimate can only be beaten by writes after it: what dr lacked at the kill is at most what
    // it lacked at the estimate plus what the producer wrote in between (rate × gap; 200 ms of slack
    // for the paced producer's timing and its acknowledgements).
    const between = (report.rate * (e.msBeforeKill + 200)) / 1000;
    expect(report.rpoRecords, context).to.be.at.most(e.records! + between);
    // In seconds likewise: the oldest record missing at the kill is at most the oldest missing at the
    // estimate plus the time in between (it may be younger: MM2 kept copying).
    expect(report.rpoMs / 1000, context).to.be.at.most(e.seconds! + (e.msBeforeKill + 200) / 1000);
  });

  it("leaves no rehearsal process running", function () {
    expect(runningManagedProcesses().map((p) => p.name)).to.deep.equal([]);
  });
});
