import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CredentialsArgs } from "../../core/config/args";
import { iamName } from "../../core/oci/iamNames";
import { policySubject } from "./identity";
import { ExternalSecretIds } from "../../core/fleet";

/** Arguments of {@link MirrorMakerCredentials}. */
export interface MirrorMakerCredentialsArgs {
  credentials: CredentialsArgs;
  tenancyId: pulumi.Input<string>;
  /** Compartment of the vault and secret (this region's compartment). */
  compartmentId: pulumi.Input<string>;
  /** Compartments of the pools MirrorMaker consumes from (stream-pull). */
  pullCompartmentIds: pulumi.Input<string>[];
  /** Compartments of the pools MirrorMaker produces to (stream-push; also read: worker storage, offset-syncs). */
  pushCompartmentIds: pulumi.Input<string>[];
  /** The Connect harness MirrorMaker keeps its worker state in (none when the target is not OCI). */
  connectHarnessId?: pulumi.Input<string>;
  /**
   * The external cluster's credentials (Pulumi secrets, or a CA certificate), stored as Vault
   * secrets in the same vault as the token.
   */
  externalSecrets?: Partial<Record<keyof ExternalSecretIds, pulumi.Input<string>>>;
  /** Provider for the home region (IAM). */
  homeRegionProvider: pulumi.ProviderResource;
  /** The deployment's prefix of the tenancy-wide IAM names (lib/core/oci/iamNames.ts). */
  iamNamePrefix: string;
  /** The tenancy has identity domains: the user needs an email, policies name `'Default'/'<group>'`. */
  identityDomains: boolean;
  /** Resolves once the tenancy is known to match `identityDomains` (fails the deployment otherwise). */
  identityChecked: pulumi.Output<boolean>;
  /** Existing vault and key; created when absent. */
  vault?: { vaultId: pulumi.Input<string>; keyId: pulumi.Input<string> };
  freeformTags: Record<string, string>;
}

/**
 * The OCI IAM policy statements granting MirrorMaker's user group what it needs. OCI's
 * `stream-pull`/`stream-push` resource types take no stream-pool condition (only `streams` takes
 * `target.stream.id`, and MM2 creates new remote streams), so the grant is scoped to the pools'
 * compartments: keep the pools in compartments of their own for the tightest scope.
 */
export function streamingPolicyStatements(
  groupName: string,
  pullCompartmentIds: string[],
  pushCompartmentIds: string[],
  connectHarnessId: string | undefined,
  harnessCompartmentId: string,
  identityDomains: boolean,
): string[] {
  const unique = (ids: string[]) => [...new Set(ids)].sort();
  const pull = unique([...pullCompartmentIds, ...pushCompartmentIds]);
  const push = unique(pushCompartmentIds);
  const group = policySubject("group", groupName, identityDomains);
  return [
    ...pull.map((id) => `Allow ${group} to use stream-pull in compartment id ${id}`),
    ...push.map((id) => `Allow ${group} to use stream-push in compartment id ${id}`),
    ...pull.map((id) => `Allow ${group} to read streams in compartment id ${id}`),
    ...(connectHarnessId === undefined
      ? []
      : [
          // `manage`, scoped to this one harness. OCI's policy reference ("Details for the Streaming
          // Service") lists only control-plane APIs under connect-harness (use: Get/Update; manage:
          // + Create/Delete) and says nothing of the Kafka protocol on the harness's topics, which is
          // what Connect workers do; the public reference deployments that run Kafka Connect on OCI
          // grant `manage connect-harness … where target.connectharness.id = …`. With `use` too
          // weak the fleet could not start (no replication); `manage` adds only update/delete of
          // this one harness. Until a real tenancy answers, the wider, scoped verb is the safe one.
          `Allow ${group} to manage connect-harness in compartment id ${harnessCompartmentId} where target.connectharness.id = '${connectHarnessId}'`,
        ]),
  ];
}

const EXTERNAL_SECRET_PURPOSE: Record<keyof ExternalSecretIds, string> = {
  saslPassword: "SASL password",
  caCertificate: "CA certificate (PEM trust store)",
  keystore: "client private key and certificate (PEM key store)",
  keyPassword: "client key password",
};

/**
 * MirrorMaker's OCI credentials: the IAM user (created, or an existing one) and its auth token,
 * stored as a Vault secret that only the fleet's instances can read at boot. The token is a
 * Pulumi secret end to end: the AuthToken's `token` output is marked secret here, because the
 * provider does not mark it.
 */
export class MirrorMakerCredentials extends pulumi.ComponentResource {
  /** IAM user name (the middle part of the OCI Kafka username). */
  public readonly userName: pulumi.Output<string>;
  /** Vault secret holding the auth token. Its OCID is not secret; its content is. */
  public readonly secretId: pulumi.Output<string>;
  public readonly vaultId: pulumi.Output<string>;
  /** Vault secrets of the external cluster's credentials (ids only). */
  public readonly externalSecretIds: pulumi.Output<ExternalSecretIds>;
  /** Every Vault secret the fleet reads at boot. */
  public readonly allSecretIds: pulumi.Output<string[]>;

