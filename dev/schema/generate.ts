/**
 * Generates lib/provider/schema.json — the Pulumi package schema of the multi-language component
 * — from the TypeScript types themselves, with the compiler API: the inputs from
 * `GeoReplicatedStreamArgs` (lib/core/config/args.ts) and every type it reaches, their descriptions
 * (and defaults) from the JSDoc, the outputs from the keys `GeoReplicatedStream.outputs()` returns
 * and the declared types of what it returns for them.
 *
 * A schema has no unions, tuples or anonymous types, so:
 *  - a union of string literals (`Role`, `"prefixed" | "identity"`, …) becomes an enum type;
 *  - a union of object types (`CredentialsArgs`: `{ mode: "create", … } | { mode: "existing", … }`)
 *    becomes one object whose discriminant is an enum and whose other properties are all optional,
 *    each documented with the mode it belongs to (the provider's construct rebuilds the union and
 *    refuses a property of the other mode);
 *  - a tuple becomes an array (the construct checks its length);
 *  - an anonymous object type gets a name from where it appears (`ReplicationVault`);
 *  - `pulumi.ProviderResource` is the oci package's provider (`/oci/v<version>/schema.json#/provider`).
 * A property is `plain` when its TypeScript type is not `pulumi.Input<…>`/`Output<…>`: the
 * component validates those values before anything is registered, so they must be known.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import * as ts from "typescript";

export const SCHEMA_FILE = path.join("lib", "provider", "schema.json");
export const PACKAGE = "oci-geo-streaming";
export const COMPONENT_TOKEN = `${PACKAGE}:index:GeoReplicatedStream`;

type Json = Record<string, unknown>;

/** Names of the enums, by their sorted values (a union spelled inline has no name of its own). */
const ENUM_NAMES: Record<string, string> = {
  "dr|primary": "Role",
  "external-to-local|local-to-external|peer-to-local": "ReplicationFlow",
  "identity|prefixed": "ReplicationPolicy",
  "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512": "SaslMechanism",
  "SASL_PLAINTEXT|SASL_SSL|SSL": "SecurityProtocol",
  "V1|V2": "IkeVersion",
  "create|existing": "CredentialsMode",
  "fastConnect|ipsec": "OnPremisesKind",
};

/** Descriptions of the outputs whose declarations carry no JSDoc (the README's outputs table). */
const OUTPUT_DOCS: Record<string, string> = {
  role: "`primary` or `dr`, as given.",
  region: "The OCI region of this instance, as given.",
  vcnId: "OCID of the VCN (created, or the adopted one).",
  vcnCidr: "CIDR of the VCN.",
  streamSubnetId: "OCID of the private subnet of the stream pool's endpoint.",
  streamSubnetCidr: "CIDR of the stream pool's subnet.",
  mirrorMakerSubnetId: "OCID of the private subnet of the MirrorMaker fleet.",
  mirrorMakerSubnetCidr: "CIDR of the MirrorMaker subnet.",
  drgId: "OCID of the region's DRG.",
  remotePeeringConnectionId: "OCID of the DRG's remote peering connection (the peer needs it).",
  streamPoolId: "OCID of the private stream pool.",
  endpointFqdn: "The pool's private endpoint FQDN: connect by it, never by the IP (TLS).",
  bootstrapServers: "The pool's Kafka bootstrap servers (`<endpointFqdn>:9092`).",
  streamIds: "Stream OCIDs by name.",
  onPremises:
    "With `onPremises`: `kind`, `cidrs`, the DNS server and domains, and `cpeId`, `ipsecConnectionId`, `vpnTunnels` (secret: each tunnel's OCI headend IP, CPE IP, routing, IKE version, pre-shared key, status) or `virtualCircuitId`, `virtualCircuitState`, `virtualCircuitGatewayId`.",
  externalKafka:
    "With `externalKafka`: its alias, bootstrap servers, broker CIDRs and ports (no credential).",
  connectHarnessId: "OCID of the Connect harness (MM2's worker storage), when replication runs here.",
  mm2InstanceIds: "OCIDs of the MirrorMaker instances, when replication runs here.",
  mm2PrivateIps: "Private IPs of the MirrorMaker instances, when replication runs here.",
  bastionId: "OCID of the OCI Bastion of the fleet's subnet, when `bastionClientCidrs` is set.",
  monitoring:
    "Unless `monitoring.enabled` is false: the Notifications topic, the alarms by key and, with MirrorMaker, MM2's log and the tools bucket.",
};

