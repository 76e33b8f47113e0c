/**
 * Contract: every shell script the user-data installs passes `bash -n` and `shellcheck`, and the
 * scripts that handle secrets and the Kafka download behave as promised when actually run.
 */
import { expect } from "chai";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { NodeFile, putSecretScript, renderNodeFiles } from "../../lib/core/cloudinit";
import { parseProperties } from "../../lib/core/mm2";
import { FAKE_TOKEN, drModel, onpremToOciModel, parseJaasOptions } from "../unit/mm2Fixtures";
import { USER_DATA_CASES } from "./cases";
import { requireTool, run, withTempDir } from "./tools";

function scripts(): { label: string; file: NodeFile }[] {
  const seen = new Map<string, { label: string; file: NodeFile }>();
  for (const [name, input] of USER_DATA_CASES) {
    for (const f of renderNodeFiles(input).filter((x) => x.content.startsWith("#!"))) {
      seen.set(f.content, { label: `${name}: ${f.path}`, file: f });
    }
  }
  return [...seen.values()];
}

function writeScript(dir: string, f: NodeFile): string {
  const p = join(dir, f.path.slice(f.path.lastIndexOf("/") + 1));
  writeFileSync(p, f.content);
  chmodSync(p, 0o755);
  return p;
}

describe("contract: shell scripts", function () {
  let shellcheck = "";
  before(function () {
    shellcheck = requireTool(this, "shellcheck", "shellcheck");
  });

  for (const { label, file } of scripts()) {
    it(`${label}: bash -n and shellcheck are clean`, () => {
      withTempDir((dir) => {
        const p = writeScript(dir, file);
        const syntax = run("bash", ["-n", p]);
        expect(syntax.status, syntax.stderr).to.equal(0);
        const lint = run(shellcheck, ["--shell=bash", "--severity=style", "--external-sources", p]);
        expect(lint.status, lint.stdout).to.equal(0);
        expect(lint.stdout).to.equal("");
      });
    });
  }

  it("the tools do flag broken scripts (so a pass means something)", () => {
    withTempDir((dir) => {
      const unquoted = join(dir, "unquoted.sh");
      writeFileSync(unquoted, "#!/bin/bash\nrm -rf $1/tmp\n");
      expect(run(shellcheck, ["--shell=bash", unquoted]).status).not.to.equal(0);
      const syntax = join(dir, "syntax.sh");
      writeFileSync(syntax, "#!/bin/bash\nif then fi\n");
      expect(run("bash", ["-n", syntax]).status).not.to.equal(0);
    });
  });
});

