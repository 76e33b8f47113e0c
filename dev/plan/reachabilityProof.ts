/**
 * The reachability proof of the offline plan: every connection a deployment needs, judged from
 * the planned resources alone, before anything exists (OCI's Network Path Analyzer does this after
 * deployment). For each MirrorMaker node: the clusters of its mm2.properties (by their names, as
 * the TLS clients connect), the other nodes' internal REST port, Vault and the package mirror
 * through the Service Gateway, the Kafka download through the NAT gateway; the Bastion's endpoint
 * to every node on 22; the on-premises DNS server to this region's listener; and every DNS query
 * that resolving those names makes. Each is decided twice: does the name resolve (which resolver,
 * view or rule answers, with which address), and does the packet get there and back (routes, DRG
 * route tables, remote peering, NSGs and security lists at both ends, stateful replies).
 *
 * Cross-stack connections are judged on the union of the stacks' plans (the dr fleet reaching the
 * primary's pool needs both).
 */
import { parseProperties } from "../../lib/core/mm2/properties";
import { DEFAULT_INTERNAL_REST_PORT } from "../../lib/core/mm2/replicationModel";
import { regionKey } from "../../lib/core/oci/regions";
import { NetworkGraph, type GraphResource, type Vnic } from "../oci-model/reachability/graph";
import { DnsResolution, type OnPremDns } from "../oci-model/reachability/nameResolution";
import { Reachability, type Protocol, type Target } from "../oci-model/reachability/routingAndSecurity";
import type { StackPlan } from "./runStack";

/** One needed connection and its verdict (the `connections` of `out/plan/<stack>-paths.json`). */
export interface Connection {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  resolves: boolean;
  reachable: boolean;
  hops: string[];
  missing?: string;
  /** What the offline plan cannot see and assumes (on-premises firewalls, a circuit's DRG). */
  assumptions?: string[];
}

export interface PathsReport {
  stack: string;
  connections: Connection[];
}

const COMPONENT = "oci-geo-streaming:index:GeoReplicatedStream";
/** A stand-in public address for a public host the plan cannot resolve offline (TEST-NET-3). */
const PUBLIC_STAND_IN = "203.0.113.80";

type Obj = Record<string, unknown>;

/** The plan records as graph resources (inputs overlaid with what the model computed). */
export function graphResources(plans: StackPlan[]): GraphResource[] {
  return plans.flatMap((p) =>
    p.resources
      .filter((r) => r.custom && r.id)
      .map((r) => ({
        id: r.id as string,
        type: r.type,
        name: r.name,
        stack: p.stack,
        state: { ...r.inputs, ...r.outputs },
      })),
  );
}

function hostsOf(bootstrap: string): { host: string; port: number }[] {
  return bootstrap
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "")
    .map((e) => ({ host: e.slice(0, e.lastIndexOf(":")), port: Number(e.slice(e.lastIndexOf(":") + 1)) }));
}

const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h);

/** The Oracle Services Network label of a region (what the Service Gateway's route names). */
export function servicesLabel(region: string): string {
  return `all-${regionKey(region).toLowerCase()}-services-in-oracle-services-network`;
}

/**
 * Judges every connection `stack` needs. `plans` are the stacks deployed together at that point
 * (the stack itself, and those it references or that reference it).
 */
