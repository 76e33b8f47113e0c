import { expect } from "chai";
import * as path from "path";
import { PairConfig, stackConfigFor, validatePair } from "../../lib/program/automation";
import { ValidationError } from "../../lib/core/errors";
import {
  PlanError,
  planDocument,
  PlannedResource,
  referenceOutputsOf,
  runStack,
  StackPlan,
} from "../../dev/plan/runStack";
import { richPair, TOKEN } from "./automationFixtures";

const ROOT = path.join(__dirname, "..", "..");
/** The inline program `localPairWorkspace` runs, as a module for the plan worker. */
const PROGRAM = path.join(ROOT, "tests", "fixtures", "automation", "program.ts");
const PRIMARY = "acme/oci-geo-streaming/primary";
const DR = "acme/oci-geo-streaming/dr";

/** Runs the inline program for one stack of the pair under the OCI mock engine, with the config the API sets. */
function plan(
  pair: PairConfig,
  role: "primary" | "dr",
  direction: "primary-to-dr" | "dr-to-primary",
  stackOutputs: Record<string, StackPlan> = {},
): Promise<StackPlan> {
  return runStack({
    projectDir: ROOT,
    program: PROGRAM,
    stack: role,
    config: stackConfigFor(pair, role, direction),
    stackOutputs: Object.fromEntries(
      Object.entries(stackOutputs).map(([k, p]) => [k, referenceOutputsOf(p)]),
    ),
  });
}

function ofType(p: StackPlan, type: string): PlannedResource[] {
  return p.resources.filter((r) => r.type === type);
}

function one(p: StackPlan, type: string): PlannedResource {
  const found = ofType(p, type);
  expect(found, `${p.stack}: ${type}`).to.have.length(1);
  return found[0];
}

const RPC = "oci:Core/remotePeeringConnection:RemotePeeringConnection";
const LAYER = "oci-geo-streaming:replication:ReplicationLayer";
const REF = "pulumi:pulumi:StackReference";

/** Resources outside the replication layer and the StackReference/root, by URN, with their inputs. */
function footprint(p: StackPlan): Map<string, Record<string, unknown>> {
  return new Map(
    p.resources
      .filter((r) => !r.urn.includes(LAYER) && r.type !== REF && r.type !== "pulumi:pulumi:Stack")
      .map((r) => [r.urn, r.inputs]),
  );
}

