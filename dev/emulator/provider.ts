/**
 * The emulator provider: a Pulumi resource provider (`@pulumi/pulumi/provider`'s interface) that
 * answers for the `oci` or the `random` package from the OCI model (dev/oci-model), so that the
 * real Pulumi engine can deploy, update, preview and destroy the product with no cloud account.
 *
 * - Check runs the model's handler for the resource on a copy of the tenancy, so it refuses what
 *   OCI would refuse (a subnet outside its VCN, a retention outside 24..168 h, a third auth token,
 *   a reserved secret name, …) before anything is created. Inputs still unknown in a preview defer
 *   the verdict to Create.
 * - Diff compares the new inputs with those the resource was created with; a changed path the
 *   provider's Terraform schema marks ForceNew (dev/oci-model/facts) is a replacement.
 * - Create / Update compute the outputs OCI would (the same handlers), Delete keeps what OCI
 *   keeps of a deleted resource, Read answers from the tenancy, Invoke answers the data sources
 *   (the model's invokes.ts) for this provider instance's region.
 *
 * All of it reads and writes the shared state file (state.ts).
 */
import type * as provider from "@pulumi/pulumi/provider";
import { isKnownRegion } from "../../lib/core/oci/regions";
import { resourceFacts } from "../oci-model/facts";
import type { Obj } from "../oci-model/handlerContext";
import { MockRejection, OciModel } from "../oci-model/tenancyModel";
import { isWireSecret, unwrapWire, wireSecret } from "../oci-model/wire";
import { EmulatorState, LoggedOperation, readState, statePath, withState } from "./state";

/** The packages the emulator serves, with the versions it reports (a PATH plugin satisfies any). */
export const EMULATED_PACKAGES = { oci: "4.20.0", random: "4.21.2" } as const;
export type EmulatedPackage = keyof typeof EMULATED_PACKAGES;

/** Pulumi's wire form of an unknown (preview-only) value. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Environment knobs of the emulated tenancy (every process reads the same environment). */
export interface EmulatorEnvironment {
  /** State file (OCI_EMULATOR_STATE). */
  stateFile: string;
  /** Tenancy name (OCI_EMULATOR_TENANCY_NAME, default `emutenancy`). */
  tenancyName: string;
  /** Home region (OCI_EMULATOR_HOME_REGION, default us-ashburn-1). */
  homeRegion: string;
  /** Identity domains (OCI_EMULATOR_IDENTITY_DOMAINS=false for a classic tenancy). */
  identityDomains: boolean;
  /**
   * Failure injection (OCI_EMULATOR_FAIL_DELETES_AFTER=n): once the tenancy's log holds n deletes,
   * every further delete fails — a destroy interrupted halfway.
   */
  failDeletesAfter?: number;
}

