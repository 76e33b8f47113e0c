/**
 * Contract: every rendered user-data passes `cloud-init schema --config-file`, and YAML-parses back
 * to exactly the files the renderer meant to write. A deliberately broken document must fail, so the
 * tool cannot silently pass everything. What an instance gets (the document gzip-compressed and
 * base64-encoded) goes through cloud-init's own code the way its Oracle datasource hands it over
 * (`base64.b64decode`, then `UserDataProcessor.process`), and must come out as exactly the document,
 * recognised as `text/cloud-config`.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeUserData, renderNodeFiles, renderUserData } from "../../lib/core/cloudinit";
import { USER_DATA_CASES } from "./cases";
import { cloudInitPython, requireTool, run, withTempDir } from "./tools";

interface ParsedUserData {
  users: unknown[];
  write_files: { path: string; owner: string; permissions: string; content: string }[];
  runcmd: string[][];
}

describe("contract: cloud-init schema", function () {
  let cloudInit = "";
  let python = "";

  before(function () {
    cloudInit = requireTool(this, "cloud-init", "cloud-init");
    python = cloudInitPython(cloudInit);
  });

  function schema(text: string): { status: number | null; output: string } {
    return withTempDir((dir) => {
      const f = join(dir, "user-data.yaml");
      writeFileSync(f, text);
      const r = run(cloudInit, ["schema", "--config-file", f]);
      return { status: r.status, output: `${r.stdout}${r.stderr}` };
    });
  }

  /** What cloud-init makes of an instance's `user_data` value: each part's content type and bytes. */
  function asCloudInitReadsIt(userData: string): { type: string; payload: string }[] {
    return withTempDir((dir) => {
      const f = join(dir, "user_data.b64");
      writeFileSync(f, userData);
      const script = [
        "import base64, json, sys",
        "from cloudinit import helpers, user_data",
        "raw = base64.b64decode(open(sys.argv[1]).read())  # DataSourceOracle",
        "msg = user_data.UserDataProcessor(helpers.Paths({})).process(raw)",
        "parts = [p for p in msg.walk() if p.get_content_maintype() != 'multipart']",
        "json.dump([{'type': p.get_content_type(), 'payload': p.get_payload(decode=True).decode('utf-8', 'replace')} for p in parts], sys.stdout)",
      ].join("\n");
      const r = run(python, ["-c", script, f]);
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as { type: string; payload: string }[];
    });
  }

  function parse(text: string): ParsedUserData {
    return withTempDir((dir) => {
      const f = join(dir, "user-data.yaml");
      writeFileSync(f, text);
      const r = run(python, [
        "-c",
        "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)",
        f,
      ]);
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as ParsedUserData;
    });
  }

  for (const [name, input] of USER_DATA_CASES) {
    it(`${name}: passes cloud-init schema`, () => {
      const r = schema(renderUserData(input));
      expect(r.status, r.output).to.equal(0);
      expect(r.output).not.to.match(/error|deprecat/i);
    });

    it(`${name}: what the instance gets (gzip + base64) is, to cloud-init, exactly this cloud-config`, () => {
      const document = renderUserData(input);
      expect(asCloudInitReadsIt(encodeUserData(document))).to.deep.equal([
        { type: "text/cloud-config", payload: document },
      ]);
    });

    it(`${name}: parses back to exactly the rendered files, users and runcmd`, () => {
      const doc = parse(renderUserData(input));
      expect(doc.write_files).to.deep.equal(
        renderNodeFiles(input).map((f) => ({
          path: f.path,
          owner: f.owner,
          permissions: f.permissions,
          content: f.content,
        })),
      );
      expect(doc.users[0]).to.equal("default");
      expect(doc.users[1]).to.deep.include({
        name: "mm2",
        system: true,
        shell: "/sbin/nologin",
        lock_passwd: true,
      });
      expect(doc.runcmd).to.deep.equal([["/usr/local/libexec/mm2/provision.sh"]]);
    });
  }

  it("negative control: a corrupted compressed user-data does not come out as the document", () => {
    const document = renderUserData(USER_DATA_CASES[0][1]);
    const raw = Buffer.from(encodeUserData(document), "base64");
    raw[raw.length >> 1] ^= 0xff;
    const parts = asCloudInitReadsIt(raw.toString("base64"));
    expect(parts).to.not.deep.equal([{ type: "text/cloud-config", payload: document }]);
  });

  describe("the tool rejects broken documents (so a pass means something)", () => {
    const good = (): string => renderUserData(USER_DATA_CASES[0][1]);
    const broken: [string, () => string][] = [
      ["permissions as a YAML integer", () => good().replace('permissions: "0755"', "permissions: 0755")],
      ["runcmd that is not a list", () => good().replace(/runcmd:\n.*\n$/, "runcmd: 5\n")],
      [
        "a user that is not a mapping or string",
        () => good().replace("    system: true", "    system: maybe"),
      ],
      ["no #cloud-config header", () => good().replace("#cloud-config\n", "")],
      ["invalid YAML", () => `${good()}write_files: [\n`],
    ];
    for (const [name, make] of broken) {
      it(`fails on ${name}`, () => {
        const text = make();
        expect(text).not.to.equal(good());
        const r = schema(text);
        expect(r.status, r.output).not.to.equal(0);
      });
    }
  });
});
