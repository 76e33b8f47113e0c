/**
 * The ts blocks of README.md and docs/ are compiled against the published types by
 * tests/contract/tarball.test.ts; here: the extraction itself, and the docs' placeholder OCIDs and
 * the validator's own hint are OCIDs the validator accepts (a user copying them gets past
 * validation, not a new error).
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { EXAMPLE_COMPARTMENT_OCID, OCID_PATTERN, resolveArgs } from "../../lib/core/config/validate";
import { ValidationError } from "../../lib/core/errors";
import { validDr } from "../support/cases";
import { asModule, blockFileName, docFiles, tsBlocks } from "../support/docBlocks";

const ROOT = path.resolve(__dirname, "..", "..");
const DOCS = docFiles(ROOT).map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), "utf8") }));
const BLOCKS = DOCS.flatMap((d) => tsBlocks(d.text, d.file));

describe("the docs' ts blocks", () => {
  it("extracts exactly the ts blocks, with their lines; an unclosed block is an error naming the file", () => {
    const md = "text\n```ts\nconst a = 1;\n```\n```bash\nls\n```\n\n```ts\nimport x from 'y';\n```\n";
    expect(tsBlocks(md)).to.deep.equal([
      { line: 3, code: "const a = 1;\n" },
      { line: 10, code: "import x from 'y';\n" },
    ]);
    expect(() => tsBlocks("```ts\nconst a = 1;\n", "docs/usage.md")).to.throw(
      /^docs\/usage\.md:1: .*never closed/,
    );
    expect(asModule("const a = 1;\n")).to.match(/export \{\};\n$/);
    expect(asModule("import x from 'y';\n")).to.equal("import x from 'y';\n");
    expect(blockFileName("docs/reference/outputs.md", 7)).to.equal("md-docs-reference-outputs-7.ts");
    expect(blockFileName("README.md", 47)).to.equal("md-README-47.ts");
  });

  it("reads README.md first, then every docs/ page; README's minimal program is a ts block", () => {
    const files = DOCS.map((d) => d.file);
    expect(files[0]).to.equal("README.md");
    expect(files).to.include.members([
      "docs/_index.md",
      "docs/installation-configuration.md",
      "docs/usage.md",
    ]);
    // The tarball test breaks the first block's role on purpose: it must be README's program.
    expect(tsBlocks(DOCS[0].text)[0].code).to.contain('role: "primary"');
    expect(BLOCKS.length).to.be.at.least(4);
  });

  it("their placeholder OCIDs are ones the validator accepts (the old '…aaaa…' was not)", () => {
    const ocids = BLOCKS.flatMap((b) => [...b.code.matchAll(/"(ocid1\.[^"]*)"/g)].map((m) => m[1]));
    expect(ocids.length).to.be.at.least(3);
    for (const id of ocids) expect(OCID_PATTERN.test(id), id).to.equal(true);
    expect(OCID_PATTERN.test("ocid1.compartment.oc1..aaaa…"), "negative control").to.equal(false);
  });

  it("the validator's hint shows an OCID the validator accepts", () => {
    const a = validDr();
    a.compartmentId = "my-compartment";
    let error: unknown;
    try {
      resolveArgs(a);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ValidationError);
    expect((error as Error).message).to.contain(EXAMPLE_COMPARTMENT_OCID);
    a.compartmentId = EXAMPLE_COMPARTMENT_OCID;
    expect(() => resolveArgs(a)).to.not.throw();
  });
});
