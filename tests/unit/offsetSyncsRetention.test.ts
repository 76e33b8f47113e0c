/**
 * The offset-syncs stream keeps what MirrorMaker reads from it: the newest sync of each replicated
 * partition (OffsetSyncStore replays the stream from the beginning at every checkpoint-task start),
 * so its retention follows the replicated source topics, within OCI's 24 to 168 hours.
 */
import { expect } from "chai";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { validDr, withReplication } from "../support/cases";

function offsetSyncsRetention(
  peerStreams: { name: string; partitions: number; retentionHours?: number }[],
): number {
  const a = validDr();
  withReplication(a);
  a.peer!.streams = peerStreams;
  const d = validateGeoReplicatedStreamArgs(a, { providersPending: true });
  const syncs = d.replication!.preCreatedStreams.filter((s) => s.purpose === "offset-syncs");
  expect(syncs, "one offset-syncs stream").to.have.length(1);
  return syncs[0].retentionHours;
}

describe("the offset-syncs stream's retention", () => {
  it("is OCI's minimum of 24 h when every replicated stream keeps 24 h (was a fixed 168 h)", () => {
    expect(offsetSyncsRetention([{ name: "orders", partitions: 6, retentionHours: 24 }])).to.equal(24);
    expect(offsetSyncsRetention([{ name: "orders", partitions: 6 }])).to.equal(24);
  });

  it("follows the longest-kept replicated stream, so a sync exists for every record still readable", () => {
    expect(
      offsetSyncsRetention([
        { name: "orders", partitions: 6, retentionHours: 24 },
        { name: "payments", partitions: 3, retentionHours: 72 },
      ]),
    ).to.equal(72);
    expect(offsetSyncsRetention([{ name: "orders", partitions: 6, retentionHours: 168 }])).to.equal(168);
  });
});

describe("the offset-syncs stream's retention after creation", () => {
  it("is kept at creation's value (a longer-kept stream added later must not replace the stream and drop its syncs); only that stream is marked", () => {
    const a = validDr();
    withReplication(a);
    a.peer!.streams = [{ name: "orders", partitions: 6, retentionHours: 24 }];
    const d = validateGeoReplicatedStreamArgs(a, { providersPending: true });
    const marked = d
      .replication!.preCreatedStreams.filter((s) => s.retentionFixedAtCreation)
      .map((s) => s.purpose);
    // Control: other pre-created streams exist and are not marked.
    expect(d.replication!.preCreatedStreams.length).to.be.greaterThan(1);
    expect(marked).to.deep.equal(["offset-syncs"]);
  });
});
