/**
 * The pure parts of `npm run bench` (dev/bench): every producer it runs keeps its batches and
 * requests within OCI's 1 MB limit (the emulated broker's message.max.bytes), and --quick is the
 * smoke the rehearsal tier runs (one partition count; (a), (b), (c)).
 */
import { expect } from "chai";

import { BACKLOG_PRODUCER, defaultSettings, planVariants } from "../../dev/bench/bench";
import {
  DEFAULT_CANDIDATES,
  MAX_BATCH_BYTES,
  RECORD_BATCH_OVERHEAD_BYTES,
  TUNING_CANDIDATES,
  tuningCandidates,
} from "../../dev/bench/benchConfigs";
import { OCI_MAX_REQUEST_BYTES } from "../../lib/core/mm2/properties";

function setting(entries: readonly (readonly [string, string])[], key: string): number | undefined {
  const found = entries.find(([k]) => k === key);
  return found === undefined ? undefined : Number(found[1]);
}

describe("bench configurations (pure parts)", function () {
  it("sizes the largest batch from OCI's request limit, header included", function () {
    expect(MAX_BATCH_BYTES + RECORD_BATCH_OVERHEAD_BYTES).to.equal(OCI_MAX_REQUEST_BYTES);
    expect(MAX_BATCH_BYTES).to.be.lessThan(1024 * 1024);
  });

  it("backlog producer: the largest batch and request OCI accepts", function () {
    expect(Number(BACKLOG_PRODUCER["batch.size"])).to.equal(MAX_BATCH_BYTES);
    expect(Number(BACKLOG_PRODUCER["max.request.size"])).to.equal(OCI_MAX_REQUEST_BYTES);
  });

  it("every tuning candidate's producer batch fits under the limit", function () {
    const all = [...TUNING_CANDIDATES, ...tuningCandidates(["rerun"])];
    for (const c of all) {
      const batch = setting(c.tuning.producer, "batch.size");
      expect(batch, `${c.name} batch.size`).to.be.a("number");
      expect(batch!, `${c.name} batch.size`).to.be.at.most(MAX_BATCH_BYTES);
    }
    // pre is the historical tuning verbatim (max.request.size 1 MiB); every other stays within 1 MB.
    for (const c of all.filter((t) => t.name !== "pre")) {
      expect(setting(c.tuning.producer, "max.request.size"), c.name).to.be.at.most(OCI_MAX_REQUEST_BYTES);
      expect(setting(c.tuning.consumer, "max.partition.fetch.bytes"), c.name).to.be.at.most(
        OCI_MAX_REQUEST_BYTES,
      );
    }
    expect(() => tuningCandidates(DEFAULT_CANDIDATES)).to.not.throw();
    expect(() => tuningCandidates(["b1m"])).to.throw(/unknown tuning candidate "b1m"/);
  });

  it("--quick: one partition count, no candidates, (a), (b) and (c)", function () {
    const quick = defaultSettings({ quick: true });
    expect(quick.partitions).to.have.length(1);
    expect(quick.candidates).to.deep.equal([]);
    const planned = planVariants(quick);
    expect([planned.pipe.kind, ...planned.mirrorMakers.map((m) => m.info.kind)].sort()).to.deep.equal([
      "pipe",
      "quickstart",
      "rendered",
    ]);
    const full = defaultSettings();
    expect(full.partitions).to.deep.equal([1, 6, 24]);
    expect(full.candidates.map((c) => c.name)).to.deep.equal([...DEFAULT_CANDIDATES]);
  });
});
