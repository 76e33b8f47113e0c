/**
 * Entry point of the emulator plugins: `node main.ts <oci|random> <engine address>`, launched by
 * dev/emulator/bin/pulumi-resource-oci and …-random (put that folder first on PATH; the engine
 * then uses them instead of the real providers, and warns "using … from $PATH").
 *
 * Each provider instance is its own process. The SDK's provider server answers Configure without
 * passing it on, so the configured region is read by wrapping the server's gRPC service before
 * `main()` registers it: `args.region` of an explicit provider, or the `oci:config:region`
 * variable (stack config `oci:region`) of a default one.
 */
import * as path from "node:path";
import * as provider from "@pulumi/pulumi/provider";
import { EMULATED_PACKAGES, EmulatedPackage, emulatorProvider } from "./provider";

interface ConfigureCall {
  request: {
    hasArgs(): boolean;
    getArgs(): { toJavaScript(): Record<string, unknown> };
    getVariablesMap(): { get(key: string): string | undefined };
  };
}

/** Captures every Configure request of the SDK's provider server. */
function onConfigure(
  capture: (args: Record<string, unknown>, variable: (k: string) => string | undefined) => void,
) {
  // The SDK's own copy of grpc-js, whatever the hoisting.
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as {
    Server: { prototype: { addService(service: unknown, impl: Record<string, unknown>): void } };
  };
  const add = grpc.Server.prototype.addService;
  grpc.Server.prototype.addService = function (service, impl) {
    const configure = impl.configure as ((call: ConfigureCall, cb: unknown) => void) | undefined;
    if (typeof configure === "function") {
      impl.configure = (call: ConfigureCall, cb: unknown) => {
        const req = call.request;
        capture(req.hasArgs() ? req.getArgs().toJavaScript() : {}, (k) => req.getVariablesMap().get(k));
        return configure.call(impl, call, cb);
      };
    }
    return add.call(this, service, impl);
  };
}

export async function main(argv: string[]): Promise<void> {
  const pkg = argv[0] as EmulatedPackage;
  if (!(pkg in EMULATED_PACKAGES)) {
    throw new Error(`usage: main.ts <${Object.keys(EMULATED_PACKAGES).join("|")}> <engine address>`);
  }
  let region: string | undefined;
  onConfigure((args, variable) => {
    const r = args.region ?? variable("oci:config:region") ?? variable("oci:region");
    region = typeof r === "string" && r !== "" ? r : undefined;
  });
  await provider.main(
    emulatorProvider(pkg, () => region),
    argv.slice(1),
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