export function analyzePaths(stack: string, plans: StackPlan[]): PathsReport {
  const plan = plans.find((p) => p.stack === stack);
  if (!plan) throw new Error(`no plan for stack ${stack}`);
  const graph = new NetworkGraph(graphResources(plans));
  const components = plans.flatMap((p) =>
    p.resources
      .filter((r) => r.type === COMPONENT)
      .map((r) => ({ stack: p.stack, outputs: r.outputs as Obj, urn: r.urn })),
  );
  // On-premises links and DNS, from the components' onPremises outputs.
  const onPremDns: OnPremDns[] = [];
  for (const c of components) {
    const op = c.outputs.onPremises as Obj | undefined;
    if (!op) continue;
    const drgId = String(c.outputs.drgId);
    if (op.kind === "fastConnect") {
      graph.addFastConnect({
        kind: "fastConnect",
        id: String(op.virtualCircuitId),
        name: `virtual circuit ${String(op.virtualCircuitId)}`,
        drgId,
        cidrs: (op.cidrs as string[]) ?? [],
        assumed: `FastConnect virtual circuit ${String(op.virtualCircuitId)} ends on DRG ${graph.label(drgId)} and carries ${((op.cidrs as string[]) ?? []).join(", ")} (its gateway is not visible offline: ${String(op.virtualCircuitGatewayId)})`,
      });
    }
    if (typeof op.dnsServerIp === "string") {
      const brokers =
        ((c.outputs.externalKafka as Obj | undefined)?.brokerCidrs as string[] | undefined) ?? [];
      onPremDns.push({
        serverIp: op.dnsServerIp,
        domains: (op.dnsDomains as string[]) ?? [],
        // Offline, a broker's name stands for an address in the brokers' networks.
        answer: () => (brokers[0] ? firstHost(brokers[0]) : undefined),
      });
    }
  }
  const dns = new DnsResolution(graph, onPremDns);
  const paths = new Reachability(graph);
  const connections: Connection[] = [];
  const seenQueries = new Set<string>();

  const judge = (
    from: Vnic,
    fromLabel: string,
    host: string,
    port: number,
    protocol: Protocol,
    to?: string,
  ) => {
    const vcnId = graph.vcnOfSubnet(from.subnetId) ?? "";
    const hops: string[] = [];
    const assumptions: string[] = [];
    let target: Target | undefined;
    let resolves = true;
    let missing: string | undefined;
    if (isIp(host)) {
      target = { kind: "ip", ip: host };
    } else {
      const r = dns.resolve(vcnId, host);
      hops.push(...r.hops);
      assumptions.push(...r.assumptions);
      for (const q of r.queries) {
        const key = `${q.from.id}|${q.to}`;
        if (seenQueries.has(key)) continue;
        seenQueries.add(key);
        const [dest, proto] = q.to.split("/");
        connections.push({
          from: `${q.from.name} ${q.from.ip}`,
          to: dest.slice(0, dest.lastIndexOf(":")),
          port: 53,
          protocol: proto as Protocol,
          resolves: true,
          reachable: q.verdict.ok,
          hops: q.verdict.hops,
          ...(q.verdict.missing ? { missing: q.verdict.missing } : {}),
          ...(q.verdict.assumptions.length ? { assumptions: q.verdict.assumptions } : {}),
        });
      }
      resolves = r.resolves;
      missing = r.missing;
      if (r.answer?.kind === "private" || r.answer?.kind === "onprem") {
        target = { kind: "ip", ip: r.answer.ip };
      } else if (r.answer?.kind === "public") {
        target = /\.oraclecloud\.com$/.test(host)
          ? {
              kind: "service",
              label: servicesLabel(graph.region(from.id) ?? graph.region(from.subnetId) ?? ""),
              host,
            }
          : { kind: "internet", host, ip: publicStandIn(components, host) };
      }
    }
    let reachable = false;
    if (target) {
      const v = paths.judge({ kind: "vnic", vnic: from }, target, port, protocol);
      hops.push(...v.hops);
      assumptions.push(...v.assumptions);
      reachable = v.ok;
      missing = missing ?? v.missing;
    }
    connections.push({
      from: fromLabel,
      to: to ?? host,
      port,
      protocol,
      resolves,
      reachable: resolves && reachable,
      hops,
      ...(missing && !(resolves && reachable) ? { missing } : {}),
      ...(assumptions.length ? { assumptions: [...new Set(assumptions)] } : {}),
    });
  };

  for (const c of components.filter((x) => x.stack === stack)) {
    const nodes = graph.vnics.filter(
      (v) =>
        v.kind === "instance" &&
        v.stack === stack &&
        graph.get(v.id)?.name.startsWith(`${c.urn.split("::").pop()}-replication-fleet-`),
    );
    const props =
      typeof c.outputs.mm2Properties === "string" ? parseProperties(c.outputs.mm2Properties) : undefined;
    const region = graph.region(String(c.outputs.vcnId)) ?? "";
    for (const node of nodes) {
      const label = `${node.name} ${node.ip}`;
      if (props) {
        const aliases = (props.get("clusters") ?? "")
          .split(",")
          .map((a) => a.trim())
          .filter(Boolean);
        for (const alias of aliases) {
          for (const { host, port } of hostsOf(props.get(`${alias}.bootstrap.servers`) ?? "")) {
            judge(node, label, host, port, "tcp", `${host} (cluster ${alias})`);
          }
        }
        if (props.get("dedicated.mode.enable.internal.rest") === "true") {
          for (const other of nodes.filter((n) => n !== node)) {
            judge(
              node,
              label,
              other.ip,
              DEFAULT_INTERNAL_REST_PORT,
              "tcp",
              `${other.name} ${other.ip} (internal REST)`,
            );
          }
        }
      }
      judge(
        node,
        label,
        `secrets.vaults.${region}.oci.oraclecloud.com`,
        443,
        "tcp",
        `secrets.vaults.${region}.oci.oraclecloud.com (Vault, the node's secrets)`,
      );
      judge(
        node,
        label,
        `yum.${region}.oci.oraclecloud.com`,
        443,
        "tcp",
        `yum.${region}.oci.oraclecloud.com (Oracle Linux packages)`,
      );
      const download = c.outputs.kafkaDownload as { url?: string } | undefined;
      if (download?.url) {
        const host = new URL(download.url).host;
        judge(node, label, host, 443, "tcp", `${host} (the Kafka release)`);
      }
      // Monitoring on: the operator bundle from Object Storage, metrics to telemetry-ingestion, MM2's
      // log to Logging's ingestion endpoint and the Run Command plugin's service — all through the
      // Service Gateway; Node.js and the JMX exporter from their download hosts.
      const monitoring = c.outputs.monitoring as { toolsBucketName?: string } | undefined;
      if (typeof monitoring?.toolsBucketName === "string") {
        for (const [host, what] of operationsEndpoints(region)) {
          judge(node, label, host, 443, "tcp", `${host} (${what})`);
        }
        const userData = typeof c.outputs.userData === "string" ? c.outputs.userData : "";
        for (const host of downloadHosts(userData)) {
          judge(node, label, host, 443, "tcp", `${host} (a verified download of the operator tools)`);
        }
      }
    }
    for (const bastion of graph.vnics.filter((v) => v.kind === "bastion" && v.stack === stack)) {
      for (const node of nodes) {
        const v = paths.judge({ kind: "vnic", vnic: bastion }, { kind: "ip", ip: node.ip }, 22, "tcp");
        connections.push({
          from: `${bastion.name} ${bastion.ip} (Bastion endpoint)`,
          to: `${node.name} ${node.ip}`,
          port: 22,
          protocol: "tcp",
          resolves: true,
          reachable: v.ok,
          hops: v.hops,
          ...(v.missing ? { missing: v.missing } : {}),
        });
      }
    }
    const op = c.outputs.onPremises as Obj | undefined;
    const listener = graph.vnics.find(
      (v) => v.kind === "dns-listener" && v.stack === stack && v.ip === c.outputs.dnsListenerIp,
    );
    const link = graph.onPrem.find((l) => l.drgId === c.outputs.drgId);
    if (op && typeof op.dnsServerIp === "string" && listener && link) {
      for (const protocol of ["udp", "tcp"] as const) {
        const v = paths.judge(
          { kind: "onprem", ip: op.dnsServerIp, link },
          { kind: "ip", ip: listener.ip },
          53,
          protocol,
        );
        connections.push({
          from: `on-premises DNS ${op.dnsServerIp}`,
          to: `${listener.name} ${listener.ip} (this pool's FQDN)`,
          port: 53,
          protocol,
          resolves: true,
          reachable: v.ok,
          hops: v.hops,
          ...(v.missing ? { missing: v.missing } : {}),
          ...(v.assumptions.length ? { assumptions: [...new Set(v.assumptions)] } : {}),
        });
      }
    }
  }
  return { stack, connections };
}

