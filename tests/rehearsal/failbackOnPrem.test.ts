/**
 * Failback to an on-premises primary on real brokers (Kafka 4.1.2) and the real MirrorMaker 2:
 * dr is an emulated OCI pool (`ams`); the primary is an on-prem stand-in, once with SASL SCRAM
 * (SASL_PLAINTEXT) and once with mutual TLS (SSL, client certificate required). The reverse flow
 * ams -> primary runs MM2 on exactly what `renderMm2Properties` writes for the model (the mTLS one
 * with PEM trust and key stores delivered as Vault secret files), so `failback wait` and
 * `failback translate` run against a SCRAM and an mTLS primary through the CLI, the connection
 * settings coming from the environment for one step and from a Kafka properties file for the other.
 *
 * Compression on both sides: dr's topics are written by Kafka's Java producer with gzip, snappy,
 * lz4 and zstd; MM2's producer on the primary compresses with zstd (test-only override
 * `<primary>.producer.compression.type=zstd`). The raw batches of both sides are checked, so the
 * tools' read paths (last-record comparison, checkpoints) really decode compressed batches.
 *
 * Negative controls: `wait` times out while MM2 is not running; a wrong SCRAM password and a
 * missing client certificate end in one line naming the primary cluster, without a stack trace or
 * the secret.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { clusterEnvName, runFailbackCli, type FailbackCliIo } from "../../lib/ops/cli/failback";
import { ENV } from "../../lib/ops/failover/connection";
import { emptyState, loadState, markFinished, markStarted, saveState } from "../../lib/ops/failback/state";
import type { FailbackPlan } from "../../lib/ops/failback/translate";
import { KafkaClient, type KafkaClientOptions } from "../../lib/ops/kafka/client";
import type { ReplicationModelInput } from "../../lib/core/mm2";
import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime, type KafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { logTail, type MirrorMakerHandle } from "../../dev/rehearsal/mirrorMaker";
import {
  externalClusterSpec,
  ociClusterSpec,
  prepareModelMirrorMaker,
  startModelNode,
} from "../../dev/rehearsal/modelConfig";
import { runningManagedProcesses } from "../../dev/rehearsal/processes";
import { formatProperties, produce } from "../../dev/rehearsal/tools";
import { batchCodecs } from "../support/rawBatches";
import { FakeWorkspace } from "../unit/automationFixtures";

const CODECS = ["gzip", "snappy", "lz4", "zstd"] as const;
const TOPICS = CODECS.map((c) => `orders-${c}`);
const P = 2;
const RECORDS = 120;
const GROUP = "onprem-app";
/** Where the group stands on dr's own topics before the failback: partition → offset. */
const ON_DR = [37, 22];

interface Variant {
  alias: string;
  security: "scram" | "mtls";
  /** The primary's connection for the `wait` step, as environment variables (unprefixed names). */
  env: (c: LocalCluster) => Record<string, string>;
  /** The same connection as a Kafka client properties file, for `translate`. */
  properties: (c: LocalCluster) => Record<string, string>;
  /** What the adapter connects with (test's own reads). */
  options: (c: LocalCluster) => KafkaClientOptions;
}