describe("automation: the inline program under the mock engine, with the config the API sets", function () {
  this.timeout(120_000);
  const pair = richPair();
  // Normal operation, then the failback state, in the order the API applies them.
  let primary: StackPlan;
  let dr: StackPlan;
  let primaryFailback: StackPlan;
  let drFailback: StackPlan;

  before(async () => {
    primary = await plan(pair, "primary", "primary-to-dr");
    dr = await plan(pair, "dr", "primary-to-dr", { [PRIMARY]: primary });
    primaryFailback = await plan(pair, "primary", "dr-to-primary", { [DR]: dr });
    drFailback = await plan(pair, "dr", "dr-to-primary", { [PRIMARY]: primaryFailback });
  });

  it("primary-to-dr: the dr reads the primary by its qualified name and peers its RPC to the primary's", () => {
    expect(one(dr, REF).inputs).to.deep.equal({ name: PRIMARY });
    expect(one(dr, RPC).inputs.peerId).to.equal(primary.outputs.remotePeeringConnectionId);
    expect(one(dr, RPC).inputs.peerRegionName).to.equal("eu-frankfurt-1");
    expect(one(primary, RPC).inputs.peerId).to.equal(undefined);
    expect(ofType(primary, REF)).to.have.length(0);
    expect(one(primary, "pulumi:providers:oci").inputs).to.include({
      region: "eu-frankfurt-1",
      configFileProfile: "FRA",
    });
  });

  it("primary-to-dr: the replication layer exists only in dr, pulling from the primary's pool", () => {
    expect(ofType(primary, LAYER)).to.have.length(0);
    expect(ofType(primary, "oci:Core/instance:Instance")).to.have.length(0);
    expect(ofType(dr, LAYER)).to.have.length(1);
    expect(ofType(dr, "oci:Core/instance:Instance")).to.have.length(3);
    const props = String(dr.outputs.mm2Properties);
    expect(props).to.match(/^fra->ams\.enabled=true$/m);
    expect(props).to.contain(`fra.bootstrap.servers=${String(primary.outputs.bootstrapServers)}`);
    // Shared MM2 options, the existing user and the tenancy name, all from the config the API set.
    expect(props).to.match(/^fra->ams\.topics\.exclude=.*, test\\\\\.\.\*$/m);
    // The tenancy has identity domains (the default): the Kafka username carries the domain.
    expect(props).to.contain(`username="acme/Default/mm2-dr/${String(primary.outputs.streamPoolId)}"`);
    expect(props).to.match(/^tasks\.max=8$/m);
    for (const i of ofType(dr, "oci:Core/instance:Instance")) {
      expect((i.inputs.shapeConfig as Record<string, unknown>).ocpus, i.name).to.equal(4);
    }
  });

  it("primary-to-dr: the primary opens its pool to the dr fleet's subnet from config alone", () => {
    const rules = ofType(
      primary,
      "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
    ).filter(
      (r) =>
        r.inputs.direction === "INGRESS" && r.inputs.source === "10.20.8.0/24" && r.inputs.protocol === "6",
    );
    expect(
      rules.map((r) => (r.inputs.tcpOptions as { destinationPortRange: unknown }).destinationPortRange),
    ).to.deep.include({ min: 9092, max: 9092 });
  });

  it("keeps the existing auth token secret end to end: in the Vault secret and nowhere in the plan", () => {
    expect(ofType(dr, "oci:Identity/user:User")).to.have.length(0);
    expect(ofType(dr, "oci:Kms/vault:Vault")).to.have.length(0);
    const secret = one(dr, "oci:Vault/secret:Secret");
    expect(secret.inputs.vaultId).to.equal(pair.dr.mirrorMaker?.vaultId);
    expect((secret.inputs.secretContent as Record<string, unknown>).content).to.equal("[secret]");
    for (const p of [primary, dr, primaryFailback, drFailback]) {
      expect(JSON.stringify(planDocument(p)), p.stack).to.not.contain(TOKEN);
      expect(JSON.stringify(p.outputs), p.stack).to.not.contain(TOKEN);
    }
  });

  it("dr-to-primary: the primary reads the dr stack and its fleet pulls from the dr pool", () => {
    expect(one(primaryFailback, REF).inputs).to.deep.equal({ name: DR });
    expect(ofType(primaryFailback, LAYER)).to.have.length(1);
    expect(ofType(primaryFailback, "oci:Core/instance:Instance")).to.have.length(1);
    expect(one(primaryFailback, "oci:Identity/user:User").inputs.name).to.equal("mm2-failback");
    const props = String(primaryFailback.outputs.mm2Properties);
    expect(props).to.match(/^ams->fra\.enabled=true$/m);
    expect(props).to.contain(`ams.bootstrap.servers=${String(dr.outputs.bootstrapServers)}`);
  });

  it("dr-to-primary: the dr keeps its peering and its replication layer (both directions run, prefixed)", () => {
    expect(ofType(drFailback, LAYER)).to.have.length(1);
    expect(ofType(drFailback, "oci:Core/instance:Instance").length).to.be.above(0);
    expect(String(drFailback.outputs.mm2Properties)).to.match(/^fra->ams\.enabled=true$/m);
    expect(one(drFailback, RPC).inputs.peerId).to.equal(primary.outputs.remotePeeringConnectionId);
    expect([...footprint(drFailback)]).to.deep.equal([...footprint(dr)]);
  });

  it("dr-to-primary: the primary's network, pool and RPC are unchanged (failback only adds MirrorMaker)", () => {
    const before = footprint(primary);
    const after = footprint(primaryFailback);
    const added = [...after.keys()].filter((u) => !before.has(u));
    // New outside the layer: the home-region provider (IAM), and the DNS forwarding the primary's
    // fleet needs to resolve the dr pool's private FQDN (a forwarding endpoint, its 53/udp+tcp
    // egress to dr's listener, and the resolver rule); and the fleet's monitoring: its alarms, its
    // policy, MM2's log. Nothing that existed changes (the topic and throttling alarms stay).
    const dns = "oci-geo-streaming:index:GeoReplicatedStream$oci-geo-streaming:dns:PrivateDns$";
    const mon = "oci-geo-streaming:index:GeoReplicatedStream$oci-geo-streaming:monitoring:Monitoring$";
    expect(added.map((u) => u.split("::").slice(2).join("::")).sort()).to.deep.equal(
      [
        "pulumi:providers:oci::oci-home-eu-frankfurt-1",
        ...[
          "replication-lag",
          "heartbeat-stale",
          "heartbeat-absent",
          "task-failed",
          "node-down",
          "source-unreachable",
          "instance-down-0",
        ].map((k) => `${mon}oci:Monitoring/alarm:Alarm::geo-primary-monitoring-alarm-${k}`),
        `${mon}oci:Identity/policy:Policy::geo-primary-monitoring-fleet-policy`,
        `${mon}oci:Logging/logGroup:LogGroup::geo-primary-monitoring-log-group`,
        `${mon}oci:Logging/log:Log::geo-primary-monitoring-mm2-log`,
        `${mon}oci:Logging/unifiedAgentConfiguration:UnifiedAgentConfiguration::geo-primary-monitoring-mm2-log-agent`,
        `${dns}oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule::geo-primary-dns-nsg-dns-to-peer-pool-udp`,
        `${dns}oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule::geo-primary-dns-nsg-dns-to-peer-pool-tcp`,
        `${dns}oci:Dns/resolverEndpoint:ResolverEndpoint::geo-primary-dns-forwarder`,
        `${dns}oci:Dns/resolver:Resolver::geo-primary-dns-resolver`,
      ].sort(),
    );
    for (const [urn, inputs] of before) {
      expect(after.get(urn), urn).to.deep.equal(inputs);
    }
    expect(one(primaryFailback, RPC).inputs.peerId).to.equal(undefined);
  });

  it("the program rejects what validatePair rejects, on the same field", async () => {
    const cases: { change: (p: PairConfig) => void; role: "primary" | "dr"; field: string }[] = [
      {
        change: (p) => (p.primary.streams = [{ name: "orders", partitions: 6, retentionHours: 500 }]),
        role: "primary",
        field: "streams[0].retentionHours",
      },
      {
        change: (p) => (p.dr.mirrorMaker = { fleetOcpus: 999, credentialsEmail: "mm2-dr@example.com" }),
        role: "dr",
        field: "replication.fleet.ocpus",
      },
    ];
    for (const c of cases) {
      const bad = richPair();
      c.change(bad);
      let pre: unknown;
      try {
        validatePair(bad);
      } catch (e) {
        pre = e;
      }
      expect(pre).to.be.instanceOf(ValidationError);
      expect((pre as ValidationError).field).to.equal(`${c.role}.${c.field}`);
      let err: unknown;
      try {
        await plan(bad, c.role, "primary-to-dr", { [PRIMARY]: primary });
      } catch (e) {
        err = e;
      }
      expect(err, c.field).to.be.instanceOf(PlanError);
      expect(err).to.include({ errorName: "ValidationError", field: c.field });
    }
  });
});
