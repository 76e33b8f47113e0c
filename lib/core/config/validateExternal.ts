/**
 * Validation of the on-premises side: the external Kafka cluster and the connectivity (IPSec VPN or
 * FastConnect) that reaches it through the DRG. Pure functions, no Pulumi resources: they run before
 * anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidationError } from "../errors";
import { ALIAS_PATTERN, RESERVED_ALIASES } from "../mm2/validate";
import { Cidr, contains, overlaps } from "../cidr";
import { ExternalKafkaArgs, IpsecArgs, OnPremisesArgs, StreamSpec } from "./args";
import { resolveStreams, validateCidr } from "./primitives";
import { DEFAULTS } from "./settings";

/** The on-premises DNS, validated (domains lower-cased, without a trailing dot). */
export interface ResolvedOnPremisesDns {
  domains: string[];
  serverIp: string;
}

/** The on-premises networks with their connectivity, validated. */
export interface ResolvedOnPremises {
  cidrs: string[];
  dns?: ResolvedOnPremisesDns;
  connectivity:
    | { kind: "ipsec"; ipsec: IpsecArgs & { ikeVersion: "V1" | "V2" } }
    | { kind: "fastConnect"; virtualCircuitId: pulumi.Input<string> };
}

/** The external Kafka cluster, validated, with defaults applied. */
export interface ResolvedExternalKafka extends ExternalKafkaArgs {
  securityProtocol: "SASL_SSL" | "SSL" | "SASL_PLAINTEXT";
  brokerCidrs: string[];
  brokerPorts: number[];
  topics: { name: string; partitions: number; retentionHours: number }[];
}

const HOST_PORT = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):([0-9]{1,5})$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** OCI's own DNS namespaces: forwarding them (or a parent) away would break OCI's names. */
const OCI_NAMESPACES = ["oraclecloud.com", "oraclevcn.com", "oraclecloud.net"];

/** Whether `name` is `domain` or a subdomain of it (how OCI matches qnameCoverConditions). */
export function inDomain(name: string, domain: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, "");
  const d = domain.toLowerCase().replace(/\.$/, "");
  return n === d || n.endsWith(`.${d}`);
}

function resolveOnPremisesDns(dns: OnPremisesArgs["dns"], cidrs: Cidr[]): ResolvedOnPremisesDns | undefined {
  if (dns === undefined) return undefined;
  if (!Array.isArray(dns.domains) || dns.domains.length === 0) {
    throw new ValidationError(
      "onPremises.dns.domains",
      "is empty. List the domains the on-premises DNS server answers (e.g. dc1.corp.example)",
    );
  }
  const domains = dns.domains.map((d, i) => {
    const field = `onPremises.dns.domains[${i}]`;
    const domain = typeof d === "string" ? d.trim().toLowerCase().replace(/\.$/, "") : "";
    if (!DOMAIN.test(domain)) {
      throw new ValidationError(
        field,
        `${JSON.stringify(d)} is not a domain name. Give one like dc1.corp.example`,
      );
    }
    const oci = OCI_NAMESPACES.find((ns) => inDomain(ns, domain) || inDomain(domain, ns));
    if (oci) {
      throw new ValidationError(
        field,
        `"${domain}" overlaps OCI's own namespace ${oci}: forwarding it on premises would break the names of OCI's endpoints (the pools, Vault, the package mirrors). List only your own domains`,
      );
    }
    return domain;
  });
  const ip = typeof dns.serverIp === "string" ? dns.serverIp.trim() : "";
  const address = addressOf(ip);
  if (address === undefined) {
    throw new ValidationError(
      "onPremises.dns.serverIp",
      `${JSON.stringify(dns.serverIp)} is not an IPv4 address. Give the on-premises DNS server's address (one: OCI forwards a rule to exactly one address)`,
    );
  }
  if (!cidrs.some((c) => contains(c, { text: ip, network: address, prefix: 32 }))) {
    throw new ValidationError(
      "onPremises.dns.serverIp",
      `${ip} is in none of onPremises.cidrs, so no route leads there. Add its network to onPremises.cidrs`,
    );
  }
  return { domains, serverIp: ip };
}
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A value that would land in the state unencrypted: a plain string rather than a secret Output. */
function requireSecret(field: string, value: pulumi.Input<string> | undefined, what: string): void {
  if (value === undefined || value === "") {
    throw new ValidationError(
      field,
      `is required. Pass the ${what} as a Pulumi secret (config.requireSecret)`,
    );
  }
  if (typeof value === "string") {
    throw new ValidationError(
      field,
      `is a plain string, which would be stored unencrypted in the state. Pass the ${what} as a Pulumi secret (config.requireSecret or pulumi.secret)`,
    );
  }
}

