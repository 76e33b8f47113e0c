/**
 * Contract: fetch-verified.sh, which installs the operator bundle from Object Storage (and Node.js
 * and the JMX exporter over https), run for real against a stand-in `oci` on a private PATH: the
 * exact `oci os object get` it issues (instance principal, namespace, bucket, object), a matching
 * SHA-256 installs, a wrong one installs nothing and says so.
 */
import { expect } from "chai";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fetchVerifiedScript } from "../../lib/core/cloudinit";
import { run, withTempDir } from "./tools";

const BUNDLE = "console.log('oci-geo-streaming bundle');\n";
const SHA = createHash("sha256").update(BUNDLE).digest("hex");
const SOURCE =
  "oci-object://axaxnpcrorw5/geo-dr-replication-tools-a1b2c3/tools/oci-geo-streaming-0.1.0-x.cjs";

function setup(dir: string): { script: string; env: NodeJS.ProcessEnv; dest: string } {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  // The stand-in records its arguments and writes the object to --file.
  writeFileSync(
    join(bin, "oci"),
    `#!/bin/bash\nprintf '%s\\n' "$@" > "${dir}/oci-args"\nwhile [ $# -gt 0 ]; do [ "$1" = --file ] && { cat "${dir}/object" > "$2"; }; shift; done\n`,
  );
  chmodSync(join(bin, "oci"), 0o755);
  writeFileSync(join(bin, "logger"), "#!/bin/bash\nexit 0\n");
  chmodSync(join(bin, "logger"), 0o755);
  writeFileSync(join(dir, "object"), BUNDLE);
  const script = join(dir, "fetch-verified.sh");
  writeFileSync(script, fetchVerifiedScript());
  chmodSync(script, 0o755);
  return {
    script,
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    dest: join(dir, "opt", "tools", "bundle.cjs"),
  };
}

describe("contract: fetch-verified.sh (the operator bundle from Object Storage)", () => {
  it("reads the object with the instance principal and installs it when the SHA-256 matches", () => {
    withTempDir((dir) => {
      const { script, env, dest } = setup(dir);
      const r = run("bash", [script, SHA, dest, SOURCE], { env });
      expect(r.status, r.stderr).to.equal(0);
      expect(readFileSync(dest, "utf8")).to.equal(BUNDLE);
      expect(readFileSync(join(dir, "oci-args"), "utf8").trim().split("\n").slice(0, 10)).to.deep.equal([
        "os",
        "object",
        "get",
        "--auth",
        "instance_principal",
        "-ns",
        "axaxnpcrorw5",
        "-bn",
        "geo-dr-replication-tools-a1b2c3",
        "--name",
      ]);
      expect(readFileSync(join(dir, "oci-args"), "utf8")).to.contain("tools/oci-geo-streaming-0.1.0-x.cjs");
      expect(r.stderr).to.match(/SHA-256 verified/);
    });
  });

  it("refuses an object whose SHA-256 is not the one in the user-data, installing nothing", () => {
    withTempDir((dir) => {
      const { script, env, dest } = setup(dir);
      writeFileSync(join(dir, "object"), `${BUNDLE}// tampered\n`);
      const r = run("bash", [script, SHA, dest, SOURCE], { env });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.match(/SHA-256 mismatch .* Refusing to install/);
      expect(existsSync(dest)).to.equal(false);
    });
  });

  it("refuses a malformed SHA-256 and an unsupported source before fetching anything", () => {
    withTempDir((dir) => {
      const { script, env, dest } = setup(dir);
      expect(run("bash", [script, "abc", dest, SOURCE], { env }).stderr).to.match(/not a SHA-256/);
      expect(run("bash", [script, SHA, dest, "ftp://x/y"], { env }).stderr).to.match(/unsupported source/);
      expect(existsSync(join(dir, "oci-args"))).to.equal(false);
    });
  });
});
