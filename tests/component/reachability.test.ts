/**
 * The reachability proof of the offline plan (dev/plan/reachabilityProof.ts over the OCI model's routing,
 * security and DNS facts), on this repository's primary and dr stacks: every needed connection is
 * proven as planned, and removing any one piece a connection depends on — a DNS rule, a resolver
 * endpoint, an NSG rule at either end, a route (there or back), a DRG route or the remote peering,
 * a security-list rule — breaks exactly the connections that need it, naming that piece.
 */
import { expect } from "chai";
import * as path from "node:path";
import { analyzePaths, type Connection } from "../../dev/plan/reachabilityProof";
import { planStacks, type StackPlan } from "../../dev/plan/runStack";

const ROOT = path.resolve(__dirname, "..", "..");

type Edit = (plans: StackPlan[]) => void;

/** A deep copy of the plans with one change. */
function changed(plans: StackPlan[], edit: Edit): StackPlan[] {
  const copy = JSON.parse(JSON.stringify(plans)) as StackPlan[];
  edit(copy);
  return copy;
}

function resource(plans: StackPlan[], name: string) {
  const r = plans.flatMap((p) => p.resources).find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name} in the plans`);
  return r;
}

const remove =
  (name: string): Edit =>
  (plans) => {
    resource(plans, name);
    for (const p of plans) p.resources = p.resources.filter((r) => r.name !== name);
  };

const setState =
  (name: string, key: string, value: unknown): Edit =>
  (plans) => {
    const r = resource(plans, name);
    r.inputs[key] = value;
    r.outputs[key] = value;
  };

const broken = (connections: Connection[]) => connections.filter((c) => !c.resolves || !c.reachable);

describe("reachability proof of the planned stacks (offline)", function () {
  this.timeout(240_000);
  let plans: StackPlan[];
  before(async () => {
    plans = await planStacks({ projectDir: ROOT, stacks: ["primary", "dr"] });
  });

  it("proves every connection the dr fleet needs, both directions, with the hops that carry it", () => {
    const report = analyzePaths("dr", plans);
    expect(report.connections.length).to.be.greaterThan(10);
    expect(broken(report.connections)).to.deep.equal([]);
    const peerPool = report.connections.filter(
      (c) => c.to.includes("streaming.eu-frankfurt-1") && c.port === 9092,
    );
    expect(peerPool).to.have.length(2); // one per MirrorMaker node
    for (const c of peerPool) {
      const hops = c.hops.join(" | ");
      expect(hops).to.contain("resolver rule (resolver geo-dr-dns-resolver)");
      expect(hops).to.contain("listening endpoint geo-primary-dns-listener");
      expect(hops).to.contain("remote peering geo-dr-network-rpc ⇄ geo-primary-network-rpc");
      expect(hops).to.contain("ingress: NSG rule geo-primary-network-stream-nsg-kafka-from-peer-mm");
      expect(hops).to.contain("return: route table geo-primary-network-stream-rt");
    }
    const queries = report.connections.filter((c) => c.port === 53);
    expect(queries.map((c) => c.protocol).sort()).to.deep.equal(["tcp", "udp"]);
    expect(report.connections.filter((c) => c.port === 22)).to.have.length(2);
  });

  const cases: { piece: string; edit: Edit; broken: RegExp; missing: RegExp }[] = [
    {
      piece: "the DNS rule forwarding the primary pool's FQDN",
      edit: setState("geo-dr-dns-resolver", "rules", []),
      broken: /streaming\.eu-frankfurt-1.*9092/,
      missing:
        /^DNS rule: no resolver rule in VCN geo-dr-network-vcn forwards \S+\.streaming\.eu-frankfurt-1\.oci\.oraclecloud\.com, which OCI answers only inside VCN geo-primary-network-vcn/,
    },
    {
      piece: "the dr forwarding endpoint",
      edit: remove("geo-dr-dns-forwarder"),
      broken: /streaming\.eu-frankfurt-1/,
      missing:
        /^resolver endpoint: resolver geo-dr-dns-resolver forwards \S+ from endpoint geo_dr_dns_forwarder, which is not a forwarding endpoint of VCN geo-dr-network-vcn/,
    },
    {
      piece: "the primary listening endpoint",
      edit: remove("geo-primary-dns-listener"),
      broken: /streaming\.eu-frankfurt-1/,
      missing:
        /^resolver endpoint: resolver geo-dr-dns-resolver forwards \S+ to 10\.10\.2\.\d+, where the plan has no listening endpoint/,
    },
    {
      piece: "the NSG egress of the DNS query (dr end)",
      edit: remove("geo-dr-dns-nsg-dns-to-peer-pool-udp"),
      broken: /:53\/udp|streaming\.eu-frankfurt-1/,
      missing:
        /security rule: egress udp\/53 to 10\.10\.2\.\d+ at geo-dr-dns-forwarder — none in NSG geo-dr-dns-nsg/,
    },
    {
      piece: "the NSG ingress of the DNS query (primary end)",
      edit: remove("geo-primary-dns-nsg-dns-from-peer-tcp"),
      broken: /:53\/tcp|streaming\.eu-frankfurt-1/,
      missing:
        /security rule: ingress tcp\/53 from 10\.20\.2\.\d+ at geo-primary-dns-listener — none in NSG geo-primary-dns-nsg/,
    },
    {
      piece: "the fleet's NSG egress to the peer pool (dr end)",
      edit: remove("geo-dr-replication-fleet-nsg-kafka-to-peer-pool"),
      broken: /streaming\.eu-frankfurt-1.*9092/,
      missing:
        /^security rule: egress tcp\/9092 to 10\.10\.1\.\d+ at geo-dr-replication-fleet-\d — none in NSG geo-dr-replication-fleet-nsg/,
    },
    {
      piece: "the pool's NSG ingress from the peer fleet (primary end)",
      edit: remove("geo-primary-network-stream-nsg-kafka-from-peer-mm"),
      broken: /streaming\.eu-frankfurt-1.*9092/,
      missing:
        /^security rule: ingress tcp\/9092 from 10\.20\.2\.\d+ at geo-primary-streaming-pool — none in NSG geo-primary-network-stream-nsg/,
    },
    {
      piece: "the MirrorMaker subnet's route to the peer VCN",
      edit: (p) =>
        setState(
          "geo-dr-network-mm-rt",
          "routeRules",
          (resource(p, "geo-dr-network-mm-rt").inputs.routeRules as { destination: string }[]).filter(
            (r) => r.destination !== "10.10.0.0/16",
          ),
        )(p),
      broken: /streaming\.eu-frankfurt-1|:53\//,
      missing:
        /^(DNS query \S+ → \S+: )?route: route table geo-dr-network-mm-rt \(subnet geo-dr-network-mm-subnet\) has no rule for 10\.10\.\d+\.\d+/,
    },
    {
      piece: "the return route of the primary pool's subnet",
      edit: setState("geo-primary-network-stream-rt", "routeRules", []),
      broken: /streaming\.eu-frankfurt-1.*9092/,
      missing:
        /^return path: route: route table geo-primary-network-stream-rt \(subnet geo-primary-network-stream-subnet\) has no rule for 10\.20\.2\.\d+/,
    },
    {
      piece: "the remote peering (dr's RPC no longer names the primary's)",
      edit: setState("geo-dr-network-rpc", "peerId", undefined),
      broken: /streaming\.eu-frankfurt-1|:53\//,
      missing:
        /DRG route: default table of VCN attachments \(imports all\) \(entered from geo-dr-network-drg-attachment\) has no route to 10\.10\.\d+\.\d+ \(remote peering connection geo-dr-network-rpc of this DRG is not peered\)/,
    },
    {
      piece: "the DRG route table of the dr VCN attachment (a custom, empty one)",
      edit: (p) => {
        setState(
          "geo-dr-network-drg-attachment",
          "drgRouteTableId",
          "ocid1.drgroutetable.oc1.ams.aaaaaaaaempty",
        )(p);
        p[1].resources.push({
          urn: "urn:test::empty-drg-table",
          type: "oci:Core/drgRouteTable:DrgRouteTable",
          name: "dr-empty-drg-table",
          parent: null,
          provider: null,
          id: "ocid1.drgroutetable.oc1.ams.aaaaaaaaempty",
          custom: true,
          inputs: { drgId: resource(p, "geo-dr-network-drg").id },
          outputs: {},
        });
      },
      broken: /streaming\.eu-frankfurt-1|:53\//,
      missing:
        /DRG route: dr-empty-drg-table \(entered from geo-dr-network-drg-attachment\) has no route to 10\.10\.\d+\.\d+/,
    },
    {
      piece: "the security-list egress the Bastion's endpoint needs",
      edit: setState("geo-dr-network-mm-seclist", "egressSecurityRules", []),
      broken: /Bastion endpoint/,
      missing:
        /^security rule: egress tcp\/22 to 10\.20\.2\.\d+ at geo-dr-replication-fleet-bastion — none in the security list of subnet geo-dr-network-mm-subnet \(the Bastion's endpoint has no NSG\)/,
    },
  ];

  for (const c of cases) {
    it(`names ${c.piece} when it is missing, and breaks only what needs it`, () => {
      const report = analyzePaths("dr", changed(plans, c.edit));
      const bad = broken(report.connections);
      expect(bad.length, "something breaks").to.be.greaterThan(0);
      for (const b of bad) {
        expect(`${b.from} → ${b.to}:${b.port}/${b.protocol}`, JSON.stringify(b)).to.match(c.broken);
        expect(b.missing, JSON.stringify(b)).to.match(c.missing);
      }
      // What does not depend on the piece still works (the local pool, Vault, the download).
      const local = report.connections.filter((x) => x.to.includes("streaming.eu-amsterdam-1"));
      expect(local.length).to.be.greaterThan(0);
      expect(broken(local)).to.deep.equal([]);
    });
  }
});