/** Descriptions of output fields declared without JSDoc (anonymous types, resolved arguments), by `<type>.<field>`. */
const OUTPUT_FIELD_DOCS: Record<string, string> = {
  "GeoReplicatedStreamRequiredRouteRule.destination": "Destination CIDR (the peer VCN).",
  "GeoReplicatedStreamRequiredRouteRule.target": "The route's target (this region's DRG).",
  "ExternalKafkaOutput.brokerCidrs":
    "CIDRs of every broker: the fleet's only egress to the external cluster.",
  "ExternalKafkaOutput.brokerPorts": "Ports of the brokers' listeners.",
};

export interface SchemaInputs {
  /** The repository root (lib/ and package.json are read from it). */
  root: string;
}

/** The schema, generated from the TypeScript sources under `root`. */
export function generateSchema({ root }: SchemaInputs): Json {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
    description: string;
    license: string;
    peerDependencies: Record<string, string>;
  };
  const ociVersion = /(\d+\.\d+\.\d+)/.exec(pkg.peerDependencies["@pulumi/oci"] ?? "")?.[1];
  if (!ociVersion) {
    throw new Error("package.json: peerDependencies['@pulumi/oci'] names no version");
  }
  const componentFile = path.join(root, "lib", "components", "geoReplicatedStream.ts");
  const program = ts.createProgram([componentFile], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const gen = new Generator(checker, `/oci/v${ociVersion}/schema.json#/provider`);

  const args = findDeclaration(
    program,
    path.join(root, "lib", "core", "config", "args.ts"),
    "GeoReplicatedStreamArgs",
  );
  const cls = findDeclaration(program, componentFile, "GeoReplicatedStream");
  if (!args || !ts.isInterfaceDeclaration(args) || !cls || !ts.isClassDeclaration(cls)) {
    throw new Error(
      "lib/core/config/args.ts GeoReplicatedStreamArgs or lib/components/geoReplicatedStream.ts GeoReplicatedStream not found",
    );
  }
  const inputs = gen.objectProperties(args.members, "GeoReplicatedStream", "input");
  const outputs = gen.componentOutputs(cls);

  const resource = {
    isComponent: true,
    description: [
      docOf(cls),
      "",
      "From Pulumi YAML, Python, Go, C# or Java: the `oci-geo-streaming` plugin (`pulumi-resource-oci-geo-streaming`, installed with the npm package) runs this component; give it the region's oci provider (`options: { provider: … }` in YAML) and, with `replication`, the home region's as `replication.homeRegionProvider`.",
    ].join("\n"),
    inputProperties: inputs.properties,
    requiredInputs: inputs.required,
    properties: outputs.properties,
    required: outputs.required,
  };
  return {
    name: PACKAGE,
    displayName: "OCI geo-replicated Streaming",
    version: pkg.version,
    description: pkg.description,
    license: pkg.license,
    keywords: ["pulumi", "oci", "streaming", "kafka", "mirrormaker", "kind/component", "category/cloud"],
    dependencies: [{ name: "oci", version: ociVersion }],
    // The CLI writes an empty config section back (pulumi package get-schema): the file says it too.
    config: {},
    language: {
      nodejs: {
        packageName: `${PACKAGE}-sdk`,
        dependencies: { "@pulumi/oci": `^${ociVersion}` },
        respectSchemaVersion: true,
      },
      python: {
        packageName: "pulumi_oci_geo_streaming",
        requires: { "pulumi-oci": `>=${ociVersion},<5.0.0` },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: `${PACKAGE}/sdk/go/ocigeostreaming`,
        generateResourceContainerTypes: false,
        respectSchemaVersion: true,
      },
    },
    resources: { [COMPONENT_TOKEN]: resource },
    types: Object.fromEntries([...gen.types.entries()].sort(([a], [b]) => a.localeCompare(b))),
  };
}