/** A public host's stand-in address: inside the mirror CIDR when the fleet's download is narrowed to one. */
function publicStandIn(components: { outputs: Obj }[], host: string): string {
  for (const c of components) {
    const d = c.outputs.kafkaDownload as { url?: string; cidr?: string } | undefined;
    if (d?.url && new URL(d.url).host === host && d.cidr && d.cidr !== "0.0.0.0/0") {
      return firstHost(d.cidr);
    }
  }
  return PUBLIC_STAND_IN;
}

/** The first host address of a CIDR. */
function firstHost(cidr: string): string {
  const o = cidr.split("/")[0].split(".").map(Number);
  o[3] += 1;
  return o.join(".");
}

/** One line per connection: the verdict, the connection, its hops (or the missing piece). */
export function formatPaths(report: PathsReport): string[] {
  const lines: string[] = [];
  for (const c of report.connections) {
    const ok = c.resolves && c.reachable;
    const head = `${ok ? "ok" : "BROKEN"} ${c.from} → ${c.to}:${c.port}/${c.protocol} (resolves=${c.resolves}, reachable=${c.reachable})`;
    lines.push(ok ? `${head}: ${c.hops.join(" | ")}` : `${head}: MISSING ${c.missing}`);
    for (const a of c.assumptions ?? []) lines.push(`    assumes: ${a}`);
  }
  return lines;
}

/** The OCI endpoints a node with monitoring reaches (through the Service Gateway). */
export function operationsEndpoints(region: string): [string, string][] {
  return [
    [`objectstorage.${region}.oraclecloud.com`, "Object Storage, the operator bundle"],
    [`telemetry-ingestion.${region}.oraclecloud.com`, "Monitoring, PostMetricData"],
    [`ingestion.logging.${region}.oci.oraclecloud.com`, "Logging, MM2's log"],
    [
      `iaas.${region}.oraclecloud.com`,
      "Run Command (assumed: the agent fetches commands from the Compute API)",
    ],
  ];
}

/** The https hosts install-tools.sh and provision.sh download from (Node.js, the JMX exporter). */
export function downloadHosts(userData: string): string[] {
  const hosts = new Set<string>();
  for (const m of userData.matchAll(/https:\/\/([A-Za-z0-9.-]+)[^\s"']*\.(?:tar\.xz|jar)\b/g)) {
    hosts.add(m[1]);
  }
  return [...hosts].sort();
}
