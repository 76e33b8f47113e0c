/**
 * The OCI model — Object Storage: the tenancy's namespace, buckets and objects.
 *
 *  - a tenancy has one Object Storage namespace (GetNamespace); a request naming another is
 *    refused (404 NamespaceNotFound);
 *  - "Bucket names must be unique within your namespace" and hold letters, digits, dashes,
 *    underscores and periods (CreateBucketDetails,
 *    https://docs.oracle.com/en-us/iaas/api/#/en/objectstorage/20160918/datatypes/CreateBucketDetails);
 *    accessType is NoPublicAccess, ObjectRead or ObjectReadWithoutList;
 *  - an object lives in an existing bucket; its name is 1 to 1024 characters; the provider uploads
 *    `source` (a local file it reads) or `content`, exactly one.
 */
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import type { Obj, ResourceContext, ResourceHandler } from "../handlerContext";
import { hashBase32 } from "../ocid";

export const BUCKET_TYPE = "oci:ObjectStorage/bucket:Bucket";
export const OBJECT_TYPE = "oci:ObjectStorage/storageObject:StorageObject";
const BUCKET_NAME = /^[A-Za-z0-9_.-]{1,256}$/;
const ACCESS_TYPES = ["NoPublicAccess", "ObjectRead", "ObjectReadWithoutList"];

/** The tenancy's Object Storage namespace (lower-case letters and digits, like OCI's). */
export function objectStorageNamespace(tenancySeed: string): string {
  return hashBase32(`namespace|${tenancySeed}`, 12);
}

function namespaceOf(ctx: ResourceContext): string {
  return objectStorageNamespace(ctx.model.opts.tenancyName ?? "mocktenancy");
}

function bucket(ctx: ResourceContext): Obj {
  const { inputs: inp, read, id, common, reject, model } = ctx;
  const ns = namespaceOf(ctx);
  if (!read) {
    if (inp.namespace !== ns)
      reject(
        `404-NamespaceNotFound: namespace ${JSON.stringify(inp.namespace)} is not this tenancy's (${ns})`,
      );
    if (typeof inp.name !== "string" || !BUCKET_NAME.test(inp.name)) {
      reject(
        `400-InvalidParameter: bucket name ${JSON.stringify(inp.name)}: 1 to 256 letters, digits, - _ and .`,
      );
    }
    if (inp.accessType !== undefined && !ACCESS_TYPES.includes(String(inp.accessType))) {
      reject(
        `400-InvalidParameter: accessType ${JSON.stringify(inp.accessType)} is not one of ${ACCESS_TYPES.join(", ")}`,
      );
    }
    const clash = model
      .ofType(BUCKET_TYPE)
      .find(
        ([other, b]) => other !== id && b.outputs.name === inp.name && b.outputs.namespace === inp.namespace,
      );
    if (clash)
      reject(
        `409-BucketAlreadyExists: a bucket named ${String(inp.name)} exists in namespace ${ns} (names are unique per namespace)`,
      );
  }
  return {
    ...common,
    bucketId: model.ocid("bucket", ctx.region, id),
    accessType: inp.accessType ?? "NoPublicAccess",
    versioning: inp.versioning ?? "Disabled",
    storageTier: inp.storageTier ?? "Standard",
    createdBy: "mock-user",
    etag: hashBase32(`${id}|etag`, 16),
    approximateCount: "0",
    approximateSize: "0",
    isReadOnly: false,
  };
}

function storageObject(ctx: ResourceContext): Obj {
  const { inputs: inp, read, id, region, common, reject, model } = ctx;
  if (!read) {
    const b = model
      .ofType(BUCKET_TYPE)
      .find(([, k]) => k.outputs.name === inp.bucket && k.outputs.namespace === inp.namespace);
    if (!b)
      reject(
        `404-BucketNotFound: bucket ${String(inp.bucket)} does not exist in namespace ${String(inp.namespace)}`,
      );
    else if (b[1].region !== region)
      reject(
        `404-BucketNotFound: bucket ${String(inp.bucket)} is in ${String(b[1].region)}, this request goes to ${region}`,
      );
    if (typeof inp.object !== "string" || inp.object === "" || inp.object.length > 1024) {
      reject("400-InvalidParameter: object names are 1 to 1024 characters");
    }
    const hasSource = typeof inp.source === "string" && inp.source !== "";
    const hasContent = typeof inp.content === "string";
    if (hasSource === hasContent) reject("exactly one of source and content must be set");
    if (hasSource && !fs.existsSync(inp.source as string)) {
      reject(`the provider cannot read source ${String(inp.source)}: no such file`);
    }
  }
  const bytes =
    typeof inp.source === "string" && fs.existsSync(inp.source)
      ? fs.readFileSync(inp.source)
      : Buffer.from(String(inp.content ?? ""));
  return {
    ...common,
    contentLength: String(bytes.length),
    contentMd5: createHash("md5").update(bytes).digest("base64"),
    contentType: inp.contentType ?? "application/octet-stream",
    storageTier: inp.storageTier ?? "Standard",
    versionId: hashBase32(`${id}|version`, 16),
  };
}

/** Resource handlers of this service, by type token. */
export const OBJECT_STORAGE: Record<string, ResourceHandler> = {
  [BUCKET_TYPE]: bucket,
  [OBJECT_TYPE]: storageObject,
};
