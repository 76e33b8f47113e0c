import { expect } from "chai";
import {
  Checkpoint,
  CheckpointSchemaError,
  decodeCheckpoint,
  encodeCheckpoint,
  groupsInCheckpoints,
  RawRecord,
  translateOffsets,
} from "../../lib/ops/failover/checkpoints";

function cp(
  group: string,
  topic: string,
  partition: number,
  up: number,
  down: number,
  metadata = "",
): Checkpoint {
  return { group, topic, partition, upstreamOffset: BigInt(up), downstreamOffset: BigInt(down), metadata };
}

function record(c: Checkpoint, partition = 0): RawRecord {
  return { partition, ...encodeCheckpoint(c) };
}

describe("MM2 checkpoints", () => {
  it("decodes the exact bytes of Kafka's version-0 format", () => {
    // key: "g1" "fra.orders" 3 ; value: v0, upstream 100, downstream 42, metadata "m"
    const key = Buffer.from(
      "0002673100" + "0a" + Buffer.from("fra.orders").toString("hex") + "00000003",
      "hex",
    );
    const value = Buffer.from(
      "0000" + "0000000000000064" + "000000000000002a" + "0001" + Buffer.from("m").toString("hex"),
      "hex",
    );
    expect(decodeCheckpoint(key, value)).to.deep.equal(cp("g1", "fra.orders", 3, 100, 42, "m"));
  });

  it("round-trips through encode and decode, including non-ASCII names and 64-bit offsets", () => {
    const c: Checkpoint = {
      group: "grüppe-ü",
      topic: "fra.payments",
      partition: 17,
      upstreamOffset: 2n ** 40n + 7n,
      downstreamOffset: 2n ** 33n,
      metadata: "meta data",
    };
    const { key, value } = encodeCheckpoint(c);
    expect(decodeCheckpoint(key, value)).to.deep.equal(c);
  });

  const broken: [string, Buffer | null, Buffer | null, RegExp][] = [
    ["a missing value", Buffer.from("00016700000001", "hex"), null, /both a key and a value/],
    [
      "an unknown version",
      encodeCheckpoint(cp("g", "t", 0, 1, 1)).key,
      Buffer.from("0001" + "00".repeat(18), "hex"),
      /version 1 is unknown/,
    ],
    [
      "a truncated value",
      encodeCheckpoint(cp("g", "t", 0, 1, 1)).key,
      Buffer.from("0000000000", "hex"),
      /runs past the end/,
    ],
    [
      "a truncated key",
      Buffer.from("0005616263", "hex"),
      encodeCheckpoint(cp("g", "t", 0, 1, 1)).value,
      /runs past the end/,
    ],
  ];
  for (const [title, key, value, message] of broken) {
    it(`refuses ${title} as a schema error`, () => {
      expect(() => decodeCheckpoint(key, value)).to.throw(CheckpointSchemaError, message);
    });
  }

  it("translates like MirrorClient: last checkpoint per partition wins, other groups and bad records skipped", () => {
    const records: RawRecord[] = [
      record(cp("app", "fra.orders", 0, 10, 8)),
      record(cp("other", "fra.orders", 0, 99, 97)),
      { partition: 0, key: Buffer.from("zz"), value: Buffer.from("not a checkpoint") },
      record(cp("app", "fra.orders", 1, 5, 5)),
      record(cp("app", "fra.orders", 0, 20, 18, "late")),
      record(cp("app", "fra.orders", 2, 7, 6), 1), // not partition 0 of the checkpoints topic: ignored
    ];
    const t = translateOffsets(records, "app");
    expect([...t.entries()].map(([k, v]) => [k, v.offset, v.metadata, v.upstreamOffset])).to.deep.equal([
      ["fra.orders:0", 18n, "late", 20n],
      ["fra.orders:1", 5n, "", 5n],
    ]);
    expect(translateOffsets(records, "nobody").size).to.equal(0);
    expect(groupsInCheckpoints(records)).to.deep.equal(["app", "other"]);
  });
});
