import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { TOOLS_BUNDLE_FILE, toolsObjectName } from "../../core/telemetry/artifacts";

/** The package's root (lib/components/replication or dist/components/replication → the folder holding package.json). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/** The operator bundle this package version ships (dist/bundle/, built by `npm run build`). */
export interface OperatorBundle {
  file: string;
  sha256: string;
  version: string;
  objectName: string;
}

/**
 * Reads the shipped operator bundle and its SHA-256. Throws when it is missing: the package was
 * not built (in a clone: `npm run build`), and nodes given no bundle would have no operator commands.
 */
export function operatorBundle(root = PACKAGE_ROOT): OperatorBundle {
  const file = path.join(root, "dist", "bundle", TOOLS_BUNDLE_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(
      `the MirrorMaker nodes' operator bundle ${file} is missing: this copy of oci-geo-streaming was not built (run npm run build), or set monitoring.enabled to false`,
    );
  }
  const sha256 = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  const version = (
    JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }
  ).version;
  return { file, sha256, version, objectName: toolsObjectName(version, sha256) };
}

/** Where the nodes fetch the bundle from: a private bucket of this region, and the object in it. */
export interface ToolsDelivery {
  namespace: pulumi.Output<string>;
  bucketName: pulumi.Output<string>;
  bundle: OperatorBundle;
  object: oci.objectstorage.StorageObject;
}

/**
 * The tools bucket (private, versioning off: every bundle has a name of its own) and the bundle in
 * it under its content-addressed name. The provider tracks an object's `source` by path and mtime,
 * not content; a name that carries the SHA-256 makes a changed bundle a new object, and the nodes
 * check the SHA-256 anyway. The bucket name carries `suffix` (unique per deployment, like the
 * secrets'): bucket names are unique in the tenancy's namespace.
 */
export function createToolsDelivery(
  name: string,
  args: {
    compartmentId: pulumi.Input<string>;
    suffix: pulumi.Input<string>;
    freeformTags: Record<string, string>;
  },
  opts: pulumi.CustomResourceOptions,
): ToolsDelivery {
  const bundle = operatorBundle();
  const namespace = oci.objectstorage.getNamespaceOutput(
    { compartmentId: args.compartmentId },
    opts,
  ).namespace;
  const bucket = new oci.objectstorage.Bucket(
    `${name}-tools`,
    {
      compartmentId: args.compartmentId,
      namespace,
      name: pulumi.interpolate`${name}-tools-${args.suffix}`,
      accessType: "NoPublicAccess",
      versioning: "Disabled",
      freeformTags: args.freeformTags,
    },
    opts,
  );
  const object = new oci.objectstorage.StorageObject(
    `${name}-tools-bundle`,
    {
      bucket: bucket.name,
      namespace,
      object: bundle.objectName,
      source: bundle.file,
      contentType: "application/javascript",
    },
    opts,
  );
  return { namespace, bucketName: bucket.name, bundle, object };
}
