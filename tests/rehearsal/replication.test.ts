/**
 * Smoke replication with the real MirrorMaker 2 between two emulated OCI Streaming regions, running
 * exactly the mm2.properties the dr stack renders (dev/rehearsal/renderedConfig.ts: same model code
 * path as the component; only endpoints, credentials and the config dir differ).
 */
import { expectIntactOnce } from "./verifyExpectations";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { parseProperties } from "../../lib/core/mm2";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { logTail, waitForTopicRecords, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import {
  prepareRenderedMirrorMaker,
  startEmulatedRegions,
  startRenderedNode,
  type EmulatedRegions,
} from "../../dev/rehearsal/renderedConfig";
import { produce, verify } from "../../dev/rehearsal/tools";

const TOPIC = "orders";
const PARTITIONS = 3;
const OFFSET_SYNC_REFUSED =
  /Failure sending offset sync\.[\s\S]{0,2000}?ClusterAuthorizationException|Aborting producer batches due to fatal error[\s\S]{0,600}?ClusterAuthorizationException/;

describe("rehearsal: the rendered mm2.properties between two emulated OCI regions", function () {
  this.timeout(600_000);

  let runtime: KafkaRuntime;
  let regions: EmulatedRegions | undefined;
  let mirrorMakers: MirrorMakerHandle[] = [];
  let workDir: string;

  before(async function () {
    runtime = await ensureKafkaRuntime();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-smoke-"));
    regions = await startEmulatedRegions({ runtime });
  });

  after(async function () {
    await Promise.all(mirrorMakers.map((m) => m.stop()));
    mirrorMakers = [];
    await regions?.stop();
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1") fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("replicates records with keys, headers, timestamps and per-partition order intact", async function () {
    const { source, target } = regions!;
    const prepared = await prepareRenderedMirrorMaker({
      source,
      target,
      streams: [{ name: TOPIC, partitions: PARTITIONS, retentionHours: 168 }],
      workDir: path.join(workDir, "smoke"),
    });
    // What the dr stack renders for a one-node fleet, run unmodified.
    expect(prepared.propertiesFiles).to.deep.equal([path.join(prepared.configDir, "mm2.properties")]);
    expect(fs.readFileSync(prepared.propertiesFiles[0], "utf8")).to.equal(prepared.rendered);
    const props = parseProperties(prepared.rendered);
    expect(props.get("fra.sasl.jaas.config")).to.contain(
      `password="\${file:${prepared.configDir}/secrets.properties:fra.sasl.password}"`,
    );
    expect(props.get("fra.sasl.jaas.config")).to.contain(`username="${source.username}"`);
    expect(props.get("ams.config.storage.topic")).to.equal(target.harnessTopics!.config);
    // secrets.properties, as put-secret.sh wrote it: mode 0600, the password under each alias key.
    const secrets = path.join(prepared.configDir, "secrets.properties");
    expect(fs.statSync(secrets).mode & 0o777).to.equal(0o600);
    expect(prepared.mm2TopicNames).to.deep.equal([
      "fra.checkpoints.internal",
      "fra.heartbeats",
      "fra.orders",
      "heartbeats",
      "mm2-offset-syncs.fra.internal",
    ]);

    const runId = "smoke";
    const produced = await produce(runtime, source.toolClient(), {
      topic: TOPIC,
      records: 1000,
      runId,
      partitions: PARTITIONS,
    });
    expect(produced.ok, JSON.stringify(produced.error)).to.equal(true);
    expect(produced.acked).to.equal(1000);

    const mm = await startRenderedNode(prepared, 0, { runtime });
    mirrorMakers.push(mm);
    const remote = prepared.remoteTopic(TOPIC);
    expect(remote).to.equal("fra.orders");
    const result = await verify(runtime, target.toolClient(), {
      topic: remote,
      records: 1000,
      runId,
      partitions: PARTITIONS,
      timeoutMs: 150_000,
      lingerMs: 2_000,
    });
    const context = `${JSON.stringify(result)}\nMirrorMaker log tail:\n${logTail(mm)}`;
    expectIntactOnce(result, 1000, context);
    expect(result.foreign, context).to.equal(0);

    // The remote topic is the stream the component pre-created: same partitions, not compacted.
    const described = await target.describeTopic(remote);
    expect(described.partitions).to.equal(PARTITIONS);
    expect(described.configs["cleanup.policy"]).to.equal("delete");
    expect(described.configs["retention.ms"]).to.equal(String(168 * 3_600_000));

    // The offset-syncs producer works (the one MM2 producer that takes the client default
    // enable.idempotence=true): its topic on the target receives syncs.
    await waitForTopicRecords(target, "mm2-offset-syncs.fra.internal", 1, 60_000);
    expect(mm.log(), logTail(mm)).not.to.match(OFFSET_SYNC_REFUSED);
    expect(mm.log()).not.to.match(/PolicyViolationException/);
    expect(mm.running, logTail(mm)).to.equal(true);
    await mm.stop();
  });
});
