import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { instanceMetadata } from "../../core/cloudinit";
import { ResolvedFleet } from "../../core/config/resolved";
import { iamName } from "../../core/oci/iamNames";
import { FleetRule, fleetRules, FleetRuleInputs } from "./fleetRules";
import { policySubject } from "./identity";

/** Arguments of {@link MirrorMakerFleet}. */
export interface MirrorMakerFleetArgs {
  fleet: ResolvedFleet;
  compartmentId: pulumi.Input<string>;
  tenancyId: pulumi.Input<string>;
  vcnId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  /** Rendered `#cloud-config` user-data (no secret inside). */
  userData: pulumi.Input<string>;
  /** Vault secrets the instances may read at boot (the token, and any external cluster credentials). */
  secretIds: pulumi.Input<pulumi.Input<string>[]>;
  rules: Omit<FleetRuleInputs, "oracleServicesCidr" | "bastion">;
  oracleServicesCidr: pulumi.Input<string>;
  mirrorMakerSubnetCidr: string;
  bastionClientCidrs: string[];
  homeRegionProvider: pulumi.ProviderResource;
  /** The deployment's prefix of the tenancy-wide IAM names (lib/core/oci/iamNames.ts). */
  iamNamePrefix: string;
  /** The tenancy has identity domains: the dynamic group is named `'Default'/'<name>'` in policies. */
  identityDomains: boolean;
  /** Resolves once the tenancy is known to match `identityDomains`. */
  identityChecked: pulumi.Output<boolean>;
  /** Monitoring on: the Oracle Cloud Agent's Run Command, custom logs and monitoring plugins too. */
  operations?: boolean;
  freeformTags: Record<string, string>;
}

/**
 * The Oracle Cloud Agent plugins a node runs: Bastion (SSH sessions); with monitoring, Run Command
 * (operators' commands without SSH), Custom Logs Monitoring (the Unified Agent that tails MM2's
 * log) and Compute Instance Monitoring (the oci_computeagent CPU and memory metrics).
 */
export function agentPlugins(operations: boolean): { name: string; desiredState: string }[] {
  return [
    { name: "Bastion", desiredState: "ENABLED" },
    ...(operations
      ? ["Compute Instance Run Command", "Custom Logs Monitoring", "Compute Instance Monitoring"].map(
          (n) => ({
            name: n,
            desiredState: "ENABLED",
          }),
        )
      : []),
  ];
}

/** Fault domains are spread first across availability domains, then across fault domains. */
export function placement(index: number, adCount: number): { ad: number; faultDomain: string } {
  return { ad: index % adCount, faultDomain: `FAULT-DOMAIN-${(Math.floor(index / adCount) % 3) + 1}` };
}

/**
 * The MirrorMaker 2 instances (private, no public IP, Bastion plugin on, legacy IMDS off), their
 * NSG, the dynamic group matching exactly these instances with a policy to read exactly the token
 * secret, and an OCI Bastion restricted to the configured client CIDRs.
 */
export class MirrorMakerFleet extends pulumi.ComponentResource {
  public readonly instanceIds: pulumi.Output<string[]>;
  public readonly privateIps: pulumi.Output<string[]>;
  public readonly nsgId: pulumi.Output<string>;
  public readonly bastionId: pulumi.Output<string | undefined>;
  public readonly dynamicGroupId: pulumi.Output<string>;
  public readonly dynamicGroupName: pulumi.Output<string>;

