/**
 * The failback's state file: which steps are done, when, and what they found. Every step records
 * itself here when it starts and when it ends, so `status` can say where the failback stands and
 * a step run again resumes (every step is idempotent). Written atomically (a temporary file in the
 * same directory, then a rename), so a crash never leaves half a file.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The steps, in the order they must be run. */
export const FAILBACK_STEPS = ["reverse", "wait", "translate", "restore"] as const;
export type FailbackStep = (typeof FAILBACK_STEPS)[number];

/** What each step does, for `status` and the usage text. */
export const STEP_DESCRIPTIONS: Record<FailbackStep, string> = {
  reverse: "replication dr -> primary on (the primary's MM2 pulls from dr); forward offset syncs captured",
  wait: "the primary has every record of dr's topics (stop producers on dr first)",
  translate: "consumer groups' offsets committed on the primary",
  restore: "replication back to primary -> dr; the primary's replication layer removed",
};

export const DEFAULT_STATE_FILE = "out/failback/state.json";
export const STATE_VERSION = 1;

/** One step's record. */
export interface StepRecord {
  /** `started`: begun and not finished (interrupted, or running); `failed`: ended with an error. */
  status: "started" | "done" | "failed";
  startedAt: string;
  finishedAt?: string;
  /** One line: what the step found or did. */
  summary?: string;
  /** Machine-readable result (never a secret). */
  result?: unknown;
  /** The step was run with `--force` although an earlier step was not done. */
  forced?: boolean;
}

/** One offset sync of the forward flow (primary -> dr), as captured before the reverse switch. */
export interface CapturedSync {
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
}

/**
 * What `translate` needs from dr's forward replication layer, captured by `reverse` before the
 * direction switch: a safety copy (with the identity policy the switch deletes that layer, its
 * remote topics and offset-syncs topic; with the prefixed policy dr keeps it and `translate` reads
 * it live).
 */
export interface ForwardCapture {
  takenAt: string;
  /** The forward offset-syncs topic on dr the syncs were read from. */
  offsetSyncsTopic: string;
  /** In the order they were read (log order). */
  syncs: CapturedSync[];
  /** group → remote topic on dr (`fra.orders`) → partition → committed offset. */
  commits: Record<string, Record<string, Record<string, number>>>;
}

export interface FailbackState {
  version: typeof STATE_VERSION;
  /** MM2 alias of the primary (`fra`) and of dr (`ams`), remembered from the first step given them. */
  primaryAlias?: string;
  drAlias?: string;
  steps: Partial<Record<FailbackStep, StepRecord>>;
  capture?: ForwardCapture;
}

export class FailbackStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FailbackStateError";
  }
}

/** A fresh state: nothing done. */
export function emptyState(): FailbackState {
  return { version: STATE_VERSION, steps: {} };
}

/** Parses and checks a state file's text; `file` names it in errors. */
export function parseState(text: string, file: string): FailbackState {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new FailbackStateError(
      `--state ${file}: not valid JSON (${(e as Error).message}). Restore it from a copy, or move it away to start the failback record again (the steps are idempotent; 'status' will then show nothing done)`,
    );
  }
  const d = doc as Partial<FailbackState> | null;
  if (d === null || typeof d !== "object" || Array.isArray(d)) {
    throw new FailbackStateError(`--state ${file}: not a failback state (expected a JSON object)`);
  }
  if (d.version !== STATE_VERSION) {
    throw new FailbackStateError(
      `--state ${file}: version ${JSON.stringify(d.version)} is not ${STATE_VERSION}; this is not a failback state file, or one from another release`,
    );
  }
  if (typeof d.steps !== "object" || d.steps === null || Array.isArray(d.steps)) {
    throw new FailbackStateError(`--state ${file}: "steps" must be an object`);
  }
  for (const [name, rec] of Object.entries(d.steps)) {
    if (!(FAILBACK_STEPS as readonly string[]).includes(name)) {
      throw new FailbackStateError(
        `--state ${file}: unknown step "${name}" (steps are ${FAILBACK_STEPS.join(", ")})`,
      );
    }
    const r = rec as Partial<StepRecord> | null;
    if (!r || !["started", "done", "failed"].includes(String(r.status)) || typeof r.startedAt !== "string") {
      throw new FailbackStateError(
        `--state ${file}: step "${name}" needs a status (started, done, failed) and startedAt`,
      );
    }
  }
  return d as FailbackState;
}

