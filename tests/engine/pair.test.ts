/**
 * The repository's stack program under the real Pulumi engine, through the Automation API
 * (lib/program/automation): a primary/dr pair on a file:// backend with passphrase secrets, the dr stack
 * reading the primary through a real StackReference, every cloud resource answered by the OCI
 * emulator plugin (dev/emulator) from the OCI model. Each operation is checked against the stacks'
 * real state (`pulumi stack export`) and the emulated tenancy.
 */
import { LocalWorkspace, OpMap, OutputMap, EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  completeFailback,
  deployPair,
  destroyPair,
  PairConfig,
  PairStepError,
  previewPair,
  readOutputs,
  ReplicationDirection,
  stackConfigFor,
  startFailback,
} from "../../lib/program/automation";
import { stackProgram } from "../../lib/program/stackProgram";
import { Role } from "../../lib/core/config/args";
import { plaintextSecrets, secretsInText, withPlanted } from "./secrets";
import {
  buildEmulator,
  cloudResources,
  ExportedResource,
  nameOf,
  ofType,
  progress,
  requireTools,
  resourcesOf,
  Sandbox,
  StackExport,
} from "./support";

const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaa5x2rdkq4vfu6r3jgiqdjvnqwz7xq7fnv3xhm3f2tkl4yc3e6lmoa";
const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";
/** The dr fleet's existing user's auth token: it must reach the state only encrypted. */
const DR_TOKEN = "engine-tier-dr-token-Qm3xV7pL2w";
const STREAMS = [
  { name: "orders", partitions: 6, retentionHours: 168 },
  { name: "payments", partitions: 3, retentionHours: 72 },
];
const STACK = { primary: "organization/oci-geo-streaming/primary", dr: "organization/oci-geo-streaming/dr" };

const T = {
  instance: "oci:Core/instance:Instance",
  stream: "oci:Streaming/stream:Stream",
  pool: "oci:Streaming/streamPool:StreamPool",
  rpc: "oci:Core/remotePeeringConnection:RemotePeeringConnection",
  harness: "oci:Streaming/connectHarness:ConnectHarness",
  token: "oci:Identity/authToken:AuthToken",
  user: "oci:Identity/user:User",
  secret: "oci:Vault/secret:Secret",
  ref: "pulumi:pulumi:StackReference",
};

function pairIn(sandbox: Sandbox, change: (p: PairConfig) => void = () => undefined): PairConfig {
  const pair: PairConfig = {
    backendUrl: sandbox.backendUrl,
    primary: {
      region: "eu-frankfurt-1",
      compartmentId: COMPARTMENT,
      vcnCidr: "10.10.0.0/16",
      streams: STREAMS.map((s) => ({ ...s })),
      // The tier destroys the pair at the end: the pools are not protected (default: protected).
      streamPoolProtect: false,
      // The primary's fleet during failback: a created user and token.
      mirrorMaker: {
        credentialsEmail: "mm2-primary@example.com",
        credentialsUserName: "mm2-primary",
        fleetSize: 1,
      },
    },
    dr: {
      region: "eu-amsterdam-1",
      compartmentId: COMPARTMENT,
      vcnCidr: "10.20.0.0/16",
      streams: STREAMS.map((s) => ({ ...s })),
      streamPoolProtect: false,
      mirrorMaker: {
        credentialsUserName: "mm2-dr",
        credentialsAuthToken: DR_TOKEN,
        fleetSize: 2,
        bastionClientCidrs: ["203.0.113.0/24"],
      },
    },
    replication: { tenancyId: TENANCY, homeRegion: "eu-frankfurt-1" },
  };
  change(pair);
  return pair;
}

/** The plain values of an OutputMap. */
function values(o: OutputMap | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, v.value]));
}

function onlySame(summary: OpMap): boolean {
  return Object.entries(summary).every(([op, n]) => op === "same" || n === 0);
}