describe("contract: put-secret.sh (boot and rehearsal share it)", function () {
  before(function () {
    requireTool(this, "awk", "gawk");
    requireTool(this, "sed", "sed");
  });

  function put(
    dir: string,
    key: string,
    mode: string,
    value: string,
  ): { status: number | null; out: string } {
    const script = join(dir, "put-secret.sh");
    if (!existsSync(script)) {
      writeFileSync(script, putSecretScript());
      chmodSync(script, 0o755);
    }
    const r = run("bash", [script, join(dir, "secrets.properties"), key, mode], { input: value });
    return { status: r.status, out: r.stdout + r.stderr };
  }

  const values = [
    FAKE_TOKEN,
    "simple",
    " leading blank and trailing  ",
    "back\\slash\\\\double",
    "quote\"and'apostrophe",
    "${file:/etc/passwd:x} #not-a-comment =:!",
    "ünïcödé-密码",
  ];

  for (const value of values) {
    it(`jaas: ${JSON.stringify(value)} reaches the JAAS password intact, never printed`, () => {
      withTempDir((dir) => {
        const r = put(dir, "dr.sasl.password", "jaas", value);
        expect(r.status, r.out).to.equal(0);
        expect(r.out).to.equal("");
        const stored = parseProperties(readFileSync(join(dir, "secrets.properties"), "utf8")).get(
          "dr.sasl.password",
        );
        // Kafka substitutes the stored string inside password="…" of the JAAS configuration.
        const jaas = `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${stored}";`;
        expect(parseJaasOptions(jaas).get("password")).to.equal(value);
      });
    });

    it(`plain: ${JSON.stringify(value)} is stored verbatim`, () => {
      withTempDir((dir) => {
        const r = put(dir, "dc2.ssl.keystore.password", "plain", value);
        expect(r.status, r.out).to.equal(0);
        const stored = parseProperties(readFileSync(join(dir, "secrets.properties"), "utf8"));
        expect(stored.get("dc2.ssl.keystore.password")).to.equal(value);
      });
    });
  }

  it("creates the file with mode 0600 and replaces a key without touching the others", () => {
    withTempDir((dir) => {
      expect(put(dir, "a.sasl.password", "jaas", "one").status).to.equal(0);
      expect(put(dir, "b.sasl.password", "jaas", "two").status).to.equal(0);
      expect(put(dir, "a.sasl.password", "jaas", "three").status).to.equal(0);
      const file = join(dir, "secrets.properties");
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect([...parseProperties(readFileSync(file, "utf8")).entries()]).to.deep.equal([
        ["b.sasl.password", "two"],
        ["a.sasl.password", "three"],
      ]);
      expect(readdirSync(dir).sort()).to.deep.equal(["put-secret.sh", "secrets.properties"]);
    });
  });

  const refused: [string, string, string, string][] = [
    ["an empty value", "k", "jaas", ""],
    ["a multi-line value", "k", "jaas", `${FAKE_TOKEN}\nsecond line`],
    ["a key with a slash", "a/b", "plain", "v"],
    ["an unknown mode", "k", "base64", "v"],
  ];
  for (const [name, key, mode, value] of refused) {
    it(`refuses ${name} without printing the value`, () => {
      withTempDir((dir) => {
        const r = put(dir, key, mode, value);
        expect(r.status).to.be.a("number").and.not.equal(0);
        expect(r.out).not.to.contain("FAKE");
        expect(r.out).not.to.contain("second line");
      });
    });
  }
});

describe("contract: fetch-secrets.sh with a stub OCI CLI", function () {
  before(function () {
    requireTool(this, "base64", "coreutils");
    requireTool(this, "readlink", "coreutils");
  });

  const secrets: Record<string, string> = {
    "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadrtoken": FAKE_TOKEN,
    "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonprempassword": `${FAKE_TOKEN}-onprem`,
    "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonpremtrust": "TRUSTSTORE-BYTES\u0001\u0002",
    "ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonpremtrustpw": `${FAKE_TOKEN}-trust`,
  };

  /** Renders fetch-secrets.sh for a temp config dir and stubs oci (Vault), chown and sleep. */
  function setUp(dir: string, failing: boolean): { script: string; env: NodeJS.ProcessEnv; conf: string } {
    const conf = join(dir, "etc-mm2");
    mkdirSync(join(conf, "tls"), { recursive: true });
    const libexec = join(dir, "libexec");
    mkdirSync(libexec);
    const files = renderNodeFiles({ model: onpremToOciModel({ configDir: conf }), nodeMemoryGbs: 4 });
    for (const f of files.filter((x) => x.path.endsWith(".sh"))) {
      writeScript(libexec, f);
    }
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const cases = Object.entries(secrets)
      .map(([id, v]) => `  ${id}) printf '%s\\n' '${Buffer.from(v).toString("base64")}' ;;`)
      .join("\n");
    writeFileSync(
      join(bin, "oci"),
      `#!/bin/bash
[ "$1 $2 $3" = "secrets secret-bundle get" ] || exit 64
[ "$6 $7" = "--auth instance_principal" ] || exit 65
${failing ? "echo 'ServiceError: NotAuthorizedOrNotFound' >&2; exit 1" : ""}
case "$5" in
${cases}
  *) echo "NotAuthorizedOrNotFound" >&2; exit 1 ;;
esac
`,
    );
    writeFileSync(join(bin, "chown"), "#!/bin/bash\nexit 0\n");
    writeFileSync(join(bin, "install"), '#!/bin/bash\nfor a; do d=$a; done; mkdir -p "$d"\n');
    writeFileSync(join(bin, "sleep"), "#!/bin/bash\nexit 0\n");
    for (const s of ["oci", "chown", "install", "sleep"]) {
      chmodSync(join(bin, s), 0o755);
    }
    return {
      script: join(libexec, "fetch-secrets.sh"),
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
      conf,
    };
  }

  it("writes every secret for Kafka's FileConfigProvider and prints none of them", () => {
    withTempDir((dir) => {
      const { script, env, conf } = setUp(dir, false);
      const r = run("bash", [script], { env });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout + r.stderr).not.to.contain("FAKE");
      const file = join(conf, "secrets.properties");
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      const stored = parseProperties(readFileSync(file, "utf8"));
      const jaas = (v: string | undefined): string | undefined =>
        parseJaasOptions(`M required password="${v ?? ""}";`).get("password");
      expect(jaas(stored.get("dr.sasl.password"))).to.equal(FAKE_TOKEN);
      expect(jaas(stored.get("onprem.sasl.password"))).to.equal(`${FAKE_TOKEN}-onprem`);
      expect(stored.get("onprem.ssl.truststore.password")).to.equal(`${FAKE_TOKEN}-trust`);
      const trust = join(conf, "tls", "onprem.truststore.p12");
      expect(readFileSync(trust, "utf8")).to.equal("TRUSTSTORE-BYTES\u0001\u0002");
      expect(statSync(trust).mode & 0o777).to.equal(0o600);
      expect(readdirSync(conf).filter((n) => n.startsWith("."))).to.deep.equal([]);
    });
  });

  it("fails (so systemd retries) when Vault refuses, leaving no partial file behind", () => {
    withTempDir((dir) => {
      const { script, env, conf } = setUp(dir, true);
      const r = run("bash", [script], { env });
      expect(r.status).to.not.equal(0);
      expect(r.stderr).to.contain("check the dynamic group and the policy");
      expect(existsSync(join(conf, "secrets.properties"))).to.equal(false);
      expect(readdirSync(conf).filter((n) => n.startsWith("."))).to.deep.equal([]);
    });
  });
});

