import { expect } from "chai";
import { gunzipSync } from "node:zlib";
import {
  encodeUserData,
  instanceMetadata,
  instanceMetadataBytes,
  NodeFile,
  OCI_INSTANCE_METADATA_MAX_BYTES,
  UserDataInput,
  heapMbFor,
  kafkaDownloadUrl,
  renderNodeFiles,
  renderUserData,
  shQuote,
  VAULT_ATTEMPTS,
  VAULT_CALL_TIMEOUT_SECONDS,
  VAULT_RETRY_DELAY_SECONDS,
} from "../../lib/core/cloudinit";
import { ValidationError } from "../../lib/core/errors";
import { KAFKA_TGZ, KAFKA_TGZ_SHA512, KAFKA_VERSION } from "../../lib/core/kafkaVersion";
import { renderMm2Properties } from "../../lib/core/mm2";
import {
  FAKE_TOKEN,
  dr,
  drModel,
  ociToExternalModel,
  onpremToOciModel,
  primary,
  shuffled,
} from "./mm2Fixtures";

const threeNodes: UserDataInput = {
  model: drModel({ fleet: { nodes: 3, coresPerNode: 4 } }),
  nodeMemoryGbs: 16,
  fleetSubnetCidr: "10.20.2.0/24",
};
const oneNode: UserDataInput = { model: drModel({ fleet: { nodes: 1, coresPerNode: 2 } }), nodeMemoryGbs: 8 };

function file(input: UserDataInput, suffix: string): NodeFile {
  const f = renderNodeFiles(input).find((x) => x.path.endsWith(suffix));
  expect(f, suffix).not.to.equal(undefined);
  return f as NodeFile;
}

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("expected a ValidationError");
}

