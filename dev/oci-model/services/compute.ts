/** The OCI model — Compute and Bastion: instances (VNIC, private IP, shape), the Bastion service. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { addressAt, mustParseCidr } from "../../../lib/core/cidr";
import { isArmShape } from "../ociCatalog";
import { hashHex } from "../ocid";

/**
 * OCI: "The combined size of these two attributes [metadata and extendedMetadata] can be a maximum
 * of 32,000 bytes" (Compute, Updating Instance Metadata). Measured here as their JSON text.
 */
export const INSTANCE_METADATA_MAX_BYTES = 32_000;

function instance(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, seed, common, reject, sameRegion } = ctx;
  const metadataBytes = ["metadata", "extendedMetadata"]
    .map((k) => (inp[k] === undefined ? 0 : Buffer.byteLength(JSON.stringify(inp[k]), "utf8")))
    .reduce((a, b) => a + b, 0);
  if (metadataBytes > INSTANCE_METADATA_MAX_BYTES) {
    reject(
      `metadata and extendedMetadata are ${metadataBytes} bytes together; OCI allows at most ${INSTANCE_METADATA_MAX_BYTES}`,
    );
  }
  const vnic = (inp.createVnicDetails as Obj | undefined) ?? {};
  const subnetId = vnic.subnetId ?? inp.subnetId;
  const subnet = sameRegion("createVnicDetails.subnetId", subnetId);
  const prohibited = subnet?.outputs.prohibitPublicIpOnVnic === true;
  const assign = vnic.assignPublicIp;
  const wantsPublic = assign === undefined ? !prohibited : assign === true || assign === "true";
  if (wantsPublic && prohibited) {
    reject("createVnicDetails.assignPublicIp is true but the subnet prohibits public IPs");
  }
  const privateIp = ctx.model.allocateIp(subnetId, vnic.privateIp, seed);
  const shapeConfig = (inp.shapeConfig as Obj | undefined) ?? {};
  const ocpus = (shapeConfig.ocpus as number | undefined) ?? 1;
  const source = (inp.sourceDetails as Obj | undefined) ?? {};
  return {
    ...common,
    displayName: inp.displayName ?? name,
    region,
    faultDomain: inp.faultDomain ?? "FAULT-DOMAIN-1",
    privateIp,
    publicIp: wantsPublic
      ? addressAt(mustParseCidr("203.0.113.0/24"), 10 + (parseInt(hashHex(seed, 2), 16) % 200))
      : "",
    bootVolumeId: ctx.model.ocid("bootvolume", region, `${seed}|boot`),
    launchMode: "PARAVIRTUALIZED",
    createVnicDetails: {
      ...vnic,
      subnetId,
      privateIp,
      assignPublicIp: String(wantsPublic),
      hostnameLabel: vnic.hostnameLabel ?? inp.hostnameLabel,
    },
    shapeConfig: {
      ...shapeConfig,
      ocpus,
      vcpus: isArmShape(String(inp.shape ?? "")) ? ocpus : ocpus * 2,
      memoryInGbs: (shapeConfig.memoryInGbs as number | undefined) ?? ocpus * 16,
    },
    sourceDetails: { bootVolumeSizeInGbs: "47", ...source },
    state: inp.state ?? "RUNNING",
  };
}

function bastion(ctx: ResourceContext): Obj {
  const { name, inputs: inp, common, sameRegion } = ctx;
  const subnet = sameRegion("targetSubnetId", inp.targetSubnetId);
  return {
    ...common,
    name: inp.name ?? name.replace(/[^A-Za-z0-9]/g, ""),
    bastionType: inp.bastionType ?? "STANDARD",
    targetVcnId: subnet?.outputs.vcnId,
    privateEndpointIpAddress: ctx.model.allocateIp(inp.targetSubnetId, undefined, ctx.seed),
    maxSessionsAllowed: 20,
    maxSessionTtlInSeconds: inp.maxSessionTtlInSeconds ?? 10800,
    dnsProxyStatus: inp.dnsProxyStatus ?? "DISABLED",
    lifecycleDetails: "",
    state: "ACTIVE",
  };
}

/** Resource handlers of this service, by type token. */
export const COMPUTE: Record<string, ResourceHandler> = {
  "oci:Core/instance:Instance": instance,
  "oci:Bastion/bastion:Bastion": bastion,
};
