/**
 * Wrong JavaScript types are refused naming the argument, for every argument: the cases
 * (tests/support/cases.ts, run in the pure and the mock tier) and the library's type table must
 * both cover exactly the leaf arguments of lib/core/config/args.ts, read with the TypeScript compiler API.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { ARG_TYPES } from "../../lib/core/config/argTypes";
import { resolveArgs } from "../../lib/core/config/validate";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { argLeaves } from "../support/argsJsdoc";
import { ARG_KINDS, validDr, withOnPremises } from "../support/cases";

const ARGS_TS = fs.readFileSync(path.join(__dirname, "..", "..", "lib", "core", "config", "args.ts"), "utf8");

/** The leaf paths of the library's type table, lists of objects as `[0]`. */
function tableLeaves(shape: object, prefix = ""): string[] {
  return Object.entries(shape).flatMap(([key, kind]) =>
    typeof kind === "object"
      ? tableLeaves(
          "object" in kind ? kind.object : kind.list,
          "list" in kind ? `${prefix}${key}[0].` : `${prefix}${key}.`,
        )
      : [`${prefix}${key}`],
  );
}

describe("argument types: every argument of GeoReplicatedStreamArgs", () => {
  const leaves = argLeaves(ARGS_TS);

  it("the compiler-API walk finds the arguments (and a new one: negative control)", () => {
    expect(leaves).to.include.members(["replication.enabled", "streams[0].partitions", "freeformTags"]);
    expect(leaves.length).to.be.above(80);
    const grown = ARGS_TS.replace(
      "export interface GeoReplicatedStreamArgs {",
      "export interface GeoReplicatedStreamArgs {\n  /** New. */\n  brandNewFlag?: boolean;",
    );
    expect(argLeaves(grown)).to.include("brandNewFlag");
  });

  it("has a wrong-type case in tests/support/cases.ts, run in both tiers", () => {
    expect(Object.keys(ARG_KINDS).sort()).to.deep.equal(leaves);
  });

  it("has an entry in the library's type table (lib/core/config/argTypes.ts)", () => {
    expect(tableLeaves(ARG_TYPES).sort()).to.deep.equal(leaves);
  });
});

describe("normalisation: what is validated is what the resources get", () => {
  it("peer CIDRs with surrounding whitespace are refused, not trimmed (one rule for every string: tests/unit/validateInput.test.ts)", () => {
    const a = validDr();
    a.peer!.vcnCidr = "10.10.0.0/16 ";
    expect(() => resolveArgs(a)).to.throw(/^peer\.vcnCidr: has trailing whitespace/);
  });

  it("the peer's streams carry their defaults; the external bootstrap list is normalised", () => {
    const a = validDr();
    a.peer!.streams = [{ name: "orders" }];
    a.peer!.streamPoolId = "ocid1.streampool.oc1.fra.amaaaaaapeer";
    a.peer!.bootstrapServers = "peer.example:9092";
    a.replication = {
      tenancyId: "ocid1.tenancy.oc1..aaaaaaaat",
      homeRegionProvider: undefined as never,
      credentials: { mode: "create", email: "mm2@example.com" },
      kafkaDownloadCidr: "192.0.2.0/24",
      // With the egress narrowed, the operator tools' downloads come from a mirror there too.
      nodeDownloadBaseUrl: "https://mirror.example.com/node",
      jmxExporterDownloadBaseUrl: "https://mirror.example.com/maven2",
    };
    const v = validateGeoReplicatedStreamArgs(a, { providersPending: true });
    expect(v.peer!.streams).to.deep.equal([{ name: "orders", partitions: 1, retentionHours: 24 }]);
    expect(v.replication!.kafkaDownloadCidr).to.equal("192.0.2.0/24");
    const e = withOnPremises(validDr());
    e.externalKafka!.bootstrapServers = "172.16.1.10:9093 , 172.16.1.11:9093";
    expect(resolveArgs(e).externalKafka!.bootstrapServers).to.equal("172.16.1.10:9093,172.16.1.11:9093");
  });
});
