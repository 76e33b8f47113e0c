/** The OCI model — Vault and KMS: vaults, keys, secrets. */
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { hashBase32 } from "../ocid";

function vault(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, seed, common } = ctx;
  const host = hashBase32(`${seed}|vault`, 13);
  return {
    ...common,
    displayName: inp.displayName ?? name,
    vaultType: inp.vaultType ?? "DEFAULT",
    managementEndpoint: `https://${host}-management.kms.${region}.oraclecloud.com`,
    cryptoEndpoint: `https://${host}-crypto.kms.${region}.oraclecloud.com`,
    isPrimary: true,
    isVaultReplicable: false,
    state: "ACTIVE",
  };
}

function key(ctx: ResourceContext): Obj {
  const { name, inputs: inp, region, seed, common, reject } = ctx;
  const vault = [...ctx.model.known.entries()].find(
    ([, k]) => k.type === "oci:Kms/vault:Vault" && k.outputs.managementEndpoint === inp.managementEndpoint,
  );
  if (vault && vault[1].region !== region) {
    reject(`managementEndpoint belongs to a vault in ${vault[1].region}, this key is in ${region}`);
  }
  return {
    ...common,
    displayName: inp.displayName ?? name,
    vaultId: vault?.[0],
    protectionMode: inp.protectionMode ?? "HSM",
    currentKeyVersion: ctx.model.ocid("keyversion", region, `${seed}|v1`),
    isPrimary: true,
    state: "ENABLED",
  };
}

function secret(ctx: ResourceContext): Obj {
  const { inputs: inp, read, id, common, reject, sameRegion, model } = ctx;
  sameRegion("vaultId", inp.vaultId);
  if (!read) {
    const name = String(inp.secretName);
    if (model.reservedSecretNames.has(`${String(inp.vaultId)}|${name}`)) {
      reject(
        `400-InvalidParameter: name already exists — a deleted secret named ${name} is pending deletion in vault ${String(inp.vaultId)}, and OCI keeps its name reserved until it is gone (30 days by default; terraform-provider-oci #1765). Give the new secret another name`,
      );
    }
    const clash = model
      .ofType("oci:Vault/secret:Secret")
      .find(
        ([other, s]) => other !== id && s.outputs.vaultId === inp.vaultId && s.outputs.secretName === name,
      );
    if (clash) {
      reject(
        `400-InvalidParameter: name already exists — secret ${clash[0]} in this vault is named ${name} (names are unique per vault)`,
      );
    }
  }
  return {
    ...common,
    currentVersionNumber: "1",
    isAutoGenerationEnabled: inp.enableAutoGeneration ?? false,
    isReplica: false,
    lifecycleDetails: "",
    state: "ACTIVE",
  };
}

/** Resource handlers of this service, by type token. */
export const VAULT: Record<string, ResourceHandler> = {
  "oci:Kms/vault:Vault": vault,
  "oci:Kms/key:Key": key,
  "oci:Vault/secret:Secret": secret,
};