  constructor(name: string, args: MirrorMakerFleetArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:replication:MirrorMakerFleet", name, {}, opts);
    const child = { parent: this, provider: opts.provider };
    const invoke = { parent: this, provider: opts.provider };
    const home = { parent: this, provider: args.homeRegionProvider };
    const f = args.fleet;
    const tags = args.freeformTags;

    const nsg = new oci.core.NetworkSecurityGroup(
      `${name}-nsg`,
      {
        compartmentId: args.compartmentId,
        vcnId: args.vcnId,
        displayName: `${name}-nsg`,
        freeformTags: tags,
      },
      child,
    );
    const rules = fleetRules({
      ...args.rules,
      oracleServicesCidr: "oracle-services",
      bastion: args.bastionClientCidrs.length > 0,
    });
    // The Bastion's private endpoint address is known once it exists: SSH is allowed from it alone.
    const bastion =
      args.bastionClientCidrs.length > 0
        ? new oci.bastion.Bastion(
            `${name}-bastion`,
            {
              bastionType: "STANDARD",
              compartmentId: args.compartmentId,
              targetSubnetId: args.subnetId,
              clientCidrBlockAllowLists: args.bastionClientCidrs,
              name: `${name}-bastion`.replace(/[^A-Za-z0-9]/g, ""),
              maxSessionTtlInSeconds: 10800,
              freeformTags: tags,
            },
            child,
          )
        : undefined;
    const peers: Record<string, pulumi.Input<string>> = {
      "oracle-services": args.oracleServicesCidr,
      ...(bastion ? { "bastion-endpoint": pulumi.interpolate`${bastion.privateEndpointIpAddress}/32` } : {}),
    };
    for (const rule of rules) {
      createRule(name, nsg, rule, peers, child);
    }

    const ads = oci.identity.getAvailabilityDomainsOutput({ compartmentId: args.tenancyId }, invoke);
    const imageId =
      f.imageId !== undefined
        ? pulumi.output(f.imageId)
        : oci.core
            .getImagesOutput(
              {
                compartmentId: args.compartmentId,
                operatingSystem: "Oracle Linux",
                operatingSystemVersion: "8",
                shape: f.shape,
                state: "AVAILABLE",
                sortBy: "TIMECREATED",
                sortOrder: "DESC",
              },
              invoke,
            )
            .images.apply((images) => {
              if (images.length === 0) {
                throw new Error(
                  `no Oracle Linux 8 image is available for ${f.shape}; set replication.fleet.imageId`,
                );
              }
              return images[0].id;
            });
    // What each node gets: the user-data gzip-compressed and base64-encoded (sized at validation).
    const metadata = pulumi.output(args.userData).apply((u) => instanceMetadata(u, f.sshAuthorizedKeys));

    const instances: oci.core.Instance[] = [];
    for (let i = 0; i < f.size; i++) {
      const adName = ads.availabilityDomains.apply((list) => list[placement(i, list.length).ad].name);
      const faultDomain = ads.availabilityDomains.apply((list) => placement(i, list.length).faultDomain);
      instances.push(
        new oci.core.Instance(
          `${name}-${i}`,
          {
            compartmentId: args.compartmentId,
            availabilityDomain: adName,
            faultDomain,
            displayName: `${name}-${i}`,
            shape: f.shape,
            shapeConfig: { ocpus: f.ocpus, memoryInGbs: f.memoryInGbs },
            sourceDetails: { sourceType: "image", sourceId: imageId },
            createVnicDetails: {
              subnetId: args.subnetId,
              assignPublicIp: "false",
              nsgIds: [nsg.id],
              hostnameLabel: `mm2-${i}`,
              displayName: `${name}-${i}-vnic`,
            },
            metadata,
            agentConfig: { pluginsConfigs: agentPlugins(args.operations === true) },
            instanceOptions: { areLegacyImdsEndpointsDisabled: true },
            freeformTags: tags,
          },
          // "Newest image" moves over time; without a pinned image, a new one must not replace the fleet.
          f.imageId === undefined ? { ...child, ignoreChanges: ["sourceDetails.sourceId"] } : child,
        ),
      );
    }
    this.instanceIds = pulumi.all(instances.map((x) => x.id));
    this.privateIps = pulumi.all(instances.map((x) => x.privateIp));

    const dynamicGroup = new oci.identity.DynamicGroup(
      `${name}-dg`,
      {
        compartmentId: args.tenancyId,
        // Unique across the tenancy's groups and dynamic groups: the deployment's prefix first.
        name: iamName(args.iamNamePrefix, `${name}-instances`),
        description: args.identityChecked.apply(
          () => "Exactly the MirrorMaker 2 instances of this deployment",
        ),
        matchingRule: this.instanceIds.apply(matchingRule),
        freeformTags: tags,
      },
      home,
    );
    new oci.identity.Policy(
      `${name}-secret-policy`,
      {
        compartmentId: args.tenancyId,
        name: iamName(args.iamNamePrefix, `${name}-read-token`),
        description: "MirrorMaker 2 instances read only their own credential secrets",
        statements: pulumi
          .all([dynamicGroup.name, args.compartmentId, pulumi.output(args.secretIds)])
          .apply(([dg, cid, ids]) => secretPolicyStatements(dg, cid, ids, args.identityDomains)),
        freeformTags: tags,
      },
      home,
    );

    this.bastionId = bastion ? bastion.id : pulumi.output(undefined);
    this.dynamicGroupId = dynamicGroup.id;
    this.dynamicGroupName = dynamicGroup.name;
    this.nsgId = nsg.id;
    this.registerOutputs({
      instanceIds: this.instanceIds,
      privateIps: this.privateIps,
      nsgId: this.nsgId,
      bastionId: this.bastionId,
    });
  }
}

/** Dynamic group rule matching exactly these instances. */
export function matchingRule(instanceIds: string[]): string {
  return `ANY {${[...instanceIds]
    .sort()
    .map((id) => `instance.id = '${id}'`)
    .join(", ")}}`;
}

/** The fleet may read the bundles of exactly these secrets: one statement per secret. */
export function secretPolicyStatements(
  dynamicGroup: string,
  compartmentId: string,
  secretIds: string[],
  identityDomains: boolean,
): string[] {
  const subject = policySubject("dynamic-group", dynamicGroup, identityDomains);
  return [...new Set(secretIds)].map(
    (id) =>
      `Allow ${subject} to read secret-bundles in compartment id ${compartmentId} where target.secret.id = '${id}'`,
  );
}

function createRule(
  name: string,
  nsg: oci.core.NetworkSecurityGroup,
  rule: FleetRule,
  /** Values of the symbolic peers (`oracle-services`, `bastion-endpoint`), known only once deployed. */
  symbolic: Record<string, pulumi.Input<string>>,
  opts: pulumi.CustomResourceOptions,
): oci.core.NetworkSecurityGroupSecurityRule {
  const peer = rule.peerType === "NETWORK_SECURITY_GROUP" ? nsg.id : (symbolic[rule.peer] ?? rule.peer);
  const egress = rule.direction === "EGRESS";
  return new oci.core.NetworkSecurityGroupSecurityRule(
    `${name}-nsg-${rule.key}`,
    {
      networkSecurityGroupId: nsg.id,
      direction: rule.direction,
      protocol: "6",
      stateless: false,
      description: rule.description,
      destination: egress ? peer : undefined,
      destinationType: egress ? rule.peerType : undefined,
      source: egress ? undefined : peer,
      sourceType: egress ? undefined : rule.peerType,
      tcpOptions: { destinationPortRange: { min: rule.port, max: rule.port } },
    },
    opts,
  );
}
