/**
 * The multi-language component provider: `GeoReplicatedStream` for Pulumi YAML, Python, Go, .NET
 * and Java programs. The engine runs the `oci-geo-streaming` plugin
 * (`pulumi-resource-oci-geo-streaming`, this package's bin, see main.ts), which serves the schema
 * (schema.json, generated from the TypeScript types by `npm run gen:schema`) and constructs the
 * component from the program's inputs: its children register with the engine as if a TypeScript
 * program had created them, with the providers the program gave (`options.providers`).
 */
// Loaded for its side effect: provider references in the inputs (replication.homeRegionProvider)
// are rehydrated as oci.Provider resources only when the oci package is registered.
import "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { ValidationError } from "../core/errors";
import { GEO_REPLICATED_STREAM_TYPE, GeoReplicatedStream } from "../components/geoReplicatedStream";
import { argsFromInputs, SchemaLike } from "./inputs";
import schema from "./schema.json";

/** The package schema the plugin serves (lib/provider/schema.json). */
export const PACKAGE_SCHEMA = schema;

/**
 * The engine hands a remote component its program's `provider:`/`providers:` options as the
 * `providers` map keyed by package; the component takes its region's OCI provider as
 * `opts.provider` (lib/core/config/providers.ts refuses a missing one), so the map's `oci` entry is it.
 */
export function componentOptions(options: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions {
  if (options.provider !== undefined || options.providers === undefined || Array.isArray(options.providers)) {
    return options;
  }
  const oci = (options.providers as Record<string, pulumi.ProviderResource>).oci;
  return oci === undefined ? options : { ...options, provider: oci };
}

/** The component provider (what `pulumi-resource-oci-geo-streaming` serves). */
export function componentProvider(): provider.Provider {
  return {
    version: schema.version,
    schema: JSON.stringify(schema),
    async construct(name, type, inputs, options) {
      if (type !== GEO_REPLICATED_STREAM_TYPE) {
        throw new Error(`unknown resource type ${type}: this plugin provides ${GEO_REPLICATED_STREAM_TYPE}`);
      }
      try {
        const args = await argsFromInputs(inputs, schema as unknown as SchemaLike, type);
        const component = new GeoReplicatedStream(name, args, componentOptions(options));
        return { urn: component.urn, state: component.outputs() };
      } catch (e) {
        // The engine prints an input property error with the property's path.
        if (e instanceof ValidationError) {
          const reason = e.message.startsWith(`${e.field}: `)
            ? e.message.slice(e.field.length + 2)
            : e.message;
          throw new pulumi.InputPropertyError({ propertyPath: e.field, reason });
        }
        throw e;
      }
    },
  };
}