export function emulatorEnvironment(env: NodeJS.ProcessEnv = process.env): EmulatorEnvironment {
  const fail = env.OCI_EMULATOR_FAIL_DELETES_AFTER;
  return {
    stateFile: statePath(env),
    tenancyName: env.OCI_EMULATOR_TENANCY_NAME || "emutenancy",
    homeRegion: env.OCI_EMULATOR_HOME_REGION || "us-ashburn-1",
    identityDomains: env.OCI_EMULATOR_IDENTITY_DOMAINS !== "false",
    failDeletesAfter: fail !== undefined && fail !== "" ? Number(fail) : undefined,
  };
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::name` → its type and name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualified = parts[2] ?? "";
  return { type: qualified.split("$").pop() ?? qualified, name: parts.slice(3).join("::") };
}

/** Whether a wire value holds an unknown anywhere. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") {
    const o = v as Obj;
    if (isWireSecret(o)) return hasUnknown(o.value);
    return Object.values(o).some(hasUnknown);
  }
  return false;
}

/** Equality of two wire values, ignoring whether they are marked secret. */
function sameValue(a: unknown, b: unknown): boolean {
  if (hasUnknown(a) || hasUnknown(b)) return false;
  return JSON.stringify(canonical(unwrapWire(a))) === JSON.stringify(canonical(unwrapWire(b)));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Obj)
        .filter(([, x]) => x !== undefined && x !== null)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, x]) => [k, canonical(x)]),
    );
  }
  return v;
}

/** The values at a facts path (`a.b`, `a[].b`) in an unwrapped value. */
function valuesAt(v: unknown, path: string): unknown[] {
  const [head, ...rest] = path.split(".");
  const list = head.endsWith("[]");
  const key = list ? head.slice(0, -2) : head;
  const here = v && typeof v === "object" && !Array.isArray(v) ? (v as Obj)[key] : undefined;
  if (rest.length === 0) {
    return [here];
  }
  if (list) {
    return Array.isArray(here) ? here.flatMap((e) => valuesAt(e, rest.join("."))) : [undefined];
  }
  return valuesAt(here, rest.join("."));
}

/**
 * The diff of a resource's new inputs against the ones it has: the changed top-level properties,
 * and those whose change replaces it (a changed ForceNew path below them). An input left out that
 * is Optional+Computed keeps OCI's value (no change), as in Terraform.
 */
export function diffInputs(type: string, olds: Obj, news: Obj): { changed: string[]; replaces: string[] } {
  const facts = resourceFacts(type);
  const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => !(news[k] === undefined && facts.optionalComputed.includes(k)))
    .filter((k) => !sameValue(olds[k], news[k]))
    .sort();
  const replaces = changed.filter((k) =>
    facts.forceNew.some((p) => {
      if (p.split(/[.[]/)[0] !== k) return false;
      const before = valuesAt(unwrapWire(olds), p);
      const after = valuesAt(unwrapWire(news), p);
      return hasUnknown(news[k]) || JSON.stringify(canonical(before)) !== JSON.stringify(canonical(after));
    }),
  );
  return { changed, replaces };
}

/** Drops undefined values (a protobuf Struct has no place for them). */
function defined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (e === undefined ? null : defined(e)));
  if (v && typeof v === "object" && !isWireSecret(v)) {
    return Object.fromEntries(
      Object.entries(v as Obj)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, defined(x)]),
    );
  }
  if (isWireSecret(v)) return wireSecret(defined(v.value));
  return v;
}

/**
 * The outputs returned to the engine: the inputs (wire form) overlaid with what OCI computed; an
 * output derived from a secret input stays secret, and what the provider's schema marks Sensitive
 * is returned as a secret (as the bridged provider does).
 */
function outputsOf(type: string, wireInputs: Obj, computed: Obj): Obj {
  const sensitive = resourceFacts(type).sensitive;
  const out: Obj = { ...wireInputs };
  for (const [k, v] of Object.entries(computed)) {
    if (v === undefined) continue;
    out[k] = isWireSecret(wireInputs[k]) && !isWireSecret(v) ? wireSecret(v) : v;
  }
  for (const k of sensitive) {
    if (!k.includes(".") && !k.includes("[") && out[k] !== undefined && !isWireSecret(out[k])) {
      out[k] = wireSecret(out[k]);
    }
  }
  return defined(out) as Obj;
}

/** A refusal as the engine shows it: `OCI would reject <type> '<name>': <detail>`. */
function failureProperty(message: string, inputs: Obj): string {
  const detail = message.replace(/^OCI would reject \S+ '[^']*': /, "");
  const first = /^([A-Za-z][A-Za-z0-9]*)/.exec(detail)?.[1];
  return first !== undefined && first in inputs ? first : "";
}

/** The emulator provider for one package; `region()` is this provider instance's configured region. */
export function emulatorProvider(
  pkg: EmulatedPackage,
  region: () => string | undefined,
  env: EmulatorEnvironment = emulatorEnvironment(),
): provider.Provider {
  const model = (state: EmulatorState, r: string) => {
    const m = new OciModel({
      tenancyName: env.tenancyName,
      homeRegion: env.homeRegion,
      identityDomains: env.identityDomains,
      fallbackRegion: () => r,
    });
    if (state.model) m.restore(state.model);
    return m;
  };
  const regionOf = (what: string): string => {
    if (pkg === "random") return "global";
    const r = region();
    if (r === undefined || r === "") {
      throw new Error(
        `${what}: the oci provider has no region (set oci:region in the stack config, or the provider's region argument)`,
      );
    }
    if (!isKnownRegion(r)) {
      throw new Error(`${what}: '${r}' is not a known OCI region`);
    }
    return r;
  };
  const log = (state: EmulatorState, entry: Omit<LoggedOperation, "seq" | "pid">) => {
    state.log.push({ ...entry, seq: state.log.length + 1, pid: process.pid });
  };
  const refuseUnknownType = (type: string, m: OciModel) => {
    if (!m.handles(type)) {
      throw new Error(
        `the OCI emulator has no model of ${type}; add its handler to dev/oci-model/services (handled: the types the product creates)`,
      );
    }
  };

  return {
    version: EMULATED_PACKAGES[pkg],
    getSchema: async () => JSON.stringify(packageSchema(pkg)),

    async check(urn, olds, news) {
      const { type, name } = parseUrn(urn);
      const state = readState(env.stateFile);
      const r = regionOf(`${type} '${name}'`);
      const m = model(state, r);
      refuseUnknownType(type, m);
      // The resource's id when it exists (so that it does not clash with itself), else a stand-in.
      const existing = Object.entries(state.resources).find(([, e]) => e.urn === urn)?.[0];
      const id = existing ?? m.newResourceId(type, name, r, `${urn}|check`, unwrapWire(news) as Obj);
      try {
        m.computeOutputs(type, name, id, unwrapWire(news) as Obj, r, false);
      } catch (e) {
        if (!(e instanceof MockRejection)) throw e;
        // Unknown inputs (a preview): OCI's verdict waits for Create, with every value known.
        if (!hasUnknown(news)) {
          return {
            inputs: news,
            failures: [{ property: failureProperty(e.message, news), reason: e.message }],
          };
        }
      }
      void olds;
      return { inputs: news };
    },

    async diff(id, urn, olds, news) {
      const { type } = parseUrn(urn);
      const state = readState(env.stateFile);
      const before = state.resources[id]?.inputs ?? olds;
      const { changed, replaces } = diffInputs(type, before, news);
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
    },

    async create(urn, inputs) {
      const { type, name } = parseUrn(urn);
      const r = regionOf(`${type} '${name}'`);
      return withState(env.stateFile, (state) => {
        const m = model(state, r);
        refuseUnknownType(type, m);
        const plain = unwrapWire(inputs) as Obj;
        const generation = state.creations[urn] ?? 0;
        const id = m.newResourceId(type, name, r, `${urn}|${generation}`, plain);
        const computed = m.computeOutputs(type, name, id, plain, r, false);
        const outs = outputsOf(type, inputs, computed);
        m.remember(id, { type, region: pkg === "oci" ? r : undefined, outputs: unwrapWire(outs) as Obj });
        state.model = m.snapshot();
        state.resources[id] = { urn, type, region: r, inputs, outputs: outs };
        state.creations[urn] = generation + 1;
        log(state, { op: "create", type, id, urn, region: r });
        return { id, outs };
      });
    },

    async read(id, urn, props) {
      const { type, name } = parseUrn(urn);
      const r = regionOf(`${type} '${name}'`);
      return withState(env.stateFile, (state) => {
        const mine = state.resources[id];
        if (mine) {
          log(state, { op: "read", type, id, urn, region: r });
          return { id, props: mine.outputs, inputs: mine.inputs };
        }
        const m = model(state, r);
        const known = m.lookup(id);
        if (!known && state.log.some((o) => o.id === id && o.op === "delete")) {
          // Deleted: a refresh drops it from the stack.
          return { id: "", props: {} };
        }
        const outputs = known ? known.outputs : m.describeExisting(type, id, r);
        state.model = m.snapshot();
        log(state, { op: "read", type, id, urn, region: r });
        return { id, props: defined({ ...(props ?? {}), ...outputs }) as Obj };
      });
    },

    async update(id, urn, olds, news) {
      const { type, name } = parseUrn(urn);
      const r = regionOf(`${type} '${name}'`);
      return withState(env.stateFile, (state) => {
        const m = model(state, r);
        const computed = m.computeOutputs(type, name, id, unwrapWire(news) as Obj, r, false);
        const outs = outputsOf(type, news, computed);
        m.remember(id, { type, region: pkg === "oci" ? r : undefined, outputs: unwrapWire(outs) as Obj });
        state.model = m.snapshot();
        state.resources[id] = { urn, type, region: r, inputs: news, outputs: outs };
        log(state, { op: "update", type, id, urn, region: r });
        void olds;
        return { outs };
      });
    },

    async delete(id, urn) {
      const { type, name } = parseUrn(urn);
      const r = pkg === "random" ? "global" : (region() ?? "");
      await withState(env.stateFile, (state) => {
        const deletes = state.log.filter((o) => o.op === "delete").length;
        if (env.failDeletesAfter !== undefined && deletes >= env.failDeletesAfter) {
          throw new Error(
            `OCI emulator: injected failure deleting ${type} '${name}' (OCI_EMULATOR_FAIL_DELETES_AFTER=${env.failDeletesAfter})`,
          );
        }
        const m = model(state, r);
        // Deleting what is already gone succeeds, as the Terraform provider treats OCI's 404.
        m.delete(id);
        state.model = m.snapshot();
        delete state.resources[id];
        log(state, { op: "delete", type, id, urn, region: r });
      });
    },

    async invoke(token, inputs) {
      const r = regionOf(token);
      const state = readState(env.stateFile);
      const m = model(state, r);
      return { outputs: defined(m.invoke(token, unwrapWire(inputs) as Obj, r)) as Obj };
    },
  } satisfies provider.Provider;
}

