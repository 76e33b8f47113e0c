/**
 * Bad input a new user gave that used to be accepted (issue 18, item 7): each refused by
 * resolveDeployment before anything is registered, naming the argument the user wrote and the fix.
 * One whitespace rule for every string argument, and an Output where a plain value is needed.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { GeoReplicatedStreamArgs } from "../../lib/core/config/args";
import { MULTILINE_TEXT_ARGS, refuseSurroundingWhitespace } from "../../lib/core/config/primitives";
import { argumentOf } from "../../lib/core/config/validateFleetPlan";
import { ValidationError } from "../../lib/core/errors";
import type { ReplicatingDeployment } from "../../lib/core/fleet";
import { ARG_KINDS, setPath, validDr, withOnPremises, withReplication } from "../support/cases";

type Case = [title: string, mutate: (a: GeoReplicatedStreamArgs) => void, field: string, says: RegExp];

function errorOf(a: GeoReplicatedStreamArgs): ValidationError {
  try {
    validateGeoReplicatedStreamArgs(a, { providersPending: true });
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error("no error was thrown");
}

function expectRefused([, mutate, field, says]: Case): void {
  const a = validDr();
  mutate(a);
  const e = errorOf(a);
  expect(e.field).to.equal(field);
  expect(e.message.startsWith(`${field}: `), e.message).to.equal(true);
  expect(e.message).to.match(says);
}

const USER_OCID = "ocid1.user.oc1..aaaaaaaa4mm2serviceuserexampleuniqueid";

const CASES: Case[] = [
  [
    "a user OCID as replication.credentials.userName (existing credentials)",
    (a) =>
      (withReplication(a).credentials = {
        mode: "existing",
        userName: USER_OCID,
        authToken: pulumi.secret("token"),
      }),
    "replication.credentials.userName",
    /is an OCID, but the Kafka username .* with the user's name\. Give the IAM user's name/,
  ],
  [
    "a user OCID as replication.credentials.userName (created user)",
    (a) => (withReplication(a).credentials = { mode: "create", email: "m@example.com", userName: USER_OCID }),
    "replication.credentials.userName",
    /is an OCID/,
  ],
  [
    "peer.dnsListenerIp outside peer.vcnCidr",
    (a) => (a.peer!.dnsListenerIp = "10.20.2.53"),
    "peer.dnsListenerIp",
    /10\.20\.2\.53 is not inside peer\.vcnCidr 10\.10\.0\.0\/16: .*point at an address no listener answers/,
  ],
  [
    "peer.dnsListenerIp that is not an address, even without replication",
    (a) => (a.peer!.dnsListenerIp = "dns.example"),
    "peer.dnsListenerIp",
    /not an IPv4 address/,
  ],
  [
    "a compartment OCID as monitoring.notificationTopicId",
    (a) => (a.monitoring = { notificationTopicId: "ocid1.compartment.oc1..aaaaaaaatopic" }),
    "monitoring.notificationTopicId",
    /is not a Notifications topic OCID \(ocid1\.onstopic\..*leave the key out to have a topic created/,
  ],
  [
    "a topic name as monitoring.notificationTopicId",
    (a) => (a.monitoring = { notificationTopicId: "ops-alarms" }),
    "monitoring.notificationTopicId",
    /not a Notifications topic OCID/,
  ],
  [
    "a region of the US Government Cloud (OC2)",
    (a) => (a.region = "us-langley-1"),
    "region",
    /"us-langley-1" is a region of realm OC2 .*does not support.*Use a commercial region/,
  ],
  [
    "an EU Sovereign Cloud region as peer.region",
    (a) => (a.peer!.region = "eu-frankfurt-2"),
    "peer.region",
    /realm OC19 \(EU Sovereign Cloud\), which this package does not support/,
  ],
  [
    "a Dedicated Region by its name",
    (a) => (a.region = "eu-dcc-milan-1"),
    "region",
    /a Dedicated Region realm/,
  ],
  [
    "a region as an Output",
    (a) => (a.region = pulumi.output("eu-amsterdam-1") as unknown as string),
    "region",
    /is a Pulumi Output \(or Promise\), but it must be a plain value.*getOutputDetails/,
  ],
  [
    "peer.vcnCidr as an Output",
    (a) => (a.peer!.vcnCidr = pulumi.output("10.10.0.0/16") as unknown as string),
    "peer.vcnCidr",
    /is a Pulumi Output .*`peer: await peerFromStack\(stackReference\)` \(lib\/program\/peering\.ts\)/,
  ],
  [
    "the whole peer as an Output (a StackReference's getOutput)",
    (a) => (a.peer = pulumi.output(a.peer!) as unknown as GeoReplicatedStreamArgs["peer"]),
    "peer",
    /is a Pulumi Output .*peerFromStack/,
  ],
];

describe("bad input a new user gave is refused before registration (issue 18, item 7)", () => {
  for (const c of CASES) {
    it(`refuses ${c[0]}, naming ${c[2]}`, () => expectRefused(c));
  }

  it("still accepts the valid configuration and a real topic OCID (negative control)", () => {
    const a = validDr();
    a.monitoring = { notificationTopicId: "ocid1.onstopic.oc1.eu-amsterdam-1.aaaaaaaatopicexample" };
    withReplication(a, {
      credentials: { mode: "existing", userName: "mm2-service", authToken: pulumi.secret("t") },
    });
    expect(() => validateGeoReplicatedStreamArgs(a, { providersPending: true })).to.not.throw();
  });
});

describe("one whitespace rule for every string argument: refused, never trimmed", () => {
  /** A valid value of each string argument, which the rule must refuse with a space around it. */
  const strings: [path: string, set: (a: GeoReplicatedStreamArgs, v: string) => void, value: string][] = [
    ["region", (a, v) => (a.region = v), "eu-amsterdam-1"],
    ["compartmentId", (a, v) => (a.compartmentId = v), validDr().compartmentId as string],
    ["network.vcnCidr", (a, v) => (a.network.vcnCidr = v), "10.20.0.0/16"],
    ["peer.region", (a, v) => (a.peer!.region = v), "eu-frankfurt-1"],
    ["peer.vcnCidr", (a, v) => (a.peer!.vcnCidr = v), "10.10.0.0/16"],
    ["peer.mirrorMakerSubnetCidr", (a, v) => (a.peer!.mirrorMakerSubnetCidr = v), "10.10.2.0/24"],
    ["peer.dnsListenerIp", (a, v) => (a.peer!.dnsListenerIp = v), "10.10.2.53"],
    ["streams[0].name", (a, v) => (a.streams![0].name = v), "orders"],
    ["freeformTags.team", (a, v) => (a.freeformTags = { team: v }), "payments"],
    ["monitoring.emails[0]", (a, v) => (a.monitoring = { emails: [v] }), "ops@example.com"],
    [
      "replication.kafkaDownloadCidr",
      (a, v) =>
        withReplication(a, {
          kafkaDownloadCidr: v,
          nodeDownloadBaseUrl: "https://mirror.example.com/node",
          jmxExporterDownloadBaseUrl: "https://mirror.example.com/maven2",
        }),
      "192.0.2.0/24",
    ],
    [
      "externalKafka.bootstrapServers",
      (a, v) => (withOnPremises(a).externalKafka!.bootstrapServers = v),
      "172.16.1.10:9093",
    ],
    [
      "onPremises.dns.serverIp",
      (a, v) => (withOnPremises(a).onPremises!.dns = { domains: ["dc1.corp.example"], serverIp: v }),
      "172.16.0.53",
    ],
  ];
  for (const [path, set, value] of strings) {
    for (const [where, padded] of [
      ["trailing", `${value} `],
      ["leading", ` ${value}`],
      ["leading and trailing", `\t${value}\n`],
    ]) {
      it(`${path} with ${where} whitespace`, () => {
        const a = validDr();
        set(a, padded);
        const e = errorOf(a);
        expect(e.field).to.equal(path);
        expect(e.message).to.equal(
          `${path}: has ${where} whitespace. Remove it: values are used as written, never trimmed`,
        );
      });
    }
    it(`${path} as written is accepted (negative control)`, () => {
      const a = validDr();
      set(a, value);
      expect(() => validateGeoReplicatedStreamArgs(a, { providersPending: true })).to.not.throw();
    });
  }

  it("applies to every string argument of the type table, in the type check (before any other rule)", () => {
    const paths = Object.entries(ARG_KINDS)
      .filter(([path, k]) => (k === "string" || k === "input") && !MULTILINE_TEXT_ARGS.has(path))
      .map(([path]) => path);
    expect(paths.length).to.be.above(40);
    for (const path of paths) {
      const a = validDr();
      if (path.startsWith("replication.")) withReplication(a);
      setPath(a as unknown as Record<string, unknown>, path, " x");
      expect(errorOf(a).message, path).to.equal(
        `${path}: has leading whitespace. Remove it: values are used as written, never trimmed`,
      );
    }
  });

  it("multi-line text (a PEM block, authorized_keys) may end with a line break", () => {
    expect(refuseSurroundingWhitespace("externalKafka.tls.caCertificatePem", "-----BEGIN X-----\n")).to.equal(
      "-----BEGIN X-----\n",
    );
    expect(() => refuseSurroundingWhitespace("region", "eu-frankfurt-1\n")).to.throw(/trailing whitespace/);
  });

  it("never echoes the value (a secret given as a plain string would otherwise leak)", () => {
    expect(() => refuseSurroundingWhitespace("externalKafka.sasl.password", " hunter2")).to.throw(
      /^externalKafka\.sasl\.password: has leading whitespace\. Remove it/,
    );
    try {
      refuseSurroundingWhitespace("x", " hunter2");
    } catch (e) {
      expect((e as Error).message).to.not.contain("hunter2");
    }
  });
});

