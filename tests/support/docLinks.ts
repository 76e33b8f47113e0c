/**
 * The documentation's relative links, checked: every link and reference definition in a markdown
 * file resolves to a file of the repository and, with `#anchor`, to a heading of that file under
 * GitHub's slug rules; and every repository path the text names (lib/…, dev/…, tests/…, …) exists.
 * Hand-written rather than a markdown-link checker from npm: the rules are these few lines, and a
 * dependency would be one more thing `npm ci` fetches for a unit test.
 */
import * as path from "node:path";

/** Lines outside fenced code blocks (and outside a leading YAML front matter), with their numbers. */
function proseLines(markdown: string): { n: number; text: string }[] {
  const out: { n: number; text: string }[] = [];
  const lines = markdown.split("\n");
  let fence: string | undefined;
  let i = 0;
  if (lines[0] === "---") {
    i = lines.indexOf("---", 1) + 1;
  }
  for (; i < lines.length; i++) {
    const m = /^\s*(```|~~~)/.exec(lines[i]);
    if (m && (fence === undefined || m[1] === fence)) {
      fence = fence === undefined ? m[1] : undefined;
      continue;
    }
    if (fence === undefined) out.push({ n: i + 1, text: lines[i] });
  }
  return out;
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, each space a hyphen. */
export function githubSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // a link counts by its text
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a markdown file has: its headings' slugs, a repeated one suffixed -1, -2, … */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!m) continue;
    const slug = githubSlug(m[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    out.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return out;
}

/** Link targets of a markdown file (inline links, images, reference definitions), with their lines. */
export function linkTargets(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  for (const { n, text } of proseLines(markdown)) {
    const prose = text.replace(/`[^`]*`/g, "``"); // a code span is not a link
    for (const m of prose.matchAll(/\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g))
      out.push({ line: n, target: m[1] });
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose);
    if (def) out.push({ line: n, target: def[1] });
  }
  return out;
}

/** What a checked link may point at: files, and the markdown of the docs (for anchors). */
export interface DocTree {
  /** Repository-relative path → markdown, for every doc checked (anchors resolve in these). */
  docs: Record<string, string>;
  /** Whether a repository-relative path (file or folder) exists. */
  exists(rel: string): boolean;
}

/** Every broken relative link of the docs: `<doc>:<line>: <target>: <why>`. */
export function linkProblems(tree: DocTree): string[] {
  const problems: string[] = [];
  for (const [doc, markdown] of Object.entries(tree.docs)) {
    for (const { line, target } of linkTargets(markdown)) {
      if (target === "" || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const hash = target.indexOf("#");
      const file = hash < 0 ? target : target.slice(0, hash);
      const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
      const rel = file === "" ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
      const where = `${doc}:${line}: ${target}`;
      if (rel.startsWith("../") || !tree.exists(rel)) {
        problems.push(`${where}: no file ${rel}`);
      } else if (anchor !== undefined) {
        const text = tree.docs[rel];
        if (text === undefined) problems.push(`${where}: ${rel} is not a checked markdown file`);
        else if (!anchors(text).has(anchor)) problems.push(`${where}: ${rel} has no heading #${anchor}`);
      }
    }
  }
  return problems;
}

/** Repository paths the docs name (lib/…, dev/…, tests/…, examples/…, docs/…) that do not exist. */
export function pathProblems(tree: DocTree): string[] {
  const problems: string[] = [];
  for (const [doc, markdown] of Object.entries(tree.docs)) {
    markdown.split("\n").forEach((text, i) => {
      // Not preceded by a path or URL character (…/x/lib/… is someone else's path), and free of
      // placeholders (<stack>, *, …), which name no single file.
      for (const m of text.matchAll(/(?<![\w./$-])((?:lib|dev|tests|examples|docs)\/[\w./-]*)(?![\w<*…])/g)) {
        const rel = m[1].replace(/[./]+$/, "");
        if (!tree.exists(rel)) problems.push(`${doc}:${i + 1}: ${m[1]}: no such path`);
      }
    });
  }
  return problems;
}