  constructor(name: string, args: MirrorMakerCredentialsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("oci-geo-streaming:replication:MirrorMakerCredentials", name, {}, opts);
    const regional = { parent: this, provider: opts.provider };
    const home = { parent: this, provider: args.homeRegionProvider };
    const tags = args.freeformTags;

    let token: pulumi.Output<string>;
    if (args.credentials.mode === "create") {
      // User, group and policy names are unique across the tenancy: each carries the deployment's prefix.
      const userName = args.credentials.userName ?? iamName(args.iamNamePrefix, `${name}-user`);
      // The user is created only once the tenancy is known to be what identityDomains says.
      const checked = args.identityChecked;
      const email = args.credentials.email;
      const user = new oci.identity.User(
        `${name}-user`,
        {
          compartmentId: args.tenancyId,
          name: userName,
          description: checked.apply(() => "MirrorMaker 2 service user (stream push/pull only)"),
          email: args.identityDomains ? email : undefined,
          freeformTags: tags,
        },
        home,
      );
      const groupName = iamName(args.iamNamePrefix, `${name}-group`);
      const group = new oci.identity.Group(
        `${name}-group`,
        {
          compartmentId: args.tenancyId,
          name: groupName,
          description: "MirrorMaker 2 service users",
          freeformTags: tags,
        },
        home,
      );
      new oci.identity.UserGroupMembership(
        `${name}-membership`,
        { userId: user.id, groupId: group.id },
        home,
      );
      new oci.identity.Policy(
        `${name}-streaming-policy`,
        {
          compartmentId: args.tenancyId,
          name: iamName(args.iamNamePrefix, `${name}-streaming`),
          description:
            "MirrorMaker 2: pull from the source pool, push to the target pool, use the Connect harness",
          statements: pulumi
            .all([
              pulumi.all(args.pullCompartmentIds),
              pulumi.all(args.pushCompartmentIds),
              pulumi.output(args.connectHarnessId),
              args.compartmentId,
            ])
            .apply(([pull, push, harness, cid]) =>
              streamingPolicyStatements(groupName, pull, push, harness, cid, args.identityDomains),
            ),
          freeformTags: tags,
        },
        home,
      );
      const authToken = new oci.identity.AuthToken(
        `${name}-token`,
        { userId: user.id, description: "MirrorMaker 2 Kafka SASL password" },
        { ...home, additionalSecretOutputs: ["token"] },
      );
      token = pulumi.secret(authToken.token);
      this.userName = user.name;
    } else {
      token = pulumi.secret(pulumi.output(args.credentials.authToken));
      this.userName = pulumi.output(args.credentials.userName);
    }

    let vaultId: pulumi.Input<string>;
    let keyId: pulumi.Input<string>;
    if (args.vault) {
      vaultId = args.vault.vaultId;
      keyId = args.vault.keyId;
    } else {
      const vault = new oci.kms.Vault(
        `${name}-vault`,
        {
          compartmentId: args.compartmentId,
          displayName: `${name}-vault`,
          vaultType: "DEFAULT",
          freeformTags: tags,
        },
        regional,
      );
      const key = new oci.kms.Key(
        `${name}-key`,
        {
          compartmentId: args.compartmentId,
          displayName: `${name}-key`,
          keyShape: { algorithm: "AES", length: 32 },
          managementEndpoint: vault.managementEndpoint,
          protectionMode: "HSM",
          freeformTags: tags,
        },
        regional,
      );
      vaultId = vault.id;
      keyId = key.id;
    }
    // OCI keeps a deleted secret's name reserved in its vault while it is pending deletion (30
    // days by default): a layer turned off and on again (failback does that) must not reuse a
    // name. The suffix is created and deleted with the layer, so each incarnation has its own.
    const suffix = new random.RandomId(`${name}-secret-suffix`, { byteLength: 3 }, { parent: this }).hex;
    const secret = new oci.vault.Secret(
      `${name}-token-secret`,
      {
        compartmentId: args.compartmentId,
        vaultId,
        keyId,
        secretName: pulumi.interpolate`${name}-auth-token-${suffix}`,
        description: "Auth token MirrorMaker 2 uses as its Kafka SASL password",
        secretContent: {
          contentType: "BASE64",
          content: token.apply((t) => Buffer.from(t, "utf8").toString("base64")),
        },
        freeformTags: tags,
      },
      regional,
    );
    const external = Object.entries(args.externalSecrets ?? {})
      .filter((e): e is [keyof ExternalSecretIds, pulumi.Input<string>] => e[1] !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => {
        const slug = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        const s = new oci.vault.Secret(
          `${name}-external-${slug}`,
          {
            compartmentId: args.compartmentId,
            vaultId,
            keyId,
            secretName: pulumi.interpolate`${name}-external-${slug}-${suffix}`,
            description: `MirrorMaker 2: the external Kafka cluster's ${EXTERNAL_SECRET_PURPOSE[key]}`,
            secretContent: {
              contentType: "BASE64",
              content: pulumi.secret(
                pulumi.output(value).apply((t) => Buffer.from(t, "utf8").toString("base64")),
              ),
            },
            freeformTags: tags,
          },
          regional,
        );
        return [key, s.id] as const;
      });
    this.secretId = secret.id;
    this.vaultId = pulumi.output(vaultId);
    this.externalSecretIds = pulumi
      .all(external.map(([, id]) => id))
      .apply((ids) => Object.fromEntries(ids.map((id, i) => [external[i][0], id])) as ExternalSecretIds);
    this.allSecretIds = pulumi.all([secret.id, ...external.map(([, id]) => id)]);
    this.registerOutputs({
      userName: this.userName,
      secretId: this.secretId,
      vaultId: this.vaultId,
      externalSecretIds: this.externalSecretIds,
      allSecretIds: this.allSecretIds,
    });
  }
}