describe("messages name the argument the user wrote, never a path of the MM2 model", () => {
  it("a peer stream whose remote copy's name is too long names peer.streams[0].name", () => {
    const a = validDr();
    withReplication(a);
    a.peer!.streams = [{ name: "o".repeat(249), partitions: 6 }];
    const e = errorOf(a);
    expect(e.field).to.equal("peer.streams[0].name");
    expect(e.message).to.match(/^peer\.streams\[0\]\.name: gives the remote topic name that/);
  });

  it("a declared local copy whose partitions differ from the source names streams[i].partitions", () => {
    const a = validDr();
    withReplication(a);
    a.streams!.push({ name: "fra.orders", partitions: 2 });
    const e = errorOf(a);
    expect(e.field).to.equal("streams[2].partitions");
    expect(e.message).to.match(
      /^streams\[2\]\.partitions: is 2 but the replicated source topic "orders" has 6/,
    );
  });

  it("maps every model path the validator can name to an argument (table)", () => {
    const a = withOnPremises(validDr());
    withReplication(a);
    const d = validateGeoReplicatedStreamArgs(a, { providersPending: true });
    const aliases = ["fra", "ams", "onprem"];
    for (const [model, argument] of [
      ["flows[0].topics.include[1]", "replication.topicsInclude[1]"],
      ["flows[0].topics.exclude", "replication.topicsExclude"],
      ["flows[0].groups.exclude[0]", "replication.groupsExclude[0]"],
      ["fleet.nodes", "replication.fleet.size"],
      ["fleet.coresPerNode", "replication.fleet.ocpus"],
      ["tasksMax", "replication.tasksMax"],
      ["policy.type", "replication.replicationPolicy"],
      ["refresh.checkpointIntervalSeconds", "replication.checkpointIntervalSeconds"],
      ["clusters[0].topics[3].name", "peer.streams[3].name"],
      ["clusters[0].bootstrapServers", "peer.bootstrapServers"],
      ["clusters[1].topics[0].partitions", "streams[0].partitions"],
      ["clusters[2].topics[1].name", "externalKafka.topics[1].name"],
      ["clusters[2].sasl.username", "externalKafka.sasl.username"],
      ["clusters[2].tls.keystore", "externalKafka"],
      ["flows[0]", "replication"],
      ["target", "replication"],
    ]) {
      const got = argumentOf(model, d as ReplicatingDeployment, aliases);
      expect(got, model).to.equal(argument);
      expect(got, model).to.not.match(/flows\[|clusters\[/);
    }
  });
});