function findDeclaration(program: ts.Program, file: string, name: string): ts.Node | undefined {
  const sf = program.getSourceFile(file);
  return sf?.statements.find(
    (s) =>
      (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s) || ts.isTypeAliasDeclaration(s)) &&
      s.name?.text === name,
  );
}

/** The JSDoc text of a declaration, `{@link X}` as `X`, whitespace folded within paragraphs. */
export function docOf(node: ts.Node): string {
  const sf = node.getSourceFile();
  const text = sf.getFullText();
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => text.startsWith("/**", r.pos)).pop();
  if (!last) return "";
  return text
    .slice(last.pos + 3, last.end - 2)
    .split("\n")
    .map((l) => l.replace(/^\s*\*?\s?/, ""))
    .join("\n")
    .replace(/\{@link\s+([^}\s]+)(?:\s+[^}]*)?\}/g, "`$1`")
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p !== "")
    .join("\n\n");
}

type Flavor = "input" | "output";

interface Converted {
  spec: Json;
  /** The TypeScript type is not Input/Output: a plain value. */
  plain: boolean;
  /** `| undefined` was part of the type. */
  optional: boolean;
}

const qualified = (n: ts.EntityName): string =>
  ts.isIdentifier(n) ? n.text : `${qualified(n.left)}.${n.right.text}`;

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