/** The root stack resource's outputs in an export. */
function stackOutputs(e: StackExport): Record<string, unknown> {
  return resourcesOf(e).find((r) => r.type === "pulumi:pulumi:Stack")?.outputs ?? {};
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const isCiphertext = (v: unknown) =>
  typeof v === "object" && v !== null && Object.values(v).includes(SECRET_SIG) && "ciphertext" in v;

/** The resources a resource depends on, by URN (dependencies, property dependencies; not its parent or provider). */
function dependenciesOf(r: ExportedResource): string[] {
  return [...new Set([...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()])];
}

interface Step {
  op: string;
  urn: string;
  type: string;
  keys: string[];
  diffs: string[];
}

describe("engine: the pair through the Automation API on the real engine", function () {
  this.timeout(900_000);
  let sandbox: Sandbox;
  let local: {
    envVars: Record<string, string>;
    pulumiCommand: Awaited<ReturnType<Sandbox["pulumiCommand"]>>;
  };
  /** Everything the CLI printed, across every operation (scanned for secrets at the end). */
  let log = "";
  const exports: Record<Role, StackExport | undefined> = { primary: undefined, dr: undefined };
  let beforeDestroy: Record<Role, StackExport | undefined> = { primary: undefined, dr: undefined };
  /** The tenancy's last operation before the first destroy. */
  let destroyFrom = 0;
  const knownSecrets = [DR_TOKEN];

  const onOutput = (what: string) => {
    const say = progress(what);
    return (text: string, role: Role) => {
      log += text;
      for (const line of text.split("\n")) {
        if (/^\[(primary|dr)\] |Resources:|^\s+[+~-]+ \d+ |^\s+\d+ unchanged|Duration:|error:/.test(line)) {
          say(`${role}: ${line.trim()}`);
        }
      }
    };
  };

  const exportBoth = async () => {
    for (const role of ["primary", "dr"] as const) exports[role] = await sandbox.exportStack(STACK[role]);
    return exports as Record<Role, StackExport>;
  };

  /** A preview of one stack with `pair`'s config, step by step (the pair API reports counts only). */
  const previewSteps = async (
    pair: PairConfig,
    role: Role,
    direction: ReplicationDirection,
  ): Promise<Step[]> => {
    const workDir = fs.mkdtempSync(path.join(sandbox.dir, "preview-"));
    const stack = await LocalWorkspace.selectStack(
      { stackName: STACK[role], projectName: "oci-geo-streaming", program: stackProgram },
      {
        workDir,
        envVars: local.envVars,
        pulumiCommand: local.pulumiCommand,
        projectSettings: {
          name: "oci-geo-streaming",
          runtime: "nodejs",
          backend: { url: sandbox.backendUrl },
        },
      },
    );
    await stack.setAllConfig(stackConfigFor(pair, role, direction));
    const steps: Step[] = [];
    await stack.preview({
      onOutput: (t) => (log += t),
      onEvent: (e: EngineEvent) => {
        const m = e.resourcePreEvent?.metadata;
        if (m) steps.push({ op: m.op, urn: m.urn, type: m.type, keys: m.keys ?? [], diffs: m.diffs ?? [] });
      },
    });
    fs.rmSync(workDir, { recursive: true, force: true });
    return steps;
  };

  before(async () => {
    requireTools();
    buildEmulator();
    sandbox = new Sandbox("pair");
    local = { envVars: sandbox.env, pulumiCommand: await sandbox.pulumiCommand() };
    // The workspaces' temporary directories land here: none may be left behind.
    process.env.TMPDIR = path.join(sandbox.dir, "tmp");
    fs.mkdirSync(process.env.TMPDIR, { recursive: true });
  });

  after(() => {
    delete process.env.TMPDIR;
  });

  it("deployPair: primary, then dr reading the primary's peering through a StackReference", async () => {
    const result = await deployPair(pairIn(sandbox), { local, onOutput: onOutput("deployPair") });
    const e = await exportBoth();
    expect(e.primary.deployment.secrets_providers?.type).to.equal("passphrase");
    // The primary: its pool and declared streams, an acceptor RPC, no replication layer.
    const primaryPool = ofType(e.primary, T.pool);
    expect(primaryPool).to.have.length(1);
    expect(
      ofType(e.primary, T.stream)
        .map((r) => r.inputs?.name)
        .sort(),
    ).to.deep.equal(["orders", "payments"]);
    expect(ofType(e.primary, T.instance)).to.have.length(0);
    // What the API reported is what the state holds.
    const poolOut = primaryPool[0].outputs as { kafkaSettings: { bootstrapServers: string } };
    expect(result.primary.result.outputs.bootstrapServers.value).to.equal(
      poolOut.kafkaSettings.bootstrapServers,
    );
    expect(result.primary.result.outputs.streamPoolId.value).to.equal(primaryPool[0].id);
    // dr: a real StackReference to the primary, whose peering output it used.
    const [ref] = ofType(e.dr, T.ref);
    expect(ref.inputs?.name).to.equal(STACK.primary);
    const peering = (ref.outputs?.outputs as { peering: { remotePeeringConnectionId: string } }).peering;
    const [primaryRpc] = ofType(e.primary, T.rpc);
    expect(peering.remotePeeringConnectionId).to.equal(primaryRpc.id);
    const [drRpc] = ofType(e.dr, T.rpc);
    expect(drRpc.inputs?.peerId).to.equal(primaryRpc.id);
    expect(drRpc.inputs?.peerRegionName).to.equal("eu-frankfurt-1");
    // dr: the fleet (two VMs), the harness, remote copies and MM2's topics; the existing user's token in Vault.
    expect(ofType(e.dr, T.instance)).to.have.length(2);
    expect(ofType(e.dr, T.harness)).to.have.length(1);
    expect(ofType(e.dr, T.stream).map((r) => r.inputs?.name)).to.include.members([
      "fra.orders",
      "fra.payments",
      "heartbeats",
    ]);
    expect(ofType(e.dr, T.token)).to.have.length(0);
    const [vaultSecret] = ofType(e.dr, T.secret).filter((s) =>
      String(s.inputs?.secretName).includes("auth-token"),
    );
    const content = (vaultSecret.inputs?.secretContent as { content: unknown }).content;
    expect(isCiphertext(content), "the token secret's content is encrypted").to.equal(true);
    // The emulated tenancy holds exactly the stacks' cloud resources, in their regions.
    const tenancy = sandbox.tenancy();
    for (const role of ["primary", "dr"] as const) {
      for (const r of cloudResources(e[role])) {
        expect(tenancy.resources[r.id!], `${nameOf(r.urn)} in the tenancy`).to.not.equal(undefined);
      }
    }
    expect(Object.keys(tenancy.resources)).to.have.length(
      cloudResources(e.primary).length + cloudResources(e.dr).length,
    );
    expect(tenancy.resources[drRpc.id!].region).to.equal("eu-amsterdam-1");
    // The API's count: every resource but the read StackReference and the engine's default providers
    // (random's, and the builtin one StackReference uses).
    expect(result.dr.result.resourceChanges?.create).to.equal(
      resourcesOf(e.dr).filter((r) => r.type !== T.ref && !/^default(_|$)/.test(nameOf(r.urn))).length,
    );
  });

  it("readOutputs: each stack's outputs as the state holds them, secrets flagged", async () => {
    const out = await readOutputs(pairIn(sandbox), { local });
    for (const role of ["primary", "dr"] as const) {
      const stored = stackOutputs(exports[role]!);
      expect(Object.keys(out[role] ?? {}).sort(), role).to.deep.equal(Object.keys(stored).sort());
      for (const [k, v] of Object.entries(out[role] ?? {})) {
        if (isCiphertext(stored[k])) {
          expect(v.secret, `${role}.${k} is secret`).to.equal(true);
        } else {
          expect(v.value, `${role}.${k}`).to.deep.equal(stored[k]);
        }
      }
    }
    expect(values(out.dr).region).to.equal("eu-amsterdam-1");
  });

  it("preview right after up: no change on either stack (user-data, secrets, ordering stable)", async () => {
    const r = await previewPair(pairIn(sandbox), { local, onOutput: onOutput("previewPair") });
    expect(r.primary.result.changeSummary, "primary").to.satisfy(onlySame);
    expect(r.dr?.result.changeSummary, "dr").to.satisfy(onlySame);
    // Every resource was previewed (the providers are not counted).
    expect(r.dr?.result.changeSummary.same).to.be.above(cloudResources(exports.dr!).length);
  });

  it("startFailback: the primary's fleet pulls from dr (created user and token), dr keeps replicating", async () => {
    const r = await startFailback(pairIn(sandbox), { local, onOutput: onOutput("startFailback") });
    expect(r.steps.map((s) => `${s.role}:${s.action}`)).to.deep.equal(["primary:enable"]);
    const e = await exportBoth();
    expect(ofType(e.primary, T.instance)).to.have.length(1);
    expect(ofType(e.primary, T.harness)).to.have.length(1);
    expect(ofType(e.primary, T.stream).map((s) => s.inputs?.name)).to.include.members([
      "ams.orders",
      "ams.payments",
    ]);
    expect(ofType(e.primary, T.ref).map((x) => x.inputs?.name)).to.deep.equal([STACK.dr]);
    expect(ofType(e.dr, T.instance)).to.have.length(2);
    const [token] = ofType(e.primary, T.token);
    expect(isCiphertext(token.outputs?.token), "the created token is encrypted in the state").to.equal(true);
    // The token as the tenancy holds it (what OCI returned): never in the state in plaintext.
    const issued = sandbox.tenancy().resources[token.id!].outputs.token as { value?: string } | string;
    const plain = typeof issued === "string" ? issued : String(issued.value);
    expect(plain).to.match(/^MOCK-authtoken-/);
    knownSecrets.push(plain);
  });

  it("completeFailback: back to dr pulling; the primary's replication layer (user, token) is gone", async () => {
    const r = await completeFailback(pairIn(sandbox), { local, onOutput: onOutput("completeFailback") });
    expect(r.steps.map((s) => `${s.role}:${s.action}`)).to.deep.equal(["dr:enable", "primary:disable"]);
    const e = await exportBoth();
    for (const t of [T.instance, T.harness, T.token, T.user]) {
      expect(ofType(e.primary, t), t).to.have.length(0);
    }
    expect(ofType(e.primary, T.ref)).to.have.length(0);
    expect(ofType(e.dr, T.instance)).to.have.length(2);
    const tenancy = sandbox.tenancy();
    expect(Object.values(tenancy.resources).filter((x) => x.type === T.token)).to.have.length(0);
    expect(tenancy.log.filter((o) => o.op === "delete" && o.type === T.token)).to.have.length(1);
  });

  it("the state holds no known secret in plaintext (auth tokens), nor the CLI's output; a planted one is caught", async () => {
    const e = await exportBoth();
    for (const role of ["primary", "dr"] as const) {
      expect(plaintextSecrets(e[role], knownSecrets), role).to.deep.equal([]);
    }
    expect(secretsInText(log, knownSecrets)).to.deep.equal([]);
    // Controls: the same scan finds a secret planted in plaintext, raw or base64 (user-data, Vault content).
    expect(plaintextSecrets(withPlanted(e.dr, DR_TOKEN, "raw"), knownSecrets)).to.have.length.above(0);
    expect(
      plaintextSecrets(withPlanted(e.primary, knownSecrets[1], "base64"), knownSecrets),
    ).to.have.length.above(0);
    expect(secretsInText(`${log}\n${DR_TOKEN}`, knownSecrets)).to.have.length(1);
  });

  it("a stream's partitions changed: the preview replaces that stream, and nothing else", async () => {
    const pair = pairIn(sandbox, (p) => {
      p.primary.streams![0].partitions = 12;
    });
    const steps = await previewSteps(pair, "primary", "primary-to-dr");
    const changed = steps.filter((s) => s.op !== "same" && s.type !== "pulumi:pulumi:Stack");
    // A replacement shows as its steps (create-replacement, replace, delete-replaced) on one URN.
    expect([...new Set(changed.map((s) => nameOf(s.urn)))]).to.deep.equal([
      "geo-primary-streaming-stream-orders",
    ]);
    const replace = changed.find((s) => s.op === "replace");
    expect(replace?.type).to.equal(T.stream);
    expect(replace?.keys).to.deep.equal(["partitions"]);
    expect(
      changed.every((s) => ["replace", "create-replacement", "delete-replaced"].includes(s.op)),
    ).to.equal(true);
  });

  it("the fleet grown from 2 to 3: updates and one new VM, no stream replaced (nor anything else)", async () => {
    const pair = pairIn(sandbox, (p) => {
      p.dr.mirrorMaker!.fleetSize = 3;
    });
    const steps = await previewSteps(pair, "dr", "primary-to-dr");
    const ops = (type: string) => steps.filter((s) => s.type === type).map((s) => s.op);
    expect(
      ops(T.stream).every((op) => op === "same"),
      `streams: ${ops(T.stream).join(",")}`,
    ).to.equal(true);
    expect(ops(T.stream)).to.have.length(ofType(exports.dr!, T.stream).length);
    expect(steps.filter((s) => s.op === "replace" || s.op === "create-replacement")).to.deep.equal([]);
    expect(ops(T.instance).filter((op) => op === "create")).to.have.length(1);
    expect(steps.filter((s) => s.op === "update").length).to.be.above(0);
  });

  it("a destroy interrupted halfway (an OCI failure) stops with the pair partly destroyed, state and tenancy agreeing", async () => {
    beforeDestroy = { ...(await exportBoth()) };
    destroyFrom = sandbox.tenancy().log.length;
    const deletesSoFar = sandbox.tenancy().log.filter((o) => o.op === "delete").length;
    const drCount = cloudResources(beforeDestroy.dr!).length;
    let err: unknown;
    try {
      await destroyPair(pairIn(sandbox), {
        local: {
          ...local,
          envVars: { ...local.envVars, OCI_EMULATOR_FAIL_DELETES_AFTER: String(deletesSoFar + 15) },
        },
        onOutput: onOutput("destroyPair (interrupted)"),
      });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(PairStepError);
    expect(err).to.include({ step: "destroy", role: "dr" });
    const e = await exportBoth();
    const left = cloudResources(e.dr);
    expect(left.length).to.be.within(1, drCount - 15);
    // No ghost and no orphan: the dr state lists exactly what the tenancy still has in Amsterdam.
    const tenancy = sandbox.tenancy();
    const drIds = Object.entries(tenancy.resources)
      .filter(([, r]) => r.urn.includes("::oci-geo-streaming::") && r.urn.startsWith("urn:pulumi:dr::"))
      .map(([id]) => id)
      .sort();
    expect(left.map((r) => r.id).sort()).to.deep.equal(drIds);
    expect(cloudResources(e.primary)).to.have.length(cloudResources(beforeDestroy.primary!).length);
  });

  it("the next destroyPair completes it: nothing left, every resource deleted before what it depends on, dr before the primary", async () => {
    const r = await destroyPair(pairIn(sandbox), { local, onOutput: onOutput("destroyPair") });
    expect(r.steps.map((s) => s.role)).to.deep.equal(["dr", "primary"]);
    const e = await exportBoth();
    expect(resourcesOf(e.primary)).to.deep.equal([]);
    expect(resourcesOf(e.dr)).to.deep.equal([]);
    const tenancy = sandbox.tenancy();
    expect(Object.keys(tenancy.resources)).to.deep.equal([]);
    // Dependency order over both runs.
    const destroys = tenancy.log.filter((o) => o.op === "delete" && o.seq > destroyFrom);
    const deleted = new Map<string, number>();
    for (const op of destroys) if (!deleted.has(op.id)) deleted.set(op.id, op.seq);
    const all = [...resourcesOf(beforeDestroy.primary!), ...resourcesOf(beforeDestroy.dr!)];
    const byUrn = new Map(all.map((x) => [x.urn, x]));
    const wrong: string[] = [];
    let checked = 0;
    for (const res of all.filter((x) => x.custom && x.id && deleted.has(x.id))) {
      for (const d of dependenciesOf(res)) {
        const dep = byUrn.get(d);
        if (!dep?.custom || !dep.id || !deleted.has(dep.id)) continue;
        checked++;
        if (deleted.get(res.id!)! > deleted.get(dep.id)!)
          wrong.push(`${nameOf(res.urn)} after ${nameOf(dep.urn)}`);
      }
    }
    expect(wrong).to.deep.equal([]);
    expect(checked).to.be.above(50);
    const seqs = (prefix: string) => destroys.filter((o) => o.urn.startsWith(prefix)).map((o) => o.seq);
    expect(Math.max(...seqs("urn:pulumi:dr::"))).to.be.below(Math.min(...seqs("urn:pulumi:primary::")));
    // Every resource of the two stacks was deleted once.
    expect(destroys.length).to.equal(deleted.size);
    expect(deleted.size).to.equal(
      cloudResources(beforeDestroy.primary!).length + cloudResources(beforeDestroy.dr!).length,
    );
  });

  it("no pair operation left a temporary automation-* directory behind", () => {
    expect(fs.readdirSync(process.env.TMPDIR!).filter((n) => n.startsWith("automation-"))).to.deep.equal([]);
  });
});