describe("cloud-init user-data", () => {
  it("is a #cloud-config document", () => {
    expect(renderUserData(oneNode).startsWith("#cloud-config\n")).to.equal(true);
  });

  it("keeps the image's default user and adds a locked, non-root system user mm2", () => {
    const ud = renderUserData(oneNode);
    expect(ud).to.contain("users:\n  - default\n  - name: mm2\n");
    expect(ud).to.contain("    system: true\n    shell: /sbin/nologin\n    lock_passwd: true\n");
  });

  it("writes every node file into the document, indented as a literal block", () => {
    const ud = renderUserData(threeNodes);
    for (const f of renderNodeFiles(threeNodes)) {
      const block = f.content
        .slice(0, -1)
        .split("\n")
        .map((l) => (l === "" ? "" : `      ${l}`))
        .join("\n");
      expect(ud).to.contain(`  - path: ${JSON.stringify(f.path)}\n`);
      expect(ud).to.contain(`    content: |\n${block}\n`);
    }
  });

  it("runs provision.sh once from runcmd", () => {
    expect(
      renderUserData(oneNode).endsWith('runcmd:\n  - ["/usr/local/libexec/mm2/provision.sh"]\n'),
    ).to.equal(true);
  });

  it("embeds mm2.properties exactly as the properties renderer produces it, mode 0600", () => {
    const f = file(threeNodes, "/mm2.properties");
    expect(f.path).to.equal("/etc/mm2/mm2.properties");
    expect(f.permissions).to.equal("0600");
    expect(f.content).to.equal(renderMm2Properties(threeNodes.model));
  });

  describe("determinism", () => {
    for (const [name, input] of [
      ["one node", oneNode],
      ["three nodes", threeNodes],
      ["on-prem", { model: onpremToOciModel(), nodeMemoryGbs: 4 }],
    ] as [string, UserDataInput][]) {
      it(`${name}: byte-identical when rendered twice and from shuffled input`, () => {
        const a = renderUserData(input);
        expect(renderUserData(input)).to.equal(a);
        expect(renderUserData({ ...input, model: shuffled(input.model) })).to.equal(a);
      });
    }
  });

  describe("provision.sh", () => {
    const provision = file(oneNode, "/provision.sh").content;
    it("installs Java 17 headless with dnf", () => {
      expect(provision).to.contain("dnf -y install java-17-openjdk-headless");
    });
    it("installs the OCI CLI from the Oracle Linux developer repository (OL8 and OL9)", () => {
      expect(provision).to.contain(
        "retry dnf -y install oraclelinux-developer-release-el8 && retry dnf -y install python36-oci-cli",
      );
      expect(provision).to.contain(
        "retry dnf -y install oraclelinux-developer-release-el9 && retry dnf -y install python39-oci-cli",
      );
    });
    it("retries every package install (a transient mirror failure must not leave a dead node)", () => {
      const installs = provision.split("\n").filter((l) => /\bdnf -y install\b/.test(l));
      expect(installs.length).to.be.greaterThan(0);
      for (const line of installs) {
        for (const cmd of line.split("&&")) {
          expect(cmd.trim(), line).to.match(/^(\d\) )?retry dnf -y install /);
        }
      }
    });
    it("installs Kafka through the verifying script and fails loudly otherwise", () => {
      expect(provision).to.contain(
        '/usr/local/libexec/mm2/install-kafka.sh || fail "Kafka was not installed',
      );
      expect(provision).to.match(/fail\(\) \{\n {2}echo "mm2-provision: FATAL: \$\*" >&2/);
    });
    it("opens nothing in the host firewall for a single node", () => {
      expect(provision).not.to.contain("firewall-cmd");
    });
    it("opens only the internal REST port, only to the MM2 subnet, with several nodes", () => {
      const p = file(threeNodes, "/provision.sh").content;
      const rules = p.split("\n").filter((l) => l.includes("firewall-cmd --permanent"));
      expect(rules).to.have.length(1);
      expect(rules[0]).to.contain('source address="10.20.2.0/24" port port="8083" protocol="tcp" accept');
    });
    it("hands the properties file to the service user with mode 0600", () => {
      expect(provision).to.contain('chown mm2:mm2 "$conf/mm2.properties"\nchmod 0600 "$conf/mm2.properties"');
    });
  });

  describe("Kafka download", () => {
    it("uses the pinned release from Apache's archive by default and checks its SHA-512", () => {
      const s = file(oneNode, "/install-kafka.sh").content;
      expect(s).to.contain(`https://archive.apache.org/dist/kafka/${KAFKA_VERSION}/${KAFKA_TGZ}`);
      expect(s).to.contain(KAFKA_TGZ_SHA512);
      expect(s).to.contain(`'/opt/kafka-${KAFKA_VERSION}'`);
      expect(s).to.contain('if [ "$actual" != "$sha" ]; then');
    });
    it("uses a custom mirror base URL", () => {
      const s = file(
        { ...oneNode, kafkaDownloadBaseUrl: "https://mirror.example.com/apache/kafka/" },
        "/install-kafka.sh",
      ).content;
      expect(s).to.contain(`'https://mirror.example.com/apache/kafka/${KAFKA_VERSION}/${KAFKA_TGZ}'`);
      expect(kafkaDownloadUrl("https://m.example.com/k")).to.equal(
        `https://m.example.com/k/${KAFKA_VERSION}/${KAFKA_TGZ}`,
      );
    });
  });

  describe("mm2.service", () => {
    const unit = file(threeNodes, "/mm2.service").content;
    const single = file(oneNode, "/mm2.service").content;
    const lines: [string, string][] = [
      ["runs as the service user", "User=mm2"],
      [
        "runs MM2 in dedicated mode for the target",
        `ExecStart=/opt/kafka-${KAFKA_VERSION}/bin/connect-mirror-maker.sh /etc/mm2/mm2.properties --clusters dr`,
      ],
      ["restarts on failure", "Restart=on-failure"],
      ["waits between restarts", "RestartSec=15"],
      ["never gives up restarting", "StartLimitIntervalSec=0"],
      ["logs to journald", "StandardOutput=journal"],
      ["raises the file limit", "LimitNOFILE=65536"],
      ["fetches secrets as root before starting", "ExecStartPre=+/usr/local/libexec/mm2/fetch-secrets.sh"],
      [
        "writes the advertised address before starting (multi-node)",
        "ExecStartPre=+/usr/local/libexec/mm2/node-properties.sh",
      ],
      ["sizes the heap from the node's memory", 'Environment="KAFKA_HEAP_OPTS=-Xms8192m -Xmx8192m"'],
      ["pins Java 17", "Environment=JAVA_HOME=/usr/lib/jvm/jre-17"],
    ];
    for (const [name, line] of lines) {
      it(name, () => {
        expect(unit.split("\n")).to.include(line);
      });
    }
    it("lets the start outlast every secret's Vault retry budget (systemd's 90 s default would not)", () => {
      const secrets = (file(threeNodes, "/fetch-secrets.sh").content.match(/^bundle /gm) ?? []).length;
      expect(secrets).to.be.greaterThan(0);
      const budget = secrets * VAULT_ATTEMPTS * (VAULT_CALL_TIMEOUT_SECONDS + VAULT_RETRY_DELAY_SECONDS);
      const m = /^TimeoutStartSec=(\d+)$/m.exec(unit);
      expect(m, "TimeoutStartSec is set").to.not.equal(null);
      expect(Number(m![1])).to.be.greaterThan(budget).and.to.be.greaterThan(90);
      expect(file(threeNodes, "/fetch-secrets.sh").content).to.contain(
        `timeout ${VAULT_CALL_TIMEOUT_SECONDS} oci secrets secret-bundle get`,
      );
    });
    it("has no node-properties step with a single node", () => {
      expect(single).not.to.contain("node-properties");
      expect(renderNodeFiles(oneNode).map((f) => f.path)).not.to.include(
        "/usr/local/libexec/mm2/node-properties.sh",
      );
    });
  });

  it("sizes the heap at half the memory, between 512 MB and 16 GB", () => {
    const table: [number, number][] = [
      [1, 512],
      [2, 1024],
      [4, 2048],
      [16, 8192],
      [64, 16384],
    ];
    for (const [gb, mb] of table) {
      expect(heapMbFor(gb), `${gb} GB`).to.equal(mb);
    }
  });

  describe("secrets", () => {
    const fetch = file({ model: onpremToOciModel(), nodeMemoryGbs: 4 }, "/fetch-secrets.sh").content;

    it("fetches each secret from Vault with the instance principal and decodes it", () => {
      expect(fetch).to.contain(
        `oci secrets secret-bundle get --secret-id "$1" --auth instance_principal \\\n      --query 'data."secret-bundle-content".content' --raw-output`,
      );
      expect(fetch).to.contain(
        `bundle 'ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadrtoken' | base64 -d | "$libexec/put-secret.sh" "$work/secrets.properties" 'dr.sasl.password' jaas`,
      );
      expect(fetch).to.contain(
        `bundle 'ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaaonprempassword' | base64 -d | "$libexec/put-secret.sh" "$work/secrets.properties" 'onprem.sasl.password' jaas`,
      );
      expect(fetch).to.contain("'onprem.ssl.truststore.password' plain");
    });

    it("writes the TLS store files owned by mm2, mode 0600", () => {
      expect(fetch).to.contain(`mv -f "$work/file0" '/etc/mm2/tls/onprem.truststore.p12'`);
      expect(fetch).to.contain(`chown mm2:mm2 "$work/file0"\nchmod 0600 "$work/file0"`);
    });

    it("writes the secrets file with umask 077, owned by mm2, mode 0600, atomically", () => {
      expect(fetch).to.contain("umask 077");
      expect(fetch).to.contain(
        `chown mm2:mm2 "$work/secrets.properties"\nchmod 0600 "$work/secrets.properties"\nmv -f "$work/secrets.properties" "$conf/secrets.properties"`,
      );
    });

    it("only fetches the secrets of the clusters this fleet talks to", () => {
      const aa = file(
        {
          model: drModel({ clusters: [primary, dr, { ...dr, alias: "other", topics: [] }] }),
          nodeMemoryGbs: 4,
          fleetSubnetCidr: "10.0.0.0/24",
        },
        "/fetch-secrets.sh",
      ).content;
      expect(aa).not.to.contain("'other.sasl.password'");
    });

    it("no script traces commands or prints a fetched value", () => {
      for (const input of [
        oneNode,
        threeNodes,
        { model: onpremToOciModel(), nodeMemoryGbs: 4 },
        { model: ociToExternalModel(), nodeMemoryGbs: 4 },
      ]) {
        for (const f of renderNodeFiles(input).filter((x) => x.path.endsWith(".sh"))) {
          expect(f.content, f.path).not.to.match(/set -[a-z]*x|xtrace|bash -x/);
          expect(f.content, f.path).not.to.match(/echo[^\n]*\$(value|out)\b/);
        }
      }
    });

    it("refuses a credential given where a secret OCID belongs, without repeating it", () => {
      const e = errorOf(() =>
        renderUserData({
          ...oneNode,
          model: drModel({ clusters: [primary, { ...dr, authToken: { secretId: FAKE_TOKEN } }] }),
        }),
      );
      expect(e.field).to.equal("clusters[1].authToken.secretId");
      expect(e.message).not.to.contain(FAKE_TOKEN);
    });

    it("contains secret OCIDs (identifiers) but no secret values", () => {
      const ud = renderUserData({ model: onpremToOciModel(), nodeMemoryGbs: 4 });
      expect(ud).to.contain("ocid1.vaultsecret.oc1.eu-amsterdam-1.amaaaaaadrtoken");
      expect(ud).not.to.contain(FAKE_TOKEN);
      expect(ud).not.to.match(/password="(?!\$\{file:)/);
    });
  });

  describe("input validation", () => {
    it("requires the MM2 subnet CIDR with more than one node", () => {
      expect(errorOf(() => renderUserData({ ...threeNodes, fleetSubnetCidr: undefined })).field).to.equal(
        "fleetSubnetCidr",
      );
      expect(
        errorOf(() => renderUserData({ ...threeNodes, fleetSubnetCidr: "10.20.2.0/33" })).field,
      ).to.equal("fleetSubnetCidr");
    });
    it("requires a sensible node memory", () => {
      expect(errorOf(() => renderUserData({ ...oneNode, nodeMemoryGbs: 0 })).field).to.equal("nodeMemoryGbs");
    });
    it("refuses a mirror URL that could break out of the script", () => {
      for (const url of [
        "https://x.example.com/'$(reboot)'",
        "ftp://x.example.com/k",
        "https://x.example.com/a b",
      ]) {
        expect(errorOf(() => renderUserData({ ...oneNode, kafkaDownloadBaseUrl: url })).field).to.equal(
          "kafkaDownloadBaseUrl",
        );
      }
    });
    it("prefixes fields when asked", () => {
      expect(
        errorOf(() => renderUserData({ ...oneNode, nodeMemoryGbs: 0, fieldPrefix: "mirrorMaker" })).field,
      ).to.equal("mirrorMaker.nodeMemoryGbs");
    });
  });

  describe("what the instance gets: gzip + base64", () => {
    it("decompresses (any gunzip: Node's zlib here, cloud-init's in the contract test) to exactly the document", () => {
      for (const input of [oneNode, threeNodes, { model: onpremToOciModel(), nodeMemoryGbs: 4 }]) {
        const document = renderUserData(input);
        const encoded = encodeUserData(document);
        expect(encoded).to.match(/^[A-Za-z0-9+/]+=*$/);
        const raw = Buffer.from(encoded, "base64");
        expect([raw[0], raw[1]], "gzip magic").to.deep.equal([0x1f, 0x8b]);
        expect(gunzipSync(raw).toString("utf8")).to.equal(document);
      }
    });

    it("is byte-identical for the same document: no timestamp, no file name, one pinned compressor", () => {
      // OCI cannot update user_data in place (a change replaces the instance): these bytes must not
      // drift with the machine, the Node.js version or the time. The golden value pins the
      // compressor; a new fflate that compresses differently fails here (and would replace fleets).
      const fixed =
        '#cloud-config\n# oci-geo-streaming: the compressor is pinned\nruncmd:\n  - ["/usr/local/libexec/mm2/provision.sh"]\n';
      expect(encodeUserData(fixed)).to.equal(
        "H4sIAAAAAAACAwUAQQ6DMOjeVxA9d0129CvLDo6ySlKgAWt8vlmx26wZTf/c0gqGnBtZjtNpF9a2wXkQoMlwijAHDhisSjX5VJS6JYAMn6XM8NIN9146/+gmLCLvMtwuDjZ9xbF80wNr3e3lcAAAAA==",
      );
      const raw = Buffer.from(encodeUserData(renderUserData(threeNodes)), "base64");
      expect(raw.readUInt32LE(4), "MTIME").to.equal(0);
      expect(raw[3] & 0x08, "FNAME flag").to.equal(0);
      expect(encodeUserData(renderUserData(threeNodes))).to.equal(encodeUserData(renderUserData(threeNodes)));
    });

    it("takes well under half of the plain base64 (about a third)", () => {
      const document = renderUserData(threeNodes);
      const plain = Buffer.from(document).toString("base64").length;
      expect(encodeUserData(document).length).to.be.below(plain * 0.4);
    });

    it("the metadata holds the encoded user-data and the SSH keys; its size is its JSON text", () => {
      const document = renderUserData(oneNode);
      expect(instanceMetadata(document)).to.deep.equal({ user_data: encodeUserData(document) });
      const keys = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTestsOnly000000000000000000 ops";
      const m = instanceMetadata(document, keys);
      expect(m).to.deep.equal({ user_data: encodeUserData(document), ssh_authorized_keys: keys });
      expect(instanceMetadataBytes(m)).to.equal(Buffer.byteLength(JSON.stringify(m)));
      expect(instanceMetadataBytes(m)).to.be.above(m.user_data.length + keys.length);
      expect(OCI_INSTANCE_METADATA_MAX_BYTES).to.equal(32_000);
    });
  });

  it("shQuote quotes single quotes for bash", () => {
    expect(shQuote("a'b")).to.equal(`'a'\\''b'`);
  });
});
