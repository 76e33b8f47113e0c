/**
 * The documentation a reader can find: README.md stays short (under 200 lines) and points into
 * docs/; every relative link and #anchor of README.md and docs/**\/*.md resolves (GitHub's slug
 * rules), and every repository path the docs name exists. Each check has a negative control.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { docFiles } from "../support/docBlocks";
import { anchors, DocTree, githubSlug, linkProblems, linkTargets, pathProblems } from "../support/docLinks";

const ROOT = path.resolve(__dirname, "..", "..");
const README_MAX_LINES = 200;

function repoTree(): DocTree {
  const docs: Record<string, string> = {};
  for (const f of docFiles(ROOT)) docs[f] = fs.readFileSync(path.join(ROOT, f), "utf8");
  return { docs, exists: (rel) => fs.existsSync(path.join(ROOT, rel)) };
}

const lineCount = (text: string): number => text.replace(/\n$/, "").split("\n").length;

describe("docs: README.md and docs/", () => {
  const tree = repoTree();

  it(`README.md is under ${README_MAX_LINES} lines and links the registry pages`, () => {
    const readme = tree.docs["README.md"];
    expect(lineCount(readme)).to.be.below(README_MAX_LINES);
    // Negative control: the count is of lines, so a README of exactly 200 lines fails the check.
    expect(lineCount("line\n".repeat(README_MAX_LINES))).to.equal(README_MAX_LINES);
    expect(lineCount("a\nb")).to.equal(2);
    const targets = linkTargets(readme).map((l) => l.target);
    expect(targets).to.include.members(["docs/_index.md", "docs/installation-configuration.md"]);
    // The quick start's two commands, as written: CI (.ci/run) runs the second.
    expect(readme).to.contain("bash dev/run start").and.to.contain("bash dev/run test");
  });

  it("the registry's pages exist; docs/_index.md has front matter with a title", () => {
    expect(tree.docs["docs/_index.md"]).to.match(/^---\ntitle: .+\n[\s\S]*?\n---\n/);
    expect(Object.keys(tree.docs)).to.include("docs/installation-configuration.md");
  });

  it("GitHub slugs: lower case, punctuation and code marks dropped, each space a hyphen, repeats numbered", () => {
    expect(githubSlug("The real-engine tier (`tests/engine`)")).to.equal("the-real-engine-tier-testsengine");
    expect(githubSlug("What to expect, and why (measured by `npm run drill`)")).to.equal(
      "what-to-expect-and-why-measured-by-npm-run-drill",
    );
    expect(githubSlug("Installing: the package and the `oci-geo-streaming` command")).to.equal(
      "installing-the-package-and-the-oci-geo-streaming-command",
    );
    expect([...anchors("# A\n## A\n```\n# not a heading\n```\n## B_c\n")]).to.deep.equal(["a", "a-1", "b_c"]);
  });

  it("every relative link and #anchor resolves to a file and a heading in it", () => {
    const checked = Object.values(tree.docs)
      .flatMap((md) => linkTargets(md))
      .filter((l) => !/^\w+:/.test(l.target));
    expect(checked.length, "relative links checked").to.be.at.least(30);
    expect(linkProblems(tree)).to.deep.equal([]);
  });

  it("negative control: a missing file, a missing heading, a link out of the repository are caught", () => {
    const docs = {
      "README.md": "[ok](docs/a.md#usage) [gone](docs/nope.md) [bad](docs/a.md#nowhere) [up](../x.md)\n",
      "docs/a.md":
        "# A\n## Usage\n[self](#a) [back](../README.md) [web](https://example.com/#x)\n\n[ref]: b.md\n",
    };
    const problems = linkProblems({ docs, exists: (rel) => rel in docs || rel === "docs" });
    expect(problems).to.deep.equal([
      "README.md:1: docs/nope.md: no file docs/nope.md",
      "README.md:1: docs/a.md#nowhere: docs/a.md has no heading #nowhere",
      "README.md:1: ../x.md: no file ../x.md",
      "docs/a.md:5: b.md: no file docs/b.md",
    ]);
    // A link in a code span or a fenced block is code, not a link.
    expect(linkTargets("`[x](y.md)`\n```\n[x](z.md)\n```\n")).to.deep.equal([]);
  });

  it("every repository path the docs name exists (the layer folders: lib/core, lib/components, lib/ops, …)", () => {
    expect(pathProblems(tree)).to.deep.equal([]);
  });

  it("negative control: a path from before the layer folders is caught", () => {
    const docs = { "docs/x.md": "see `lib/mm2/model.ts` and lib/core/mm2/replicationModel.ts\n" };
    const exists = (rel: string) => fs.existsSync(path.join(ROOT, rel));
    expect(pathProblems({ docs, exists })).to.deep.equal(["docs/x.md:1: lib/mm2/model.ts: no such path"]);
  });
});
