/**
 * The ```ts blocks of the documentation (README.md and docs/**\/*.md), as files a strict consumer
 * compiles against the published types (tests/contract/tarball.test.ts). A block with no import or
 * export is a fragment of a larger program: it becomes a module of its own (`export {}`), and the
 * names such fragments take as given are declared, with their types, in
 * tests/fixtures/consumer/readme-context.d.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface DocBlock {
  /** 1-based line of the block's first code line in the markdown. */
  line: number;
  code: string;
}

/** The documentation, repository-relative: README.md first, then docs/**\/*.md in path order. */
export function docFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) return walk(rel);
      return e.name.endsWith(".md") ? [rel] : [];
    });
  return ["README.md", ...walk("docs").sort()];
}

/** Every fenced block whose info string is exactly `ts`, with the line it starts on. */
export function tsBlocks(markdown: string, file = "README.md"): DocBlock[] {
  const out: DocBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trimEnd() !== "```ts") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trimEnd() !== "```") end++;
    if (end === lines.length) throw new Error(`${file}:${i + 1}: a ts block that is never closed`);
    out.push({ line: start + 1, code: `${lines.slice(start, end).join("\n")}\n` });
    i = end;
  }
  return out;
}

/** The block as a module: fragments (no import/export of their own) get `export {}`. */
export function asModule(code: string): string {
  return /^\s*(import|export)\b/m.test(code) ? code : `${code}\nexport {};\n`;
}

/** The file a block is written to: `md-<doc path, / as ->-<line>.ts`, e.g. md-docs-usage-20.ts. */
export function blockFileName(doc: string, line: number): string {
  return `md-${doc.replace(/\.md$/, "").replace(/[/.]/g, "-")}-${line}.ts`;
}

/** Writes every doc's ts blocks into `dir` (see blockFileName); returns the file names, README's first. */
export function writeDocBlocks(root: string, dir: string): string[] {
  return docFiles(root).flatMap((doc) =>
    tsBlocks(fs.readFileSync(path.join(root, doc), "utf8"), doc).map((b) => {
      const file = blockFileName(doc, b.line);
      fs.writeFileSync(path.join(dir, file), asModule(b.code));
      return file;
    }),
  );
}
