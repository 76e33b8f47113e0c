/**
 * Example: an on-premises Kafka cluster (SASL_SSL, SCRAM-SHA-512, brokers signed by a private CA)
 * replicated into OCI Streaming in Frankfurt over a site-to-site IPSec VPN. MirrorMaker runs in
 * OCI: it consumes from the on-premises brokers through the VPN and produces into the local pool,
 * where each topic arrives as `onprem.<topic>`.
 *
 * Plan it offline: `npm run plan:examples`. Deploy: `pulumi up -s example` in this folder (a
 * consumer imports `oci-geo-streaming` instead of `../../lib`).
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { GeoReplicatedStream, StreamSpec } from "../../lib";

export = async (): Promise<Record<string, unknown>> => {
  const cfg = new pulumi.Config();
  const region = new pulumi.Config("oci").require("region");
  const site = new GeoReplicatedStream(
    "onprem-to-oci",
    {
      role: "primary",
      region,
      compartmentId: cfg.require("compartmentId"),
      network: { vcnCidr: cfg.require("vcnCidr") },
      onPremises: {
        cidrs: cfg.requireObject<string[]>("onPremCidrs"),
        // Both tunnels' pre-shared keys are generated and output as secrets (vpnTunnels).
        ipsec: { cpeIpAddress: cfg.require("cpeIpAddress") },
        // The brokers' names resolve on premises only: the fleet forwards dc1.corp.example there,
        // and the on-premises DNS forwards the pool's FQDN to the dnsListenerIp output.
        dns: {
          domains: cfg.requireObject<string[]>("onPremDnsDomains"),
          serverIp: cfg.require("onPremDnsServerIp"),
        },
      },
      externalKafka: {
        alias: "onprem",
        bootstrapServers: cfg.require("bootstrapServers"),
        brokerCidrs: cfg.requireObject<string[]>("brokerCidrs"),
        securityProtocol: "SASL_SSL",
        sasl: {
          mechanism: "SCRAM-SHA-512",
          username: cfg.require("kafkaUser"),
          password: cfg.requireSecret("kafkaPassword"),
        },
        tls: { caCertificatePem: cfg.require("caCertificatePem") },
        topics: cfg.requireObject<StreamSpec[]>("topics"),
      },
      replication: {
        flow: "external-to-local",
        tenancyId: cfg.require("tenancyId"),
        // Tenancies with identity domains refuse a user without an email.
        credentials: { mode: "create", email: cfg.require("credentialsEmail") },
        homeRegionProvider: new oci.Provider("home", { region: cfg.require("homeRegion") }),
      },
    },
    { provider: new oci.Provider(`oci-${region}`, { region }) },
  );
  return site.outputs();
};