class Generator {
  readonly types = new Map<string, Json>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly providerRef: string,
  ) {}

  /** `properties` and `required` of an object type from its members. */
  objectProperties(
    members: ts.NodeArray<ts.TypeElement> | ts.TypeElement[],
    typeName: string,
    flavor: Flavor,
  ): { properties: Json; required: string[] } {
    const properties: Json = {};
    const required: string[] = [];
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = m.name.getText();
      const c = this.convert(m.type, `${typeName}${pascal(name)}`, flavor);
      const doc = docOf(m) || (flavor === "output" ? (OUTPUT_FIELD_DOCS[`${typeName}.${name}`] ?? "") : "");
      properties[name] = this.property(c, doc, flavor);
      if (!m.questionToken && !c.optional) required.push(name);
    }
    return { properties, required: required.sort() };
  }

  private property(c: Converted, doc: string, flavor: Flavor): Json {
    const out: Json = { ...c.spec };
    if (doc) out.description = doc;
    if (flavor === "input" && c.plain) out.plain = true;
    // "Must be a Pulumi secret": the SDKs then make the value secret themselves.
    if (flavor === "input" && !c.plain && out.type === "string" && /\bPulumi secret\b/.test(doc)) {
      out.secret = true;
    }
    return out;
  }

  /** A TypeScript type node as a schema type. `hint` names an anonymous type. */
  convert(node: ts.TypeNode, hint: string, flavor: Flavor): Converted {
    if (ts.isParenthesizedTypeNode(node)) return this.convert(node.type, hint, flavor);
    if (ts.isUnionTypeNode(node)) return this.union(node, hint, flavor);
    if (ts.isArrayTypeNode(node)) {
      const item = this.convert(node.elementType, hint.replace(/s$/, ""), flavor);
      return { spec: { type: "array", items: this.itemOf(item, flavor) }, plain: true, optional: false };
    }
    if (ts.isTupleTypeNode(node)) {
      const elements = node.elements.map((e) =>
        this.convert(ts.isNamedTupleMember(e) ? e.type : e, hint, flavor),
      );
      return {
        spec: { type: "array", items: this.itemOf(elements[0], flavor) },
        plain: true,
        optional: false,
      };
    }
    if (ts.isTypeLiteralNode(node)) {
      return { spec: this.objectRef(hint, node.members, flavor, ""), plain: true, optional: false };
    }
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return this.enumOf([node.literal.text], hint);
      if (node.literal.kind === ts.SyntaxKind.NullKeyword) return { spec: {}, plain: true, optional: true };
      return { spec: { type: "boolean" }, plain: true, optional: false };
    }
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { spec: { type: "string" }, plain: true, optional: false };
      case ts.SyntaxKind.NumberKeyword:
        // Every numeric argument of the component counts something (partitions, hours, VMs, OCPUs, GB, ports).
        return { spec: { type: "integer" }, plain: true, optional: false };
      case ts.SyntaxKind.BooleanKeyword:
        return { spec: { type: "boolean" }, plain: true, optional: false };
      case ts.SyntaxKind.UndefinedKeyword:
        return { spec: {}, plain: true, optional: true };
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.AnyKeyword:
        return { spec: { $ref: "pulumi.json#/Any" }, plain: true, optional: false };
    }
    if (ts.isTypeReferenceNode(node)) return this.reference(node, hint, flavor);
    throw new Error(`schema generator: no schema form for the type ${node.getText()} (${hint})`);
  }

  private itemOf(item: Converted, flavor: Flavor): Json {
    return flavor === "input" && item.plain ? { ...item.spec, plain: true } : item.spec;
  }

  private reference(node: ts.TypeReferenceNode, hint: string, flavor: Flavor): Converted {
    const name = qualified(node.typeName);
    const arg = node.typeArguments?.[0];
    if (name === "pulumi.Input" || name === "pulumi.Output" || name === "Promise") {
      return { ...this.convert(arg!, hint, flavor), plain: false };
    }
    if (name === "pulumi.ProviderResource") {
      // A resource reference: passed as an input (the construct receives the provider resource).
      return { spec: { $ref: this.providerRef }, plain: false, optional: false };
    }
    if (name === "Record") {
      const value = this.convert(node.typeArguments![1], hint, flavor);
      return { spec: { type: "object", additionalProperties: value.spec }, plain: true, optional: false };
    }
    const symbol = this.checker.getSymbolAtLocation(
      ts.isIdentifier(node.typeName) ? node.typeName : node.typeName.right,
    );
    const target =
      symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const decl = target?.declarations?.[0];
    if (decl && ts.isInterfaceDeclaration(decl)) {
      return {
        spec: this.objectRef(decl.name.text, decl.members, flavor, docOf(decl)),
        plain: true,
        optional: false,
      };
    }
    if (decl && ts.isTypeAliasDeclaration(decl)) {
      return this.convert(decl.type, decl.name.text, flavor);
    }
    throw new Error(`schema generator: cannot resolve the type ${name} (${hint})`);
  }

  private union(node: ts.UnionTypeNode, hint: string, flavor: Flavor): Converted {
    const parts = node.types.filter(
      (t) =>
        t.kind !== ts.SyntaxKind.UndefinedKeyword &&
        !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword),
    );
    const optional = parts.length !== node.types.length;
    if (parts.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
      const values = parts.map((t) => ((t as ts.LiteralTypeNode).literal as ts.StringLiteral).text);
      return { ...this.enumOf(values, hint), optional };
    }
    if (parts.length === 1) {
      return { ...this.convert(parts[0], hint, flavor), optional };
    }
    const objects = parts.map((t) => this.membersOf(t));
    if (objects.every((m) => m !== undefined)) {
      return { spec: this.mergedObject(hint, objects as ts.TypeElement[][], flavor), plain: true, optional };
    }
    throw new Error(`schema generator: no schema form for the union ${node.getText()} (${hint})`);
  }

  private membersOf(t: ts.TypeNode): ts.TypeElement[] | undefined {
    if (ts.isTypeLiteralNode(t)) return [...t.members];
    if (ts.isTypeReferenceNode(t)) {
      const symbol = this.checker.getSymbolAtLocation(
        ts.isIdentifier(t.typeName) ? t.typeName : t.typeName.right,
      );
      const decl = symbol?.declarations?.[0];
      if (decl && ts.isInterfaceDeclaration(decl)) return [...decl.members];
    }
    return undefined;
  }

  /** A single string literal is a plain string; several are an enum type. */
  private enumOf(values: string[], hint: string): Converted {
    if (values.length === 1) {
      return {
        spec: { type: "string", description: `Always \`${values[0]}\`.` },
        plain: true,
        optional: false,
      };
    }
    const name = ENUM_NAMES[[...values].sort().join("|")] ?? hint;
    const token = `${PACKAGE}:index:${name}`;
    if (!this.types.has(token)) {
      this.types.set(token, {
        type: "string",
        enum: values.map((v) => ({
          name: v
            .split(/[^A-Za-z0-9]+/)
            .map((w) => pascal(w.toLowerCase()))
            .join(""),
          value: v,
        })),
      });
    }
    return { spec: { $ref: `#/types/${token}` }, plain: true, optional: false };
  }

  private objectRef(name: string, members: ts.NodeArray<ts.TypeElement>, flavor: Flavor, doc: string): Json {
    const token = `${PACKAGE}:index:${name}`;
    if (!this.types.has(token)) {
      this.types.set(token, { type: "object" }); // placeholder: recursion
      const { properties, required } = this.objectProperties(members, name.replace(/Args$/, ""), flavor);
      this.types.set(token, {
        type: "object",
        ...(doc ? { description: doc } : {}),
        properties,
        ...(required.length ? { required } : {}),
      });
    }
    return { $ref: `#/types/${token}` };
  }

  /**
   * The object form of a discriminated union: the discriminant (the property every member has as
   * a string literal) an enum and required, every other property optional, documented with the
   * variant it belongs to.
   */
  private mergedObject(name: string, variants: ts.TypeElement[][], flavor: Flavor): Json {
    const token = `${PACKAGE}:index:${name}`;
    if (this.types.has(token)) return { $ref: `#/types/${token}` };
    const props = (v: ts.TypeElement[]) =>
      v.filter((m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.type !== undefined);
    const discriminant = props(variants[0])
      .map((p) => p.name.getText())
      .find((n) =>
        variants.every((v) =>
          props(v).some(
            (p) =>
              p.name.getText() === n && ts.isLiteralTypeNode(p.type!) && ts.isStringLiteral(p.type.literal),
          ),
        ),
      );
    if (!discriminant) throw new Error(`schema generator: the union ${name} has no discriminant`);
    const tag = (v: ts.TypeElement[]) =>
      (
        (props(v).find((p) => p.name.getText() === discriminant)!.type as ts.LiteralTypeNode)
          .literal as ts.StringLiteral
      ).text;
    const properties: Json = {};
    const enumRef = this.enumOf(variants.map(tag), `${name}${pascal(discriminant)}`).spec;
    const discriminantDocs = variants.map((v) => {
      const d = docOf(props(v).find((p) => p.name.getText() === discriminant)!);
      return `\`${tag(v)}\`: ${d}`;
    });
    properties[discriminant] = {
      ...enumRef,
      description: discriminantDocs.join("\n\n"),
      ...(flavor === "input" ? { plain: true } : {}),
    };
    const names = [...new Set(variants.flatMap((v) => props(v).map((p) => p.name.getText())))].filter(
      (n) => n !== discriminant,
    );
    for (const n of names) {
      const owners = variants.filter((v) => props(v).some((p) => p.name.getText() === n));
      const decl = props(owners[0]).find((p) => p.name.getText() === n)!;
      const c = this.convert(decl.type!, `${name}${pascal(n)}`, flavor);
      const docs = owners.map((v) => {
        const d = docOf(props(v).find((p) => p.name.getText() === n)!);
        const required = !props(v).find((p) => p.name.getText() === n)!.questionToken;
        return `With \`${discriminant}: ${tag(v)}\`${required ? " (required)" : ""}: ${d}`;
      });
      const only =
        owners.length < variants.length
          ? ` Only with \`${discriminant}\` ${owners.map((v) => `\`${tag(v)}\``).join(" or ")}.`
          : "";
      properties[n] = this.property(c, `${docs.join("\n\n")}${only}`, flavor);
    }
    this.types.set(token, {
      type: "object",
      description: `One of: ${variants.map((v) => `\`${discriminant}: ${tag(v)}\``).join(", ")}; a property of another \`${discriminant}\` is refused.`,
      properties,
      required: [discriminant],
    });
    return { $ref: `#/types/${token}` };
  }

  /** The outputs: the keys of `outputs()`, typed by the declarations of what each returns. */
  componentOutputs(cls: ts.ClassDeclaration): { properties: Json; required: string[] } {
    const method = cls.members.find(
      (m): m is ts.MethodDeclaration => ts.isMethodDeclaration(m) && m.name.getText() === "outputs",
    );
    const ret = method?.body?.statements.find(ts.isReturnStatement)?.expression;
    if (!ret || !ts.isObjectLiteralExpression(ret)) {
      throw new Error("GeoReplicatedStream.outputs() does not return an object literal");
    }
    const properties: Json = {};
    const required: string[] = [];
    const visit = (obj: ts.ObjectLiteralExpression, conditional: boolean) => {
      for (const p of obj.properties) {
        if (ts.isSpreadAssignment(p)) {
          let e: ts.Expression = p.expression;
          while (ts.isParenthesizedExpression(e)) e = e.expression;
          if (ts.isConditionalExpression(e)) {
            for (const branch of [e.whenTrue, e.whenFalse]) {
              let b = branch;
              while (ts.isParenthesizedExpression(b)) b = b.expression;
              if (ts.isObjectLiteralExpression(b)) visit(b, true);
            }
            continue;
          }
          throw new Error(`outputs(): cannot read the spread ${p.getText()}`);
        }
        const name = p.name?.getText();
        if (!name) continue;
        const init = ts.isPropertyAssignment(p)
          ? p.initializer
          : ts.isShorthandPropertyAssignment(p)
            ? p.name
            : undefined;
        if (!init) continue;
        const { c, doc } = this.outputOf(init, `GeoReplicatedStream${pascal(name)}`);
        properties[name] = this.property(c, doc || OUTPUT_DOCS[name] || "", "output");
        if (!conditional && !c.optional) required.push(name);
      }
    };
    visit(ret, false);
    return { properties, required: required.sort() };
  }

  /** The schema type and documentation of an output's expression, from the declaration it reads. */
  private outputOf(e: ts.Expression, hint: string): { c: Converted; doc: string } {
    if (ts.isPropertyAccessExpression(e)) {
      const symbol = this.checker.getSymbolAtLocation(e.name);
      const decl = symbol?.declarations?.[0];
      if (decl && (ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl)) && decl.type) {
        return { c: this.convert(decl.type, hint, "output"), doc: docOf(decl) };
      }
    }
    if (ts.isCallExpression(e)) {
      const symbol = this.checker.getSymbolAtLocation(
        ts.isPropertyAccessExpression(e.expression) ? e.expression.name : e.expression,
      );
      const decl = symbol?.declarations?.[0];
      if (decl && ts.isMethodDeclaration(decl) && decl.type) {
        return { c: this.convert(decl.type, hint, "output"), doc: "" };
      }
    }
    if (ts.isObjectLiteralExpression(e)) {
      const properties: Json = {};
      const required: string[] = [];
      for (const p of e.properties) {
        if (!ts.isPropertyAssignment(p)) continue;
        const name = p.name.getText();
        const { c, doc } = this.outputOf(p.initializer, `${hint}${pascal(name)}`);
        const typeName = `${hint.replace(/^GeoReplicatedStream/, "")}Output`;
        properties[name] = this.property(c, doc || OUTPUT_FIELD_DOCS[`${typeName}.${name}`] || "", "output");
        if (!c.optional) required.push(name);
      }
      const token = `${PACKAGE}:index:${hint.replace(/^GeoReplicatedStream/, "")}Output`;
      this.types.set(token, { type: "object", properties, required: required.sort() });
      return { c: { spec: { $ref: `#/types/${token}` }, plain: false, optional: false }, doc: "" };
    }
    throw new Error(`outputs(): cannot type the expression ${e.getText()}`);
  }
}

/** The schema as the file holds it: JSON as prettier formats it (the repository's style). */
export async function schemaText(schema: Json, file: string): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...options, parser: "json", filepath: file });
}
