/**
 * `pulumi preview -s <stack>` of this repository's project and of each TypeScript example, with
 * the real CLI: it validates the stack config against the project's `config:` declarations before
 * it needs a language host, so getting as far as the missing Node.js host proves the committed
 * stack files pass the CLI's validation. Each project is copied to a temporary folder, where the
 * stacks are created on a file:// backend; a `secure:` value of a committed file (ciphertext of
 * another secrets provider) is replaced by a secret set with the CLI — the same key, still a
 * secret — so that the copy means what the committed file means.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument, isMap, isScalar, YAMLMap } from "yaml";
import { requireTools, ROOT, Sandbox } from "./support";

const CONFIG_PASSED = /no language plugin 'pulumi-language-nodejs' found/;
const CONFIG_REFUSED = /validating stack config/;

function nodeProjects(): string[] {
  const examples = fs
    .readdirSync(path.join(ROOT, "examples"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join("examples", e.name))
    .filter((d) => /^runtime:\s*(nodejs\b|\n\s+name:\s*nodejs\b)/m.test(readProject(d)));
  return [".", ...examples];
}

function readProject(dir: string): string {
  const f = path.join(ROOT, dir, "Pulumi.yaml");
  return fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "";
}

function stacksOf(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Copies a project's Pulumi.yaml, stack files and main program into `to`. */
function copyProject(dir: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(path.join(ROOT, dir))) {
    if (/^Pulumi(\..+)?\.yaml$/.test(f) || f === "index.ts") {
      fs.copyFileSync(path.join(ROOT, dir, f), path.join(to, f));
    }
  }
}

/** Removes the `secure:` values of a stack file; returns their keys. */
function takeSecureValues(file: string): string[] {
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  const config = doc.get("config");
  const keys: string[] = [];
  if (isMap(config)) {
    for (const item of [...(config as YAMLMap).items]) {
      const v = item.value;
      if (isMap(v) && v.items.length === 1 && isScalar(v.items[0].key) && v.items[0].key.value === "secure") {
        keys.push(String((item.key as { value: unknown }).value));
        config.delete(item.key);
      }
    }
  }
  fs.writeFileSync(file, doc.toString());
  return keys;
}

describe("engine: the CLI validates every committed stack config (pulumi preview)", function () {
  this.timeout(300_000);
  let sandbox: Sandbox;

  before(() => {
    requireTools();
    sandbox = new Sandbox("stack-config");
  });

  it("finds this repo's project and the TypeScript examples, with their stacks", () => {
    expect(Object.fromEntries(nodeProjects().map((p) => [p, stacksOf(p)]))).to.deep.equal({
      ".": ["dr", "primary"],
      "examples/active-active": ["dr", "primary", "primary-active"],
      "examples/oci-to-onprem": ["example"],
      "examples/onprem-to-oci": ["example"],
    });
  });

  for (const dir of nodeProjects()) {
    for (const stack of stacksOf(dir)) {
      it(`${dir === "." ? "this repo" : dir}: pulumi preview -s ${stack} gets past the config validation`, async () => {
        const copy = path.join(sandbox.dir, dir === "." ? "repo" : dir.replace("/", "-"));
        if (!fs.existsSync(copy)) copyProject(dir, copy);
        const stackFile = path.join(copy, `Pulumi.${stack}.yaml`);
        const secure = takeSecureValues(stackFile);
        const init = await sandbox.cli(["stack", "init", stack, "--secrets-provider", "passphrase"], copy);
        expect(init.code, init.stderr).to.equal(0);
        for (const key of secure) {
          const set = await sandbox.cli(
            ["config", "set", "--secret", "-s", stack, key, `engine-tier ${key}`],
            copy,
          );
          expect(set.code, set.stderr).to.equal(0);
        }
        expect(fs.readFileSync(stackFile, "utf8").match(/secure: v1:/g)?.length ?? 0).to.equal(secure.length);
        const r = await sandbox.cli(["preview", "-s", stack], copy);
        const out = r.stdout + r.stderr;
        expect(out).to.not.match(CONFIG_REFUSED);
        expect(out).to.match(CONFIG_PASSED);
        expect(r.code).to.not.equal(0);
      });
    }
  }

  it("control: the Pulumi.yaml before the settings table (every key required) is refused by the same preview", async () => {
    const control = new Sandbox("stack-config-control");
    const copy = path.join(control.dir, "control");
    copyProject(".", copy);
    fs.copyFileSync(
      path.join(ROOT, "tests", "fixtures", "pulumi-config-before", "Pulumi.yaml"),
      path.join(copy, "Pulumi.yaml"),
    );
    expect(
      (await control.cli(["stack", "init", "primary", "--secrets-provider", "passphrase"], copy)).code,
    ).to.equal(0);
    const r = await control.cli(["preview", "-s", "primary"], copy);
    const out = r.stdout + r.stderr;
    expect(out).to.match(CONFIG_REFUSED);
    expect(out).to.match(/Stack 'primary' is missing configuration values '/);
    expect(out).to.not.match(CONFIG_PASSED);
  });
});
