/**
 * One real failover at scale on the
 * rehearsal's Kafka (one broker emulating an OCI pool: SASL_SSL/PLAIN, no throttling): 1,000 groups
 * × 24 partitions of checkpoints in `fra.checkpoints.internal`, then plan + commit with the real
 * client, the default read pacing and concurrency, without the rate cap (`--max-rate 0`: the
 * rehearsal does not throttle; on OCI the documented 10 OffsetFetch/OffsetCommit per second make
 * it ~2 × groups / 10 s). Prints plan and commit time and the checkpoint reads per second.
 *
 *   node -r ts-node/register/transpile-only dev/bench/failoverRehearsal.ts [--groups 1000] [--concurrency 8]
 */
import * as fs from "node:fs";
import * as tls from "node:tls";
import { parseArgs } from "node:util";

import { Producer } from "@platformatic/kafka";

import { executeFailover, planFailover } from "../../lib/ops/failover/failover";
import type { TopicReadStats } from "../../lib/ops/failover/reads";
import { DEFAULT_GROUP_RUN_LIMITS } from "../../lib/ops/groupCommits";
import { KafkaClient } from "../../lib/ops/kafka/client";
import { startCluster } from "../rehearsal/cluster";
import { ensureKafkaRuntime } from "../rehearsal/kafkaRuntime";
import { syntheticCheckpoints } from "./failoverScale";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { groups: { type: "string" }, concurrency: { type: "string" } },
  });
  const groups = Number(values.groups ?? 1000);
  const runtime = await ensureKafkaRuntime();
  const dr = await startCluster({ name: "ams", ociEmulation: true, runtime });
  try {
    await dr.admin([
      { op: "createTopic", name: "fra.checkpoints.internal", partitions: 1 },
      ...["fra.orders", "fra.payments", "fra.audit"].map((name) => ({
        op: "createTopic" as const,
        name,
        partitions: 8,
      })),
    ]);
    const records = syntheticCheckpoints(groups, 24);
    const producer = new Producer({
      clientId: "failover-scale-bench",
      bootstrapBrokers: [dr.bootstrapServers],
      sasl: { mechanism: "PLAIN", username: dr.username!, password: dr.password! },
      tls: { ca: [...tls.rootCertificates, fs.readFileSync(dr.caPemPath!, "utf8")] },
      idempotent: false,
      autocreateTopics: false,
    });
    try {
      // Batches well below OCI's 1 MB request limit (a checkpoint is ~50 bytes).
      for (let i = 0; i < records.length; i += 2000) {
        await producer.send({
          messages: records
            .slice(i, i + 2000)
            .map((r) => ({ topic: "fra.checkpoints.internal", partition: 0, key: r.key!, value: r.value! })),
        });
      }
    } finally {
      await producer.close();
    }
    const client = await KafkaClient.connect({
      bootstrapServers: dr.bootstrapServers,
      sasl: { username: dr.username!, password: dr.password! },
      tls: { caPem: fs.readFileSync(dr.caPemPath!, "utf8") },
    });
    try {
      const limits = {
        concurrency: Number(values.concurrency ?? DEFAULT_GROUP_RUN_LIMITS.concurrency),
        perSecond: 0,
      };
      let read: TopicReadStats | undefined;
      const t0 = Date.now();
      const plan = await planFailover({
        dr: client,
        sourceAlias: "fra",
        limits,
        onRead: (s) => (read = s),
      });
      const t1 = Date.now();
      const result = await executeFailover(plan, { dr: client, limits });
      const t2 = Date.now();
      const committed = result.groups.filter((g) => g.status === "committed").length;
      const reads = read?.reads.get(0) ?? 0;
      process.stdout.write(
        [
          `rehearsal failover: ${groups} groups × 24 partitions (${records.length} checkpoints), concurrency ${limits.concurrency}, no rate cap`,
          `  plan ${((t1 - t0) / 1000).toFixed(2)} s (checkpoints read in ${reads} read(s) over ${((read?.elapsedMs ?? 0) / 1000).toFixed(2)} s: ${reads > 1 ? ((reads - 1) / ((read?.elapsedMs ?? 1) / 1000)).toFixed(1) : "-"} reads/s between read starts on partition 0; ${plan.groups.length} OffsetFetch)`,
          `  commit ${((t2 - t1) / 1000).toFixed(2)} s (${committed} committed)`,
          `  total ${((t2 - t0) / 1000).toFixed(2)} s`,
        ].join("\n") + "\n",
      );
    } finally {
      await client.close();
    }
  } finally {
    await dr.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`failover rehearsal: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
