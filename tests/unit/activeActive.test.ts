import { expect } from "chai";
import { GeoReplicatedStreamArgs, PeerReplicationInfo } from "../../lib/core/config/args";
import { resolveArgs } from "../../lib/core/config/validate";
import { checkActiveActive, resolveReplicationInfra } from "../../lib/core/config/validateReplication";
import { assertActiveActiveLoopFree } from "../../lib/core/config/validateFleetPlan";
import type { ReplicatingDeployment } from "../../lib/core/fleet";
import { ValidationError } from "../../lib/core/errors";
import { validateGeoReplicatedStreamArgs } from "../../lib/components/geoReplicatedStream";
import { MM2_EMAIL, validDr } from "../support/cases";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaaq3z5xqv4hn7fz2ob6a2fwq6jd4o7ryv7w3xk2pbrqazx5ny3gyja";

/** dr pulling from a primary that (maybe) pulls from dr too. */
function activeActive(
  peerReplication: PeerReplicationInfo | undefined,
  edit: (a: GeoReplicatedStreamArgs) => void = () => {},
): GeoReplicatedStreamArgs {
  const a = validDr();
  a.peer = {
    ...a.peer!,
    streamPoolId: "ocid1.streampool.oc1.eu-frankfurt-1.amaaaaaapool",
    bootstrapServers: "cell-1.streaming.eu-frankfurt-1.oci.oraclecloud.com:9092",
    streams: [{ name: "orders", partitions: 6 }],
    replication: peerReplication,
  };
  a.streams = [{ name: "orders", partitions: 6 }];
  a.replication = {
    tenancyId: TENANCY,
    homeRegionProvider: undefined as never,
    credentials: { mode: "create", email: MM2_EMAIL },
  };
  edit(a);
  return a;
}

/** The resolved deployment built around checkActiveActive's rule (the simulation alone judges it). */
function withoutPolicyRule(a: GeoReplicatedStreamArgs): ReplicatingDeployment {
  const infra = resolveReplicationInfra(a.replication!, "dr", true, { providersPending: true });
  return {
    ...resolveArgs(a),
    replication: { ...infra, ...a.replication!, ...infra, preCreatedStreams: [] },
  } as ReplicatingDeployment;
}

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error("no ValidationError was thrown");
}

describe("active-active: both regions replicating from each other", () => {
  const validate = (a: GeoReplicatedStreamArgs) =>
    validateGeoReplicatedStreamArgs(a, { providersPending: true });

  it("is accepted with the prefixed policy on both sides, even with `.*` includes (MM2's cycle check)", () => {
    const prefixed = { enabled: true, replicationPolicy: "prefixed" as const };
    expect(validate(activeActive(prefixed)).replication?.enabled).to.equal(true);
    expect(() =>
      validate(activeActive(prefixed, (a) => (a.replication!.topicsInclude = [".*"]))),
    ).to.not.throw();
  });

  for (const [title, own, peer] of [
    ["identity here", "identity", "prefixed"],
    ["identity on the peer", "prefixed", "identity"],
    ["identity on both", "identity", "identity"],
  ] as const) {
    it(`is refused with ${title}, naming replication.replicationPolicy`, () => {
      const e = refusal(() =>
        validate(
          activeActive(
            { enabled: true, replicationPolicy: peer },
            (a) => (a.replication!.replicationPolicy = own),
          ),
        ),
      );
      expect(e.field).to.equal("replication.replicationPolicy");
      expect(e.message).to.match(/loop/);
    });
  }

  it("identity one way only (the peer does not replicate) is accepted", () => {
    const a = activeActive({ enabled: false, replicationPolicy: "prefixed" }, (x) => {
      x.replication!.replicationPolicy = "identity";
    });
    expect(() => validate(a)).to.not.throw();
    expect(() =>
      validate(activeActive(undefined, (x) => (x.replication!.replicationPolicy = "identity"))),
    ).to.not.throw();
  });

  it("the loop proof itself finds the identity cycle (MM2's naming simulated), independent of the policy rule", () => {
    const a = activeActive({ enabled: true, replicationPolicy: "identity" }, (x) => {
      x.replication!.replicationPolicy = "identity";
    });
    const r = resolveArgs(a);
    const infra = resolveReplicationInfra(a.replication!, "dr", true, { providersPending: true });
    // checkActiveActive refuses it by rule; the simulation must reach the same verdict on its own.
    expect(() => checkActiveActive(infra, r.peer!.replication)).to.throw(ValidationError);
    const e = refusal(() => assertActiveActiveLoopFree(withoutPolicyRule(a)));
    expect(e.message).to.match(/loop|circulat|back/i);
    // Control: the same simulation accepts the prefixed pair.
    const ok = activeActive({ enabled: true, replicationPolicy: "prefixed" });
    expect(() => assertActiveActiveLoopFree(withoutPolicyRule(ok))).to.not.throw();
  });
});
