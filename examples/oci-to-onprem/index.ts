/**
 * Example: OCI Streaming in Amsterdam replicated out to an on-premises Kafka cluster over an
 * existing private FastConnect virtual circuit, authenticating with a client certificate (SSL,
 * mutual TLS). MirrorMaker runs in OCI, consumes the local pool and produces on premises, where
 * it keeps its worker state in its own compacted topics (normal Kafka) and each stream arrives as
 * `ams.<stream>`.
 *
 * Plan it offline: `npm run plan:examples`. Deploy: `pulumi up -s example` in this folder, then
 * point the virtual circuit at the `drgId` output (a consumer imports `oci-geo-streaming`).
 */
import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { GeoReplicatedStream, StreamSpec } from "../../lib";

export = async (): Promise<Record<string, unknown>> => {
  const cfg = new pulumi.Config();
  const region = new pulumi.Config("oci").require("region");
  const site = new GeoReplicatedStream(
    "oci-to-onprem",
    {
      role: "primary",
      region,
      compartmentId: cfg.require("compartmentId"),
      network: { vcnCidr: cfg.require("vcnCidr") },
      streams: cfg.requireObject<StreamSpec[]>("streams"),
      onPremises: {
        cidrs: cfg.requireObject<string[]>("onPremCidrs"),
        fastConnect: { virtualCircuitId: cfg.require("virtualCircuitId") },
      },
      externalKafka: {
        alias: "onprem",
        bootstrapServers: cfg.require("bootstrapServers"),
        brokerCidrs: cfg.requireObject<string[]>("brokerCidrs"),
        securityProtocol: "SSL",
        tls: {
          caCertificatePem: cfg.require("caCertificatePem"),
          clientCertificatePem: cfg.require("clientCertificatePem"),
          clientKeyPem: cfg.requireSecret("clientKeyPem"),
        },
      },
      replication: {
        flow: "local-to-external",
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