function requirePem(field: string, value: pulumi.Input<string> | undefined, kind: string): void {
  if (typeof value === "string" && !new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(value)) {
    throw new ValidationError(field, `is not PEM: expected a "-----BEGIN ${kind}-----" block`);
  }
}

function addressOf(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
}

/** RFC 1918 / shared / loopback / link-local space: not a VPN device's public address. */
function isPrivateAddress(a: number): boolean {
  const inBlock = (net: number, prefix: number) => a >>> (32 - prefix) === net >>> (32 - prefix);
  return (
    inBlock(0x0a000000, 8) ||
    inBlock(0xac100000, 12) ||
    inBlock(0xc0a80000, 16) ||
    inBlock(0x64400000, 10) ||
    inBlock(0x7f000000, 8) ||
    inBlock(0xa9fe0000, 16) ||
    a === 0
  );
}

/**
 * Validates the on-premises networks: CIDRs that overlap neither this VCN nor the peer's, and
 * exactly one way to reach them.
 */
export function resolveOnPremises(
  onPremises: OnPremisesArgs | undefined,
  ociCidrs: { field: string; cidr: Cidr }[],
): ResolvedOnPremises | undefined {
  if (onPremises === undefined) return undefined;
  if (!Array.isArray(onPremises.cidrs) || onPremises.cidrs.length === 0) {
    throw new ValidationError(
      "onPremises.cidrs",
      "is empty. List the on-premises CIDRs the MirrorMaker fleet must reach (the brokers' networks)",
    );
  }
  const parsed = onPremises.cidrs.map((c, i) => {
    const field = `onPremises.cidrs[${i}]`;
    const cidr = validateCidr(field, c);
    if (cidr.prefix === 0) {
      throw new ValidationError(
        field,
        "0.0.0.0/0 would send all traffic on premises. List the brokers' networks",
      );
    }
    for (const o of ociCidrs) {
      if (overlaps(cidr, o.cidr)) {
        throw new ValidationError(
          field,
          `${cidr.text} overlaps ${o.field} ${o.cidr.text}. Routed networks need non-overlapping CIDRs`,
        );
      }
    }
    return { field, cidr };
  });
  parsed.forEach((a, i) =>
    parsed.slice(i + 1).forEach((b) => {
      if (overlaps(a.cidr, b.cidr)) {
        throw new ValidationError(
          b.field,
          `${b.cidr.text} overlaps ${a.field} ${a.cidr.text}. List each network once`,
        );
      }
    }),
  );
  const { ipsec, fastConnect } = onPremises;
  if ((ipsec === undefined) === (fastConnect === undefined)) {
    throw new ValidationError(
      "onPremises",
      "needs exactly one of ipsec (a site-to-site VPN created here) or fastConnect (an existing virtual circuit)",
    );
  }
  const cidrs = parsed.map((p) => p.cidr.text);
  const dns = resolveOnPremisesDns(
    onPremises.dns,
    parsed.map((p) => p.cidr),
  );
  if (fastConnect) {
    if (fastConnect.virtualCircuitId === undefined || fastConnect.virtualCircuitId === "") {
      throw new ValidationError(
        "onPremises.fastConnect.virtualCircuitId",
        "is required. Give the virtual circuit's OCID",
      );
    }
    if (
      typeof fastConnect.virtualCircuitId === "string" &&
      !/^ocid1\.virtualcircuit\./.test(fastConnect.virtualCircuitId)
    ) {
      throw new ValidationError(
        "onPremises.fastConnect.virtualCircuitId",
        `"${fastConnect.virtualCircuitId}" is not a virtual circuit OCID (ocid1.virtualcircuit.…)`,
      );
    }
    return {
      cidrs,
      dns,
      connectivity: { kind: "fastConnect", virtualCircuitId: fastConnect.virtualCircuitId },
    };
  }
  const vpn = ipsec!;
  const address = typeof vpn.cpeIpAddress === "string" ? addressOf(vpn.cpeIpAddress) : undefined;
  if (address === undefined) {
    throw new ValidationError(
      "onPremises.ipsec.cpeIpAddress",
      `${JSON.stringify(vpn.cpeIpAddress)} is not an IPv4 address. Give the public address of the on-premises VPN device`,
    );
  }
  if (isPrivateAddress(address)) {
    throw new ValidationError(
      "onPremises.ipsec.cpeIpAddress",
      `${vpn.cpeIpAddress} is a private address; OCI's VPN headends reach the device over the internet. Give its public address (behind NAT: the NAT's public address)`,
    );
  }
  const ikeVersion = vpn.ikeVersion ?? DEFAULTS.ipsecIkeVersion;
  if (ikeVersion !== "V1" && ikeVersion !== "V2") {
    throw new ValidationError(
      "onPremises.ipsec.ikeVersion",
      `${JSON.stringify(ikeVersion)} is not an IKE version. Use "V1" or "V2"`,
    );
  }
  if (vpn.sharedSecrets !== undefined) {
    if (!Array.isArray(vpn.sharedSecrets) || vpn.sharedSecrets.length !== 2) {
      throw new ValidationError(
        "onPremises.ipsec.sharedSecrets",
        "needs one pre-shared key per tunnel (two), or leave it out to have random keys generated",
      );
    }
    vpn.sharedSecrets.forEach((s, i) =>
      requireSecret(`onPremises.ipsec.sharedSecrets[${i}]`, s, "tunnel's pre-shared key"),
    );
  }
  return { cidrs, dns, connectivity: { kind: "ipsec", ipsec: { ...vpn, ikeVersion } } };
}