/**
 * The schema each emulated package serves: only what a program's language host needs to type the
 * provider resource (Pulumi YAML and `pulumi package get-schema` ask for it; Node programs never do).
 */
export function packageSchema(pkg: EmulatedPackage): Obj {
  const string = { type: "string" };
  if (pkg === "random") {
    return { name: "random", version: EMULATED_PACKAGES.random, resources: {}, functions: {} };
  }
  const inputs = {
    region: { ...string, description: "The region of the provider instance, e.g. eu-frankfurt-1." },
    configFileProfile: { ...string, description: "The profile in ~/.oci/config to authenticate with." },
  };
  return {
    name: "oci",
    version: EMULATED_PACKAGES.oci,
    description:
      "The OCI emulator (dev/emulator): the project's OCI model behind the Pulumi provider protocol.",
    config: { variables: inputs },
    // As the real package names its SDKs: generated SDKs that use the provider import these.
    language: {
      nodejs: { packageName: "@pulumi/oci" },
      python: { packageName: "pulumi_oci" },
      go: { importBasePath: "github.com/pulumi/pulumi-oci/sdk/v4/go/oci" },
    },
    provider: { description: "The oci provider (emulated).", inputProperties: inputs, properties: inputs },
    resources: {},
    functions: {},
  };
}
