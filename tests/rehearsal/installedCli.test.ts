/**
 * The package as a user gets it, against real Kafka: `npm pack` of the build, installed into a
 * fresh folder (tests/support/installedPackage.ts), and its `oci-geo-streaming` bin run with plain
 * node (no ts-node, no repository) for a failover dry-run and a status against an emulated OCI pool
 * (SASL_SSL PLAIN with an OCI-shaped username, TLS from a private CA), credentials from the
 * environment only. The checkpoint is written as MirrorMaker writes one (Kafka's schema).
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { Producer } from "@platformatic/kafka";
import { encodeCheckpoint } from "../../lib/ops/failover/checkpoints";
import { ENV } from "../../lib/ops/failover/connection";
import { startCluster, type LocalCluster } from "../../dev/rehearsal/cluster";
import { ensureKafkaRuntime } from "../../dev/rehearsal/kafkaRuntime";
import { installedPackage, removeInstalledPackage } from "../support/installedPackage";
import * as fs from "node:fs";
import * as tls from "node:tls";

describe("the installed package's CLI against an emulated OCI pool (plain node)", function () {
  this.timeout(600_000);
  let dr: LocalCluster | undefined;

  before(async function () {
    const runtime = await ensureKafkaRuntime();
    dr = await startCluster({ name: "ams", ociEmulation: true, runtime });
    await dr.admin([
      { op: "createTopic", name: "fra.checkpoints.internal", partitions: 1 },
      { op: "createTopic", name: "fra.orders", partitions: 2 },
    ]);
    const producer = new Producer({
      clientId: "installed-cli-test",
      bootstrapBrokers: [dr.bootstrapServers],
      sasl: { mechanism: "PLAIN", username: dr.username!, password: dr.password! },
      tls: { ca: [...tls.rootCertificates, fs.readFileSync(dr.caPemPath!, "utf8")] },
      idempotent: false,
      autocreateTopics: false,
    });
    try {
      const record = (partition: number, upstream: bigint, downstream: bigint) => {
        const { key, value } = encodeCheckpoint({
          group: "billing",
          topic: "fra.orders",
          partition,
          upstreamOffset: upstream,
          downstreamOffset: downstream,
          metadata: "",
        });
        return { topic: "fra.checkpoints.internal", partition: 0, key, value };
      };
      await producer.send({ messages: [record(0, 120n, 117n), record(1, 40n, 38n)] });
    } finally {
      await producer.close();
    }
  });

  after(async function () {
    await dr?.stop();
    removeInstalledPackage();
  });

  function runBin(args: string[], env: Record<string, string>) {
    const pkg = installedPackage();
    const r = spawnSync(process.execPath, [pkg.bin, ...args], {
      cwd: pkg.dir,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      timeout: 120_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }

  function drEnv(): Record<string, string> {
    return {
      [ENV.bootstrapServers]: dr!.bootstrapServers,
      [ENV.username]: dr!.username!,
      [ENV.password]: dr!.password!,
      [ENV.caPem]: dr!.caPemPath!,
    };
  }

  it("plans the group's failover from MirrorMaker's checkpoints, committing nothing", () => {
    const r = runBin(["failover", "--source", "fra", "--dry-run", "--json"], drEnv());
    expect(r.code, r.err).to.equal(0);
    const doc = JSON.parse(r.out) as {
      plan: {
        groups: { group: string; partitions: { topic: string; partition: number; offset: number }[] }[];
      };
    };
    const billing = doc.plan.groups.find((g) => g.group === "billing");
    expect(billing, r.out).to.not.equal(undefined);
    expect(billing!.partitions.map((p) => [p.topic, p.partition, p.offset])).to.deep.equal([
      ["fra.orders", 0, 117],
      ["fra.orders", 1, 38],
    ]);
    // Nothing leaks: the token is in the environment, never echoed.
    expect(r.out + r.err).to.not.contain(dr!.password!);
  });

  it("refuses a wrong token with one line naming the cluster, and no stack trace", () => {
    const r = runBin(["failover", "--source", "fra", "--dry-run"], {
      ...drEnv(),
      [ENV.password]: "not-the-token",
    });
    expect(r.code).to.equal(1);
    expect(r.err).to.contain("cannot connect to the dr cluster");
    expect(r.err).to.not.match(/\n\s+at /);
  });

  it("status with only the dr reachable (the disaster): unhealthy, says so, and reports what dr alone knows", () => {
    const env = Object.fromEntries(
      Object.entries(drEnv()).map(([k, v]) => [k.replace("OCI_GEO_KAFKA_", "OCI_GEO_DR_KAFKA_"), v]),
    );
    const r = runBin(["status", "--primary-alias", "fra", "--dr-alias", "ams"], env);
    expect(r.code, r.err).to.equal(3);
    expect(r.out).to.contain("fra->ams: UNHEALTHY");
    expect(r.out).to.contain("source fra UNREACHABLE: no primary connection given");
    expect(r.out).to.match(/orders:0 +\? +\? +never/);
    expect(r.out).to.contain("if fra were lost now: unknown");
    expect(r.out).to.contain("checkpoint of group billing:");
  });
});