const VARIANTS: Variant[] = [
  {
    alias: "opscram",
    security: "scram",
    env: (c) => ({
      [ENV.bootstrapServers]: c.bootstrapServers,
      [ENV.securityProtocol]: "SASL_PLAINTEXT",
      [ENV.saslMechanism]: "SCRAM-SHA-512",
      [ENV.username]: c.username!,
      [ENV.password]: c.password!,
    }),
    // SCRAM-SHA-256 here (the broker has both), through ScramLoginModule.
    properties: (c) => ({
      "bootstrap.servers": c.bootstrapServers,
      "security.protocol": "SASL_PLAINTEXT",
      "sasl.mechanism": "SCRAM-SHA-256",
      "sasl.jaas.config": `org.apache.kafka.common.security.scram.ScramLoginModule required username="${c.username}" password="${c.password}";`,
    }),
    options: (c) => ({
      bootstrapServers: c.bootstrapServers,
      sasl: { mechanism: "SCRAM-SHA-512", username: c.username!, password: c.password! },
      tls: false,
    }),
  },
  {
    alias: "opmtls",
    security: "mtls",
    // Key and chain in one file, as Kafka's PEM key store holds them.
    env: (c) => ({
      [ENV.bootstrapServers]: c.bootstrapServers,
      [ENV.securityProtocol]: "SSL",
      [ENV.caPem]: c.caPemPath!,
      [ENV.clientCertPem]: c.clientKeystorePemPath!,
    }),
    properties: (c) => ({
      "bootstrap.servers": c.bootstrapServers,
      "security.protocol": "SSL",
      "ssl.truststore.type": "PEM",
      "ssl.truststore.location": c.caPemPath!,
      "ssl.keystore.type": "PEM",
      "ssl.keystore.location": c.clientKeystorePemPath!,
    }),
    options: (c) => {
      const keystore = fs.readFileSync(c.clientKeystorePemPath!, "utf8");
      return {
        bootstrapServers: c.bootstrapServers,
        tls: {
          caPem: fs.readFileSync(c.caPemPath!, "utf8"),
          certPem: keystore,
          keyPem: keystore,
        },
      };
    },
  },
];

function tpo(entries: Record<string, number[]>): Map<string, Map<number, number>> {
  return new Map(Object.entries(entries).map(([t, offs]) => [t, new Map(offs.map((o, p) => [p, o]))]));
}

