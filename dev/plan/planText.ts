/**
 * Human-readable rendering of an offline plan: the resource tree (indented by parent) with the
 * two to four settings that matter for each resource type.
 */
import type { PlannedResource, StackPlan } from "./runStack";
import { SECRET_MASK } from "../oci-model/wire";

type Obj = Record<string, unknown>;

/** `ocid1.vcn.oc1.fra.aaaa…wxyz` → `vcn.fra…wxyz`; other strings unchanged. */
export function shortId(v: unknown): string {
  if (typeof v !== "string") {
    return String(v);
  }
  const m = /^ocid1\.([a-z0-9]+)\.[a-z0-9]+\.([a-z0-9-]*)\.(?:[a-z0-9-]*\.)?([a-z0-9]+)$/.exec(v);
  if (!m) {
    return v;
  }
  const [, kind, region, unique] = m;
  return `${kind}${region ? `.${region}` : ""}…${unique.slice(-4)}`;
}

function fmt(v: unknown): string {
  if (v === SECRET_MASK) {
    return SECRET_MASK;
  }
  if (Array.isArray(v)) {
    return v.map(fmt).join(",");
  }
  const text = typeof v === "object" && v !== null ? JSON.stringify(v) : shortId(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function kv(k: string, v: unknown): string | undefined {
  return v === undefined || v === null || v === "" ? undefined : `${k}=${fmt(v)}`;
}

const PROTOCOLS: Record<string, string> = {
  "6": "tcp",
  "17": "udp",
  "1": "icmp",
  "58": "icmpv6",
  all: "all",
};

function ports(o: unknown): string | undefined {
  const range = (o as Obj | undefined)?.destinationPortRange as Obj | undefined;
  if (!range) {
    return undefined;
  }
  return range.min === range.max ? String(range.min) : `${range.min}-${range.max}`;
}

type Extractor = (i: Obj, o: Obj) => (string | undefined)[];

const EXTRACTORS: Record<string, Extractor> = {
  "pulumi:providers:oci": (i) => [kv("region", i.region)],
  "pulumi:pulumi:StackReference": (i) => [kv("stack", i.name)],
  "oci:Core/defaultRouteTable:DefaultRouteTable": (i) => [
    kv(
      "routes",
      ((i.routeRules as Obj[] | undefined) ?? []).map(
        (r) => `${String(r.destination)}→${shortId(r.networkEntityId)}`,
      ),
    ),
  ],
  "oci:Core/vcn:Vcn": (i) => [kv("cidr", i.cidrBlocks ?? i.cidrBlock), kv("dns", i.dnsLabel)],
  "oci:Core/subnet:Subnet": (i) => [
    kv("cidr", i.cidrBlock),
    i.prohibitPublicIpOnVnic === true ? "private" : "PUBLIC",
    kv("dns", i.dnsLabel),
  ],
  "oci:Core/drgAttachment:DrgAttachment": (i) => [
    kv("attach", (i.networkDetails as Obj | undefined)?.type ?? (i.vcnId ? "VCN" : undefined)),
    kv("to", (i.networkDetails as Obj | undefined)?.id ?? i.vcnId),
  ],
  "oci:Core/remotePeeringConnection:RemotePeeringConnection": (i) =>
    i.peerId ? [kv("peerId", i.peerId), kv("peerRegion", i.peerRegionName)] : ["accepts peering"],
  "oci:Core/routeTable:RouteTable": (i) => [
    kv(
      "routes",
      ((i.routeRules as Obj[] | undefined) ?? []).map(
        (r) => `${String(r.destination)}→${shortId(r.networkEntityId)}`,
      ),
    ),
  ],
  "oci:Core/securityList:SecurityList": (i) => [
    `ingress=${((i.ingressSecurityRules as unknown[] | undefined) ?? []).length}`,
    `egress=${((i.egressSecurityRules as unknown[] | undefined) ?? []).length}`,
  ],
  "oci:Core/defaultSecurityList:DefaultSecurityList": (i) => [
    `ingress=${((i.ingressSecurityRules as unknown[] | undefined) ?? []).length}`,
    `egress=${((i.egressSecurityRules as unknown[] | undefined) ?? []).length}`,
  ],
  "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": (i) => [
    String(i.direction ?? ""),
    PROTOCOLS[String(i.protocol)] ?? kv("protocol", i.protocol),
    i.direction === "EGRESS" ? kv("to", i.destination) : kv("from", i.source),
    kv("port", ports(i.tcpOptions) ?? ports(i.udpOptions)),
  ],
  "oci:Core/serviceGateway:ServiceGateway": (i) => [
    kv(
      "services",
      ((i.services as Obj[] | undefined) ?? []).map((s) => s.serviceId),
    ),
  ],
  "oci:Core/natGateway:NatGateway": (i) => [kv("blockTraffic", i.blockTraffic ?? false)],
  "oci:Streaming/streamPool:StreamPool": (i, o) => {
    const pe = i.privateEndpointSettings as Obj | undefined;
    const ks = i.kafkaSettings as Obj | undefined;
    return [
      pe?.subnetId ? "private" : "PUBLIC",
      kv("subnet", pe?.subnetId),
      kv("autoCreateTopics", ks?.autoCreateTopicsEnable ?? false),
      kv("fqdn", o.endpointFqdn),
    ];
  },
  "oci:Streaming/stream:Stream": (i) => [
    kv("partitions", i.partitions),
    kv("retentionHours", i.retentionInHours ?? 24),
    kv("pool", i.streamPoolId),
  ],
  "oci:Core/instance:Instance": (i) => {
    const vnic = (i.createVnicDetails as Obj | undefined) ?? {};
    const cfg = (i.shapeConfig as Obj | undefined) ?? {};
    return [
      kv("shape", i.shape),
      kv("ocpus", cfg.ocpus),
      kv("memoryGb", cfg.memoryInGbs),
      vnic.assignPublicIp === false || vnic.assignPublicIp === "false" ? "no public IP" : "PUBLIC IP",
    ];
  },
  "oci:Identity/policy:Policy": (i) => [
    `statements=${((i.statements as unknown[] | undefined) ?? []).length}`,
  ],
  "oci:Identity/dynamicGroup:DynamicGroup": (i) => [kv("rule", i.matchingRule)],
  "oci:Vault/secret:Secret": (i) => [kv("secretName", i.secretName), kv("vault", i.vaultId)],
  "oci:Bastion/bastion:Bastion": (i) => [
    kv("target", i.targetSubnetId),
    kv("allow", i.clientCidrBlockAllowLists),
  ],
};

const GENERIC_KEYS = ["region", "name", "cidrBlock", "partitions", "shape", "displayName"];

/** The key settings shown next to a resource in the plan tree (at most four). */
export function keySettings(r: PlannedResource): string[] {
  const extractor = EXTRACTORS[r.type];
  const picked = extractor
    ? extractor(r.inputs, r.outputs)
    : GENERIC_KEYS.filter((k) => r.inputs[k] !== r.name).map((k) => kv(k, r.inputs[k]));
  return picked.filter((s): s is string => s !== undefined && s !== "").slice(0, 4);
}

/** The resource tree of a plan, children indented under their parent, in registration order. */
export function renderTree(plan: StackPlan): string {
  const byUrn = new Set(plan.resources.map((r) => r.urn));
  const children = new Map<string, PlannedResource[]>();
  const roots: PlannedResource[] = [];
  for (const r of plan.resources) {
    if (r.parent && byUrn.has(r.parent)) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    } else {
      roots.push(r);
    }
  }
  const lines: string[] = [];
  const walk = (r: PlannedResource, prefix: string, last: boolean, top: boolean) => {
    const settings = keySettings(r);
    const branch = top ? "" : last ? "└─ " : "├─ ";
    lines.push(
      `${prefix}${branch}${r.type}  ${r.name}${settings.length ? `  (${settings.join(", ")})` : ""}`,
    );
    const kids = children.get(r.urn) ?? [];
    const nextPrefix = top ? prefix : prefix + (last ? "   " : "│  ");
    kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, false));
  };
  roots.forEach((r, i) => walk(r, "", i === roots.length - 1, true));
  return lines.join("\n");
}

/** Stack outputs as `name = value` lines (secrets already masked). */
export function renderOutputs(outputs: Record<string, unknown>): string {
  return Object.entries(outputs)
    .map(([k, v]) => {
      const text = typeof v === "string" ? v.replace(/\n$/, "") : JSON.stringify(v);
      const lines = text.split("\n");
      const oneLine = lines.length > 1 ? `${lines[0]} … (${lines.length} lines)` : text;
      return `${k} = ${oneLine.length > 140 ? `${oneLine.slice(0, 137)}...` : oneLine}`;
    })
    .join("\n");
}
