/**
 * The ```ts blocks of README.md, as files a strict consumer compiles against the published types
 * (tests/contract/tarball.test.ts). A block with no import or export is a fragment of a larger
 * program: it becomes a module of its own (`export {}`), and the names such fragments take as given
 * are declared, with their types, in tests/fixtures/consumer/readme-context.d.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ReadmeBlock {
  /** 1-based line of the block's first code line in the markdown. */
  line: number;
  code: string;
}

/** Every fenced block whose info string is exactly `ts`, with the line it starts on. */
export function tsBlocks(markdown: string): ReadmeBlock[] {
  const out: ReadmeBlock[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trimEnd() !== "```ts") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trimEnd() !== "```") end++;
    if (end === lines.length) throw new Error(`README.md:${i + 1}: a ts block that is never closed`);
    out.push({ line: start + 1, code: `${lines.slice(start, end).join("\n")}\n` });
    i = end;
  }
  return out;
}

/** The block as a module: fragments (no import/export of their own) get `export {}`. */
export function asModule(code: string): string {
  return /^\s*(import|export)\b/m.test(code) ? code : `${code}\nexport {};\n`;
}

/** Writes README.md's blocks into `dir` as readme-<line>.ts; returns the file names. */
export function writeReadmeBlocks(readmePath: string, dir: string): string[] {
  return tsBlocks(fs.readFileSync(readmePath, "utf8")).map((b) => {
    const file = `readme-${b.line}.ts`;
    fs.writeFileSync(path.join(dir, file), asModule(b.code));
    return file;
  });
}