describe("failback to an on-prem primary (SCRAM, mTLS): wait and translate on compressed records", function () {
  this.timeout(600_000);
  let runtime: KafkaRuntime;
  let workDir: string;
  let ams: LocalCluster | undefined;
  let dr: KafkaClient | undefined;
  const drEnv: Record<string, string> = {};

  before(async function () {
    runtime = await ensureKafkaRuntime();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "ocigeo-failback-onprem-"));
    ams = await startCluster({
      name: "ams",
      ociEmulation: true,
      runtime,
      heapMb: 384,
      region: "eu-amsterdam-1",
    });
    await ams.admin(TOPICS.map((name) => ({ op: "createTopic" as const, name, partitions: P })));
    const runs = await Promise.all(
      CODECS.map((codec) =>
        produce(runtime, ams!.toolClient(), {
          topic: `orders-${codec}`,
          records: RECORDS,
          runId: `ams-${codec}`,
          partitions: P,
          valueBytes: 200,
          producerProperties: { "compression.type": codec, "linger.ms": "100", "batch.size": "32768" },
        }),
      ),
    );
    for (const r of runs) expect(r.acked, JSON.stringify(r.error)).to.equal(RECORDS);
    dr = await KafkaClient.connect(drOptions());
    // The group consumed on dr after the failover (a consumer's commit, standing in).
    await dr.commitOffsets(GROUP, tpo(Object.fromEntries(TOPICS.map((t) => [t, ON_DR]))));
    for (const t of TOPICS) {
      expect(new Set(await batchCodecs(drOptions(), t, 0)), `${t} on dr`).to.deep.equal(
        new Set([t.slice("orders-".length)]),
      );
    }
    Object.assign(drEnv, {
      [clusterEnvName("dr", ENV.bootstrapServers)]: ams.bootstrapServers,
      [clusterEnvName("dr", ENV.username)]: ams.username!,
      [clusterEnvName("dr", ENV.password)]: ams.password!,
      [clusterEnvName("dr", ENV.caPem)]: ams.caPemPath!,
    });
  });

  function drOptions(): KafkaClientOptions {
    return {
      bootstrapServers: ams!.bootstrapServers,
      sasl: { username: ams!.username!, password: ams!.password! },
      tls: { caPem: fs.readFileSync(ams!.caPemPath!, "utf8") },
    };
  }

  after(async function () {
    await dr?.close();
    await ams?.stop();
    if (process.env.OCI_GEO_REHEARSAL_KEEP !== "1" && workDir)
      fs.rmSync(workDir, { recursive: true, force: true });
  });

  for (const v of VARIANTS) {
    describe(`primary: ${v.security === "scram" ? "SCRAM (SASL_PLAINTEXT)" : "mutual TLS (SSL)"}`, function () {
      let primary: LocalCluster | undefined;
      let mm: MirrorMakerHandle | undefined;
      let prepared: Awaited<ReturnType<typeof prepareModelMirrorMaker>>;
      let stateFile: string;
      let propertiesFile: string;
      const out: string[] = [];
      const err: string[] = [];
      let env: Record<string, string | undefined> = {};
      const io = (): FailbackCliIo => ({
        env,
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        readFile: (p) => fs.readFileSync(p, "utf8"),
        connect: (o) => KafkaClient.connect(o),
        workspace: new FakeWorkspace([]),
      });
      const cli = async (args: string[]): Promise<number> => {
        out.length = 0;
        err.length = 0;
        const code = await runFailbackCli([...args, "--state", stateFile], io());
        for (const l of args.includes("--json") ? err : [...out, ...err]) console.log(`        | ${l}`);
        return code;
      };

      before(async function () {
        const dir = path.join(workDir, v.alias);
        fs.mkdirSync(dir, { recursive: true });
        primary = await startCluster({
          name: v.alias,
          ociEmulation: false,
          security: v.security,
          runtime,
          heapMb: 384,
        });
        const model: ReplicationModelInput = {
          clusters: [
            ociClusterSpec("ams", ams!, { topics: TOPICS.map((name) => ({ name, partitions: P })) }),
            externalClusterSpec(v.alias, primary),
          ],
          flows: [{ source: "ams", target: v.alias, topics: { include: TOPICS } }],
          target: v.alias,
          fleet: { nodes: 1, coresPerNode: 2 },
          refresh: { topicsIntervalSeconds: 5, groupsIntervalSeconds: 5, checkpointIntervalSeconds: 5 },
        };
        prepared = await prepareModelMirrorMaker({
          model,
          clusters: { ams: ams!, [v.alias]: primary },
          workDir: dir,
          createTopics: false,
          // Test-only: MM2's producer on the primary compresses what it copies.
          edit: (text) => `${text}\n${v.alias}.producer.compression.type=zstd\n`,
        });
        if (v.security === "mtls") {
          expect(prepared.rendered).to.match(new RegExp(`^${v.alias}\\.ssl\\.keystore\\.type=PEM$`, "m"));
        }
        stateFile = path.join(dir, "state.json");
        let s = emptyState();
        s = markFinished(
          markStarted({ ...s, primaryAlias: v.alias, drAlias: "ams" }, "reverse", false, new Date()),
          "reverse",
          { ok: true, summary: "rehearsal: MM2 started by the test" },
          new Date(),
        );
        saveState(stateFile, s);
        propertiesFile = path.join(dir, "primary.properties");
        fs.writeFileSync(propertiesFile, formatProperties(v.properties(primary)), { mode: 0o600 });
        env = { ...drEnv };
        for (const [k, value] of Object.entries(v.env(primary))) env[clusterEnvName("primary", k)] = value;
      });

      after(async function () {
        await mm?.stop();
        await primary?.stop();
      });

      it("refuses a wrong credential in one line naming the primary (no stack trace, no secret)", async function () {
        const saved = env;
        const wrong = "wrong-secret-4711";
        if (v.security === "scram") {
          env = { ...saved, [clusterEnvName("primary", ENV.password)]: wrong };
        } else {
          env = { ...saved };
          delete env[clusterEnvName("primary", ENV.clientCertPem)];
        }
        const code = await cli(["wait", "--topic", TOPICS.join(","), "--timeout", "5", "--poll", "1"]);
        env = saved;
        const text = [...out, ...err].join("\n");
        expect(code, text).to.equal(1);
        expect(err).to.have.length(1);
        expect(err[0]).to.match(
          new RegExp(
            `^failback: wait: cannot connect to the primary cluster \\(${primary!.bootstrapServers} as .*\\): connect on ${primary!.bootstrapServers} failed: `,
          ),
        );
        if (v.security === "scram") {
          expect(err[0]).to.match(
            /as opscram-mm2 \(SASL SCRAM-SHA-512\), no TLS\): .*authentication failed: .*SASL_AUTHENTICATION_FAILED/,
          );
        } else {
          expect(err[0]).to.match(
            /as \(no SASL\), TLS \(given CA\)\): .*does the broker require a client certificate\?/,
          );
        }
        expect(text).to.not.include(wrong);
        expect(text).to.not.match(/\n\s+at /);
        expect(loadState(stateFile).steps.wait?.status).to.not.equal("done");
      });

      it("wait: times out while the reverse MM2 is not running, then catches up; both sides' batches are compressed", async function () {
        expect(await cli(["wait", "--topic", TOPICS.join(","), "--timeout", "2", "--poll", "1"])).to.equal(3);
        expect(err.join("\n")).to.match(/wait timed out/);
        mm = await startModelNode(prepared, { runtime });
        const t0 = Date.now();
        const code = await cli(["wait", "--topic", TOPICS.join(","), "--timeout", "240", "--poll", "2"]);
        expect(code, `${err.join("\n")}\n${logTail(mm)}`).to.equal(0);
        console.log(`      wait: caught up ${((Date.now() - t0) / 1000).toFixed(1)} s after MM2 started`);
        expect(loadState(stateFile).steps.wait?.status).to.equal("done");
        // Not a false positive: every record is on the primary, and MM2 wrote zstd batches there.
        const onPrimary = await KafkaClient.connect(v.options(primary!));
        try {
          for (const t of TOPICS) {
            const copy = await onPrimary.readAll(`ams.${t}`);
            const original = await dr!.readAll(t);
            expect(copy.length, t).to.equal(RECORDS);
            expect(copy.map((r) => r.value?.toString())).to.deep.equal(
              original.map((r) => r.value?.toString()),
            );
            expect(copy.map((r) => r.timestamp)).to.deep.equal(original.map((r) => r.timestamp));
            expect(
              new Set(await batchCodecs(v.options(primary!), `ams.${t}`, 0)),
              `ams.${t} on the primary`,
            ).to.deep.equal(new Set(["zstd"]));
          }
        } finally {
          await onPrimary.close();
        }
      });

      it("translate (settings from a properties file): commits on the primary; Kafka's AdminClient reads them back", async function () {
        const saved = env;
        env = { ...drEnv };
        const code = await cli([
          "translate",
          // Named: MM2 may not have checkpointed it yet, and --checkpoint-wait waits for it.
          "--group",
          GROUP,
          "--primary-config",
          propertiesFile,
          "--checkpoint-wait",
          "180",
          "--poll",
          "2",
          "--json",
        ]);
        env = saved;
        expect(code, `${err.join("\n")}\n${mm ? logTail(mm) : ""}`).to.equal(0);
        const doc = JSON.parse(out.join("\n")) as { plan: FailbackPlan };
        const g = doc.plan.groups.find((x) => x.group === GROUP)!;
        expect(g.partitions.map((p) => `${p.topic}:${p.partition}`)).to.deep.equal(
          TOPICS.flatMap((t) => [0, 1].map((p) => `ams.${t}:${p}`)).sort(),
        );
        let duplicates = 0;
        for (const p of g.partitions) {
          expect(p.kind).to.equal("checkpoint");
          // From the group's last commit on dr, never past it.
          expect(p.upstreamOffset, `${p.topic}:${p.partition}`).to.equal(ON_DR[p.partition]);
          expect(p.offset).to.be.at.most(ON_DR[p.partition]).and.at.least(0);
          duplicates += ON_DR[p.partition] - p.offset;
        }
        const [java] = await primary!.admin([{ op: "groupOffsets", group: GROUP }]);
        expect(java.ok, JSON.stringify(java)).to.equal(true);
        expect(java.offsets).to.deep.equal(
          Object.fromEntries(g.partitions.map((p) => [`${p.topic}:${p.partition}`, p.offset])),
        );
        console.log(
          `      translate: ${g.partitions.length} partitions committed on ${v.alias}; duplicates ${duplicates}`,
        );
        expect(loadState(stateFile).steps.translate?.status).to.equal("done");
      });
    });
  }

  // Mocha runs a suite's own tests before its child suites: this check lives in the last child.
  describe("afterwards", function () {
    it("leaves no rehearsal process running but dr's broker", function () {
      expect(runningManagedProcesses().map((p) => p.name)).to.deep.equal(["kafka-ams"]);
    });
  });
});
