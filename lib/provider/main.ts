#!/usr/bin/env node
/**
 * `pulumi-resource-oci-geo-streaming`: the plugin the Pulumi engine starts for the
 * `oci-geo-streaming` package (from the PATH, or `pulumi plugin install resource
 * oci-geo-streaming <version> --file <dir>`), serving the GeoReplicatedStream component to
 * programs in any Pulumi language (see provider.ts).
 */
import * as provider from "@pulumi/pulumi/provider";
import { componentProvider } from "./provider";

provider.main(componentProvider(), process.argv.slice(2)).catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