describe("contract: provision.sh retries package installs with backoff, reporting to the journal", function () {
  /** provision.sh's retry() alone, run with stub sleep/logger that record what they were asked. */
  function runRetry(
    dir: string,
    failures: number,
  ): { status: number | null; sleeps: string; journal: string } {
    const provision = renderNodeFiles({
      model: drModel(),
      nodeMemoryGbs: 4,
      fleetSubnetCidr: "10.20.2.0/24",
    }).find((f) => f.path.endsWith("/provision.sh"))!.content;
    const fn = /\nretry\(\) \{\n[\s\S]*?\n\}\n/.exec(provision);
    expect(fn, "provision.sh defines retry()").to.not.equal(null);
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "sleep"), `#!/bin/bash\necho "$1" >>${JSON.stringify(join(dir, "sleeps"))}\n`);
    writeFileSync(join(bin, "logger"), `#!/bin/bash\necho "$*" >>${JSON.stringify(join(dir, "journal"))}\n`);
    writeFileSync(
      join(bin, "flaky"),
      `#!/bin/bash\nn=$(cat ${JSON.stringify(join(dir, "count"))} 2>/dev/null || echo 0)\necho $((n + 1)) >${JSON.stringify(join(dir, "count"))}\n[ "$n" -ge ${failures} ]\n`,
    );
    for (const s of ["sleep", "logger", "flaky"]) chmodSync(join(bin, s), 0o755);
    writeFileSync(join(dir, "t.sh"), `set -euo pipefail\n${fn![0]}\nretry flaky install java\n`);
    const r = run("bash", [join(dir, "t.sh")], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}` },
    });
    const read = (n: string) => (existsSync(join(dir, n)) ? readFileSync(join(dir, n), "utf8") : "");
    return { status: r.status, sleeps: read("sleeps"), journal: read("journal") };
  }

  it("succeeds after two transient failures, waiting 15 s then 30 s, each failure in the journal", () => {
    withTempDir((dir) => {
      const r = runRetry(dir, 2);
      expect(r.status).to.equal(0);
      expect(r.sleeps.trim().split("\n")).to.deep.equal(["15", "30"]);
      expect(r.journal).to.contain("attempt 1 of 5 failed: flaky install java");
      expect(r.journal).to.contain("attempt 2 of 5 failed: flaky install java");
      expect(r.journal).to.not.contain("attempt 3");
    });
  });

  it("gives up after five attempts (no wait after the last) so provision.sh reports FATAL", () => {
    withTempDir((dir) => {
      const r = runRetry(dir, 99);
      expect(r.status).to.not.equal(0);
      expect(r.sleeps.trim().split("\n")).to.deep.equal(["15", "30", "60", "120"]);
      expect(r.journal).to.contain("attempt 5 of 5 failed");
    });
  });
});

describe("contract: install-kafka.sh verifies the SHA-512", function () {
  before(function () {
    requireTool(this, "curl", "curl");
    requireTool(this, "tar", "tar");
    requireTool(this, "sha512sum", "coreutils");
  });

  function fakeRelease(dir: string): { url: string; sha: string } {
    const root = join(dir, "src", "kafka_2.13-0.0.0");
    mkdirSync(join(root, "bin"), { recursive: true });
    writeFileSync(join(root, "bin", "connect-mirror-maker.sh"), "#!/bin/bash\necho fake\n");
    chmodSync(join(root, "bin", "connect-mirror-maker.sh"), 0o755);
    const tgz = join(dir, "kafka.tgz");
    const t = run("tar", ["-czf", tgz, "-C", join(dir, "src"), "kafka_2.13-0.0.0"]);
    expect(t.status, t.stderr).to.equal(0);
    return { url: `file://${tgz}`, sha: createHash("sha512").update(readFileSync(tgz)).digest("hex") };
  }

  const script = (): NodeFile =>
    renderNodeFiles({ model: drModel({ fleet: { nodes: 1, coresPerNode: 1 } }), nodeMemoryGbs: 4 }).find(
      (f) => f.path.endsWith("/install-kafka.sh"),
    ) as NodeFile;

  it("refuses a tarball whose SHA-512 is not the pinned one, loudly, installing nothing", () => {
    withTempDir((dir) => {
      const { url } = fakeRelease(dir);
      const home = join(dir, "opt", "kafka");
      const r = run("bash", [writeScript(dir, script()), url, home]);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("FATAL: SHA-512 mismatch");
      expect(existsSync(home)).to.equal(false);
      expect(readdirSync(join(dir, "opt"))).to.deep.equal([]);
    });
  });

  it("installs a tarball whose SHA-512 matches, and is idempotent", () => {
    withTempDir((dir) => {
      const { url, sha } = fakeRelease(dir);
      const home = join(dir, "opt", "kafka");
      const p = writeScript(dir, script());
      const r = run("bash", [p, url, home, sha]);
      expect(r.status, r.stderr).to.equal(0);
      expect(statSync(join(home, "bin", "connect-mirror-maker.sh")).mode & 0o111).to.not.equal(0);
      expect(readFileSync(join(home, ".sha512"), "utf8").trim()).to.equal(sha);
      expect(readdirSync(join(dir, "opt"))).to.deep.equal(["kafka"]);
      const again = run("bash", [p, url, home, sha]);
      expect(again.status).to.equal(0);
      expect(again.stderr).to.contain("already installed");
    });
  });
});

describe("contract: node-properties.sh", function () {
  before(function () {
    requireTool(this, "ip", "iproute2");
  });

  it("records this host's IPv4 address for rest.advertised.host.name", function () {
    withTempDir((dir) => {
      const f = renderNodeFiles({
        model: drModel({ configDir: dir }),
        nodeMemoryGbs: 4,
        fleetSubnetCidr: "10.0.0.0/24",
      }).find((x) => x.path.endsWith("/node-properties.sh")) as NodeFile;
      const route = run("ip", ["-4", "-o", "route", "get", "169.254.169.254"]);
      if (route.status !== 0) {
        // No IPv4 route at all (sandbox without network): the script must fail, not write garbage.
        expect(run("bash", [writeScript(dir, f)]).status).to.not.equal(0);
        return;
      }
      const r = run("bash", [writeScript(dir, f)]);
      expect(r.status, r.stderr).to.equal(0);
      const host = parseProperties(readFileSync(join(dir, "node.properties"), "utf8")).get(
        "rest.advertised.host.name",
      );
      expect(host).to.match(/^\d{1,3}(\.\d{1,3}){3}$/);
      expect(route.stdout).to.contain(`src ${host as string}`);
    });
  });
});
