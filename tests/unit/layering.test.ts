/**
 * The arrows run one way: program → components → pure core; operator tools → pure core + the
 * Kafka client. Read from the import statements of every file, so a new import that breaks the
 * layering (or closes a cycle) fails here, naming the file and the import.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const LIB = path.join(ROOT, "lib");
const DEV = path.join(ROOT, "dev");

/**
 * Layer of each folder of lib/ (the first two path segments win over the first one). The folder
 * names are the layers: a reader finds the renderer under core/, the network under components/,
 * the failover tool under ops/.
 */
const LAYER: Record<string, string> = {
  core: "core",
  components: "components",
  "program/automation": "automation",
  program: "program",
  provider: "provider",
  "ops/cli": "cli",
  ops: "tools",
  index: "entry",
};

/** Which layers each layer may import. */
const MAY_IMPORT: Record<string, string[]> = {
  core: ["core"],
  components: ["core", "components"],
  program: ["core", "components", "program"],
  automation: ["core", "components", "program", "automation"],
  provider: ["core", "components", "provider"],
  tools: ["core", "tools"],
  cli: ["core", "tools", "automation", "cli"],
  entry: ["core", "components", "program", "automation", "tools", "entry"],
};

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

/**
 * Relative imports of a file, resolved to files (`x` → `x.ts` or `x/index.ts`): `import`/`export …
 * from` (type-only ones too), side-effect imports, and `import("…")` / `require("…")` calls.
 */
function relativeImports(file: string, unresolved?: string[]): string[] {
  const text = fs.readFileSync(file, "utf8");
  // JSON modules (the component's schema) are data, not a layer.
  const specs = [
    ...text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g),
    ...text.matchAll(/\b(?:import|require)\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g),
  ]
    .map((m) => m[1])
    .filter((spec) => !spec.endsWith(".json"));
  return specs.flatMap((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const hit = [`${base}.ts`, path.join(base, "index.ts")].find((c) => fs.existsSync(c));
    if (hit) return [hit];
    const what = `${path.relative(ROOT, file)}: cannot resolve ${spec}`;
    if (!unresolved) throw new Error(what);
    unresolved.push(what);
    return [];
  });
}

function layerOf(file: string): string {
  const rel = path.relative(LIB, file).replace(/\.ts$/, "");
  const parts = rel.split(path.sep);
  const key = [parts.slice(0, 2).join("/"), parts[0]].find((k) => LAYER[k] !== undefined);
  if (key === undefined) {
    throw new Error(`lib/${rel}: no layer assigned; add its folder to LAYER in ${path.basename(__filename)}`);
  }
  return LAYER[key];
}

/**
 * Every import cycle the depth-first walk closes, as `a -> b -> a` (relative to the repo). Only
 * edges between the graph's own files count (dev/ importing lib/ is no cycle of dev/).
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (f: string, stack: string[]) => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "visiting") {
      cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => path.relative(ROOT, x)).join(" -> "));
      return;
    }
    state.set(f, "visiting");
    for (const d of graph.get(f) ?? []) if (graph.has(d)) visit(d, [...stack, f]);
    state.set(f, "done");
  };
  for (const f of graph.keys()) visit(f, []);
  return cycles;
}

describe("layering: lib/ imports run one way", () => {
  const files = tsFiles(LIB);
  const graph = new Map(files.map((f) => [f, relativeImports(f)]));

  it("never imports the development tools, the tests or the repo's program", () => {
    const outside = [...graph].flatMap(([f, deps]) =>
      deps
        .filter((d) => !d.startsWith(LIB + path.sep))
        .map((d) => `${path.relative(ROOT, f)} -> ${path.relative(ROOT, d)}`),
    );
    expect(outside).to.deep.equal([]);
  });

  it("every import goes to a layer its own layer may use", () => {
    const wrong = [...graph].flatMap(([f, deps]) => {
      const from = layerOf(f);
      return deps
        .filter((d) => !MAY_IMPORT[from].includes(layerOf(d)))
        .map((d) => `${path.relative(ROOT, f)} (${from}) -> ${path.relative(ROOT, d)} (${layerOf(d)})`);
    });
    expect(wrong).to.deep.equal([]);
  });

  it("has no import cycle between files", () => {
    expect(importCycles(graph)).to.deep.equal([]);
  });

  it("core modules create no cloud resources (no @pulumi/oci, no @pulumi/random)", () => {
    const offenders = files.filter(
      (f) => layerOf(f) === "core" && /from\s+["']@pulumi\/(oci|random)["']/.test(fs.readFileSync(f, "utf8")),
    );
    expect(offenders.map((f) => path.relative(ROOT, f))).to.deep.equal([]);
  });

  it("reaches @platformatic/kafka through lib/ops/kafka only (the adapter is the one place that knows it)", () => {
    const uses = (f: string) => /from\s+["']@platformatic\/kafka["']/.test(fs.readFileSync(f, "utf8"));
    const offenders = files.filter(
      (f) => uses(f) && !f.startsWith(path.join(LIB, "ops", "kafka") + path.sep),
    );
    expect(offenders.map((f) => path.relative(ROOT, f))).to.deep.equal([]);
    // Control: the adapter itself is seen to import it.
    expect(uses(path.join(LIB, "ops", "kafka", "client.ts"))).to.equal(true);
  });

  it("catches a wrong arrow (control: a core file importing a component is flagged)", () => {
    const core = path.join(LIB, "core", "config", "x.ts");
    const comp = path.join(LIB, "components", "network", "regionalNetwork.ts");
    expect(MAY_IMPORT[layerOf(core)]).to.not.include(layerOf(comp));
  });
});

describe("layering: dev/ has no import cycle", () => {
  it("no cycle between dev/ files, type-only imports included", () => {
    const unresolved: string[] = [];
    const graph = new Map(tsFiles(DEV).map((f) => [f, relativeImports(f, unresolved)]));
    expect(graph.size).to.be.greaterThan(50);
    expect(importCycles(graph)).to.deep.equal([]);
    // Import lines that stand in generated text (the operator bundle's entry), not in dev/'s own code.
    expect(unresolved).to.deep.equal([
      "dev/build/bundle.ts: cannot resolve ./lib/ops/cli/nodeMain",
      "dev/build/bundle.ts: cannot resolve ./lib/ops/cli/kafkaCliIo",
    ]);
  });

  it("catches a cycle (control: a type-only import back closes one; import() types count)", () => {
    const a = path.join(DEV, "a.ts");
    const b = path.join(DEV, "b.ts");
    const c = path.join(DEV, "c.ts");
    expect(
      importCycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, []],
        ]),
      ),
    ).to.deep.equal([]);
    expect(
      importCycles(
        new Map([
          [a, [b]],
          [b, [c]],
          [c, [a]],
        ]),
      ),
    ).to.deep.equal(["dev/a.ts -> dev/b.ts -> dev/c.ts -> dev/a.ts"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layering-"));
    try {
      fs.writeFileSync(path.join(dir, "x.ts"), 'import type { Y } from "./y";\nexport type X = Y;\n');
      fs.writeFileSync(path.join(dir, "y.ts"), 'export type Y = import("./x").X | number;\n');
      const files = [path.join(dir, "x.ts"), path.join(dir, "y.ts")];
      const found = importCycles(new Map(files.map((f) => [f, relativeImports(f)])));
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/x\.ts -> .*y\.ts -> .*x\.ts$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
