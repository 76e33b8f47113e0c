/**
 * The pure parts of `npm run rehearse` (dev/cli/rehearse.ts): options, the workload split and the
 * streams it reads from the primary stack. The command itself is exercised by running it.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  DEFAULT_STREAMS,
  OCI_PARTITION_BYTES_PER_SECOND,
  declaredStreams,
  parseArgs,
  splitRecords,
} from "../../dev/cli/rehearse";

describe("rehearse CLI (pure parts)", function () {
  it("parses its options and refuses bad ones", function () {
    expect(parseArgs([])).to.deep.equal({ records: 20_000, nodes: 1, valueBytes: 512, keep: false });
    expect(parseArgs(["--records", "500", "--nodes", "2", "--value-bytes", "1024", "--keep"])).to.deep.equal({
      records: 500,
      nodes: 2,
      valueBytes: 1024,
      keep: true,
    });
    expect(parseArgs(["--help"])).to.equal("help");
    expect(() => parseArgs(["--records", "0"])).to.throw(/--records needs a whole number/);
    expect(() => parseArgs(["--nodes", "1.5"])).to.throw(/--nodes/);
    expect(() => parseArgs(["--value-bytes", "2000000"])).to.throw(/--value-bytes/);
    expect(() => parseArgs(["--bogus"])).to.throw(/unknown option --bogus/);
  });

  it("splits the workload over the streams by partitions, exactly", function () {
    expect(splitRecords(DEFAULT_STREAMS, 20_000)).to.deep.equal([13_334, 6_666]);
    expect(splitRecords(DEFAULT_STREAMS, 7)).to.deep.equal([5, 2]);
    expect(OCI_PARTITION_BYTES_PER_SECOND).to.equal(1_048_576);
  });

  it("reads the primary's declared streams from Pulumi.primary.yaml, else uses its defaults", function () {
    const repo = declaredStreams();
    expect(repo.from).to.equal("Pulumi.primary.yaml");
    expect(repo.streams).to.deep.equal([
      { name: "orders", partitions: 6, retentionHours: 168 },
      { name: "payments", partitions: 3, retentionHours: 72 },
    ]);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-noproject-"));
    try {
      expect(declaredStreams(empty)).to.deep.equal({ streams: DEFAULT_STREAMS, from: "built-in defaults" });
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