/** Reads the state file; a missing file is a fresh state. Throws {@link FailbackStateError} when corrupt. */
export function loadState(file: string): FailbackState {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return emptyState();
    throw new FailbackStateError(`--state ${file}: cannot be read (${(e as Error).message})`);
  }
  return parseState(text, file);
}

/** Writes the state atomically (temporary file in the same directory, fsync, rename). */
export function saveState(file: string, state: FailbackState): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** The first step not done, or undefined when the failback is complete. */
export function nextStep(state: FailbackState): FailbackStep | undefined {
  return FAILBACK_STEPS.find((s) => state.steps[s]?.status !== "done");
}

/**
 * Why `step` may not run yet (an earlier step is not done), or undefined when it may. `force`
 * overrides; re-running a step that is done is always allowed (it resumes or re-checks).
 */
export function orderProblem(state: FailbackState, step: FailbackStep, force: boolean): string | undefined {
  if (force) return undefined;
  const missing = FAILBACK_STEPS.slice(0, FAILBACK_STEPS.indexOf(step)).filter(
    (s) => state.steps[s]?.status !== "done",
  );
  if (missing.length === 0) return undefined;
  return `'${step}' needs ${missing.map((s) => `'${s}'`).join(", ")} done first (${missing
    .map((s) => `${s}: ${state.steps[s]?.status ?? "not run"}`)
    .join("; ")}). Run '${missing[0]}', or pass --force if you did it another way`;
}

/** Returns the state with `step` marked started (now). */
export function markStarted(
  state: FailbackState,
  step: FailbackStep,
  forced: boolean,
  now: Date,
): FailbackState {
  const rec: StepRecord = { status: "started", startedAt: now.toISOString() };
  if (forced) rec.forced = true;
  return { ...state, steps: { ...state.steps, [step]: rec } };
}

/** Returns the state with `step` finished (done or failed) with its summary and result. */
export function markFinished(
  state: FailbackState,
  step: FailbackStep,
  outcome: { ok: boolean; summary: string; result?: unknown },
  now: Date,
): FailbackState {
  const prev = state.steps[step] ?? { status: "started" as const, startedAt: now.toISOString() };
  const rec: StepRecord = {
    ...prev,
    status: outcome.ok ? "done" : "failed",
    finishedAt: now.toISOString(),
    summary: outcome.summary,
  };
  if (outcome.result !== undefined) rec.result = outcome.result;
  else delete rec.result;
  return { ...state, steps: { ...state.steps, [step]: rec } };
}

/** The lines `status` prints: one per step, then the next step. */
export function formatStatus(state: FailbackState, file: string): string[] {
  const next = nextStep(state);
  const lines = [
    `failback state ${file}${state.primaryAlias ? ` (primary ${state.primaryAlias}, dr ${state.drAlias ?? "?"})` : ""}`,
  ];
  for (const [i, s] of FAILBACK_STEPS.entries()) {
    const r = state.steps[s];
    const head = `  ${i + 1}. ${s.padEnd(9)}`;
    if (!r) {
      lines.push(`${head} not run${s === next ? "   <- next" : ""}  (${STEP_DESCRIPTIONS[s]})`);
      continue;
    }
    const when = r.status === "started" ? `started ${r.startedAt}` : `${r.status} ${r.finishedAt ?? ""}`;
    lines.push(
      `${head} ${when}${r.forced ? " (forced)" : ""}${s === next ? "   <- next" : ""}${r.summary ? `: ${r.summary}` : ""}`,
    );
  }
  if (state.capture) {
    lines.push(
      `  forward capture: ${state.capture.syncs.length} offset sync(s) from ${state.capture.offsetSyncsTopic}, ${Object.keys(state.capture.commits).length} group(s), taken ${state.capture.takenAt}`,
    );
  }
  lines.push(next ? `next: npm run failback -- ${next}` : "failback complete");
  return lines;
}