/**
 * Validates the external Kafka cluster against the on-premises networks: reachable brokers (inside
 * `onPremises.cidrs`), a coherent security setup, and every credential a Pulumi secret.
 */
export function resolveExternalKafka(
  ext: ExternalKafkaArgs | undefined,
  onPremises: ResolvedOnPremises | undefined,
  regionAliases: string[],
  partitionQuota: number,
): ResolvedExternalKafka | undefined {
  if (ext === undefined) return undefined;
  if (onPremises === undefined) {
    throw new ValidationError(
      "onPremises",
      "is required with externalKafka: the MirrorMaker fleet reaches the external cluster only through the DRG. Add onPremises with ipsec or fastConnect",
    );
  }
  if (typeof ext.alias !== "string" || !ALIAS_PATTERN.test(ext.alias)) {
    throw new ValidationError(
      "externalKafka.alias",
      `${JSON.stringify(ext.alias)} is not a cluster alias. Use a letter then up to 31 letters, digits, _ or -, e.g. "onprem"`,
    );
  }
  if (RESERVED_ALIASES.includes(ext.alias.toLowerCase()) || regionAliases.includes(ext.alias.toLowerCase())) {
    throw new ValidationError(
      "externalKafka.alias",
      `"${ext.alias}" is taken (an mm2.properties keyword or a region's alias). Choose another, e.g. "onprem"`,
    );
  }
  if (typeof ext.bootstrapServers !== "string" || ext.bootstrapServers.trim() === "") {
    throw new ValidationError("externalKafka.bootstrapServers", "is required. Give host:port[,host:port…]");
  }
  const endpoints = ext.bootstrapServers.split(",").map((e) => e.trim());
  const ports = new Set<number>();
  for (const e of endpoints) {
    const m = HOST_PORT.exec(e);
    const port = m ? Number(m[3]) : 0;
    if (!m || port < 1 || port > 65535) {
      throw new ValidationError(
        "externalKafka.bootstrapServers",
        `"${e}" is not host:port. Give a comma-separated list like broker1.corp.example:9093`,
      );
    }
    ports.add(port);
  }
  if (!Array.isArray(ext.brokerCidrs) || ext.brokerCidrs.length === 0) {
    throw new ValidationError(
      "externalKafka.brokerCidrs",
      "is empty. List the brokers' addresses as CIDRs (/32 each, or their subnet): the fleet may reach only these",
    );
  }
  const onPremCidrs = onPremises.cidrs.map((c) => validateCidr("onPremises.cidrs", c));
  const brokerCidrs = ext.brokerCidrs.map((c, i) => {
    const field = `externalKafka.brokerCidrs[${i}]`;
    const cidr = validateCidr(field, c);
    if (!onPremCidrs.some((o) => contains(o, cidr))) {
      throw new ValidationError(
        field,
        `${cidr.text} is not inside any of onPremises.cidrs (${onPremises.cidrs.join(", ")}), so no route leads there. Add its network to onPremises.cidrs`,
      );
    }
    return cidr;
  });
  for (const e of endpoints) {
    const host = e.slice(0, e.lastIndexOf(":"));
    if (addressOf(host) === undefined && !onPremises.dns?.domains.some((d) => inDomain(host, d))) {
      throw new ValidationError(
        onPremises.dns ? "onPremises.dns.domains" : "onPremises.dns",
        `${onPremises.dns ? "covers" : "is not set, so OCI cannot resolve"} ${host}${onPremises.dns ? " in none of its domains" : ""}: OCI private DNS answers only names of its own VCNs, and the fleet resolves an on-premises name only through a forwarding rule to your DNS server. ${onPremises.dns ? `Add ${host.slice(host.indexOf(".") + 1)} to onPremises.dns.domains` : `Set onPremises.dns { domains: ["${host.slice(host.indexOf(".") + 1)}"], serverIp }`}, or give the brokers as IP addresses`,
      );
    }
    const a = addressOf(host);
    if (a !== undefined && !brokerCidrs.some((c) => contains(c, { text: host, network: a, prefix: 32 }))) {
      throw new ValidationError(
        "externalKafka.bootstrapServers",
        `${host} is in none of externalKafka.brokerCidrs, so the fleet's NSG would block it. Add it to brokerCidrs`,
      );
    }
  }
  const brokerPorts = ext.brokerPorts ?? [...ports].sort((a, b) => a - b);
  brokerPorts.forEach((p, i) => {
    if (!Number.isInteger(p) || p < 1 || p > 65535) {
      throw new ValidationError(`externalKafka.brokerPorts[${i}]`, `${String(p)} is not a TCP port`);
    }
  });
  for (const p of ports) {
    if (!brokerPorts.includes(p)) {
      throw new ValidationError(
        "externalKafka.brokerPorts",
        `leaves out port ${p} of bootstrapServers, which the fleet's NSG would then block. Add it`,
      );
    }
  }
  const protocol = ext.securityProtocol ?? "SASL_SSL";
  if (!["SASL_SSL", "SSL", "SASL_PLAINTEXT"].includes(protocol)) {
    throw new ValidationError(
      "externalKafka.securityProtocol",
      `${JSON.stringify(protocol)} is not supported. Use SASL_SSL, SSL or SASL_PLAINTEXT (PLAINTEXT is refused: no authentication)`,
    );
  }
  if (protocol === "SSL" && ext.sasl !== undefined) {
    throw new ValidationError(
      "externalKafka.sasl",
      "is set but securityProtocol is SSL, which does not use SASL. Use SASL_SSL, or remove sasl",
    );
  }
  if (protocol !== "SSL") {
    const sasl = ext.sasl;
    if (sasl === undefined) {
      throw new ValidationError(
        "externalKafka.sasl",
        `is required with ${protocol}. Give mechanism, username and password`,
      );
    }
    if (!["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].includes(sasl.mechanism)) {
      throw new ValidationError(
        "externalKafka.sasl.mechanism",
        `${JSON.stringify(sasl.mechanism)} is not supported. Use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`,
      );
    }
    if (typeof sasl.username !== "string" || sasl.username === "" || /["\\\n]/.test(sasl.username)) {
      throw new ValidationError(
        "externalKafka.sasl.username",
        "is required and may not contain quotes, backslashes or line breaks",
      );
    }
    requireSecret("externalKafka.sasl.password", sasl.password, "SASL password");
  }
  const tls = ext.tls;
  if (tls !== undefined) {
    if (protocol === "SASL_PLAINTEXT") {
      throw new ValidationError(
        "externalKafka.tls",
        "is set but securityProtocol is SASL_PLAINTEXT, which does not use TLS. Use SASL_SSL, or remove tls",
      );
    }
    requirePem("externalKafka.tls.caCertificatePem", tls.caCertificatePem, "CERTIFICATE");
    requirePem("externalKafka.tls.clientCertificatePem", tls.clientCertificatePem, "CERTIFICATE");
    if ((tls.clientCertificatePem === undefined) !== (tls.clientKeyPem === undefined)) {
      throw new ValidationError(
        tls.clientKeyPem === undefined
          ? "externalKafka.tls.clientKeyPem"
          : "externalKafka.tls.clientCertificatePem",
        "is missing: mutual TLS needs both the client certificate and its private key",
      );
    }
    if (tls.clientKeyPem !== undefined) {
      requireSecret("externalKafka.tls.clientKeyPem", tls.clientKeyPem, "client private key (PKCS#8 PEM)");
    }
    if (tls.clientKeyPassword !== undefined) {
      if (tls.clientKeyPem === undefined) {
        throw new ValidationError(
          "externalKafka.tls.clientKeyPassword",
          "is set without clientKeyPem. Remove it",
        );
      }
      requireSecret("externalKafka.tls.clientKeyPassword", tls.clientKeyPassword, "key password");
    }
  }
  if (protocol === "SSL" && tls?.clientKeyPem === undefined) {
    throw new ValidationError(
      "externalKafka.tls.clientKeyPem",
      "is required with securityProtocol SSL: without SASL, the client certificate is what authenticates MirrorMaker",
    );
  }
  const topics = resolveStreams(
    ext.topics as StreamSpec[] | undefined,
    partitionQuota,
    "externalKafka.topics",
  );
  return {
    ...ext,
    bootstrapServers: endpoints.join(","),
    securityProtocol: protocol,
    brokerCidrs: brokerCidrs.map((c) => c.text),
    brokerPorts,
    topics,
  };
}
