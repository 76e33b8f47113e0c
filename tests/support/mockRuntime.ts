/**
 * The one place the test suite installs the Pulumi mock engine.
 *
 * Importing this module calls `pulumi.runtime.setMocks(new OciMocks(), …, preview=false)` once per
 * process (a module singleton: mocha loads every spec file into one process) and adds a root
 * `beforeEach` that clears the registration registry before every test. Import it before any
 * module that creates resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ensureNodeBundle } from "../../dev/build/bundle";
import { OciMocks, ResourceRecord } from "../../dev/oci-model/ociMocks";

export type { ResourceRecord } from "../../dev/oci-model/ociMocks";

/** Project and stack names the mock engine runs under. */
export const TEST_PROJECT = "oci-geo-streaming";
export const TEST_STACK = "test";

const SINGLETON = Symbol.for("oci-geo-streaming.tests.mockRuntime");
type Holder = { [SINGLETON]?: OciMocks };

function install(): OciMocks {
  const g = globalThis as Holder;
  if (!g[SINGLETON]) {
    // The component uploads the nodes' operator bundle (monitoring on): it must have been built.
    ensureNodeBundle();
    g[SINGLETON] = new OciMocks().install({ project: TEST_PROJECT, stack: TEST_STACK, preview: false });
    if (typeof beforeEach === "function") {
      // Registered while mocha loads the first spec file that imports us: a root hook.
      beforeEach(function resetMockRegistry() {
        resetRegistry();
      });
    }
  }
  return g[SINGLETON];
}

/** The process-wide mock engine (see dev/oci-model/ociMocks.ts). */
export const mocks: OciMocks = install();

/** Forgets every registration (done automatically before each test); the tenancy has identity domains again. */
export function resetRegistry(): void {
  mocks.reset();
  mocks.model.setIdentityDomains(undefined);
}

/** What the modelled tenancy is like: classic IAM (`identityDomains: false`) or with identity domains. */
export function setTenancy(t: { identityDomains: boolean }): void {
  mocks.model.setIdentityDomains(t.identityDomains);
}

/** Every registration since the last reset, in registration order. */
export function resources(): ResourceRecord[] {
  return mocks.resources();
}

/** Registrations of one type token, e.g. `oci:Core/vcn:Vcn`. */
export function byType(token: string): ResourceRecord[] {
  return mocks.resources().filter((r) => r.type === token);
}

/** The registration with this logical name (and type, if given); throws if absent or ambiguous. */
export function byName(name: string, token?: string): ResourceRecord {
  const found = mocks.resources().filter((r) => r.name === name && (token === undefined || r.type === token));
  if (found.length !== 1) {
    throw new Error(
      `expected one resource named '${name}'${token ? ` of type ${token}` : ""}, found ${found.length}`,
    );
  }
  return found[0];
}

/** Sets a stack configuration value for the following evaluations (`oci:region`, `project:key`). */
export function setConfig(key: string, value: string): void {
  pulumi.runtime.setConfig(key, value);
}

export interface OutputDetails<T> {
  value: T;
  isSecret: boolean;
  isKnown: boolean;
}

/** Resolves an Output (or any Input) under the mock engine: its value, secretness and knownness. */
export async function outputOf<T>(o: pulumi.Input<T>): Promise<OutputDetails<pulumi.Unwrap<T>>> {
  const out = pulumi.output(o) as pulumi.Output<pulumi.Unwrap<T>>;
  const internal = out as unknown as {
    promise?: (withUnknowns?: boolean) => Promise<pulumi.Unwrap<T>>;
    isKnown?: Promise<boolean>;
  };
  const value =
    typeof internal.promise === "function"
      ? internal.promise(true)
      : new Promise<pulumi.Unwrap<T>>((resolve) => out.apply((v) => (resolve(v), v)));
  const [v, isKnown, isSecret] = await Promise.all([value, internal.isKnown ?? true, pulumi.isSecret(out)]);
  return { value: v, isSecret, isKnown };
}

/**
 * Waits until every pending registration, invoke and output registration has finished (the
 * runtime's RPC queue drains), then a few more event-loop turns for work they scheduled.
 */
export async function settle(timeoutMs = 5000): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  const drained = (async () => {
    for (let i = 0; i < 3; i++) {
      if (waitForRPCs) {
        await waitForRPCs();
      }
      await new Promise((r) => setImmediate(r));
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`mock engine did not settle within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([drained, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `fn`, which must throw (or reject) — with an error whose `field` equals `expected`, or whose
 * message contains it (string) or matches it (RegExp) — then lets the engine settle and asserts
 * that not a single resource registration was attempted. Returns the error.
 */
export async function expectNothingRegistered(fn: () => unknown, expected?: string | RegExp): Promise<Error> {
  const before = mocks.registrationAttempts;
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  await settle();
  const attempted = mocks.registrationAttempts - before;
  if (caught === undefined) {
    expect.fail(`expected a validation error, but nothing was thrown (${attempted} registrations attempted)`);
  }
  const err = caught instanceof Error ? caught : new Error(String(caught));
  if (typeof expected === "string") {
    const field = (err as { field?: unknown }).field;
    expect(
      field === expected || err.message.includes(expected),
      `error '${err.message}' should name ${expected}`,
    ).to.equal(true);
  } else if (expected instanceof RegExp) {
    expect(err.message).to.match(expected);
  }
  expect(attempted, `resources registered before the error '${err.message}'`).to.equal(0);
  return err;
}

/**
 * Runs `fn` (which creates resources the mock engine is expected to refuse), lets the engine
 * settle, and returns the distinct failure messages. A refused registration surfaces in the
 * Pulumi SDK as unhandled promise rejections (one per output property); they are captured here
 * instead of failing the test run.
 */
export async function registrationErrors(fn: () => unknown): Promise<string[]> {
  const saved = process.listeners("unhandledRejection");
  const errors: unknown[] = [];
  const capture = (e: unknown) => errors.push(e);
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", capture);
  try {
    try {
      await fn();
    } catch (e) {
      errors.push(e);
    }
    await settle();
  } finally {
    process.removeListener("unhandledRejection", capture);
    for (const l of saved) {
      process.on("unhandledRejection", l);
    }
  }
  return [...new Set(errors.map((e) => (e instanceof Error ? e.message : String(e))))];
}

/**
 * Runs `fn` with extra stack configuration, lets the engine settle (the mocks read config when a
 * registration arrives), then restores the previous configuration.
 */
export async function withConfig<T>(values: Record<string, string>, fn: () => T | Promise<T>): Promise<T> {
  const saved = pulumi.runtime.allConfig();
  pulumi.runtime.setAllConfig({ ...saved, ...values });
  try {
    const result = await fn();
    await settle();
    return result;
  } finally {
    pulumi.runtime.setAllConfig(saved);
  }
}
