/**
 * The `Default: …` of a component argument as its JSDoc in lib/core/config/args.ts says it, found with
 * the TypeScript compiler API by walking an argument path (`replication.fleet.size`) from
 * `GeoReplicatedStreamArgs` through the interfaces, type aliases, unions and type literals of the file.
 */
import * as ts from "typescript";
import { docOf as jsdocOf } from "../../dev/schema/generate";

type Members = ts.NodeArray<ts.TypeElement>;

/** Why an argument path cannot be followed. */
export class ArgPathError extends Error {}

export interface ArgDoc {
  /** The whole JSDoc text (markup removed, whitespace folded). */
  doc: string;
  /** The text after `Default:` up to the end of its sentence, backticks removed; undefined when none. */
  defaultText: string | undefined;
}

/** The interfaces and type aliases of args.ts, and every member list a type (node) can mean. */
function argsFile(sourceText: string) {
  const sf = ts.createSourceFile("args.ts", sourceText, ts.ScriptTarget.ES2022, true);
  const named = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) named.set(st.name.text, st);
  }
  const membersOf = (node: ts.Node | undefined): Members[] => {
    if (node === undefined) return [];
    if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) return [node.members];
    if (ts.isTypeAliasDeclaration(node)) return membersOf(node.type);
    if (ts.isUnionTypeNode(node)) return node.types.flatMap((t) => membersOf(t));
    if (ts.isParenthesizedTypeNode(node)) return membersOf(node.type);
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName))
      return membersOf(named.get(node.typeName.text));
    return [];
  };
  return { sf, named, membersOf };
}

/**
 * Every leaf argument of `root`: the paths of the properties whose type has no members of its own
 * in args.ts (strings, numbers, booleans, unions of literals, lists of those, Inputs, providers,
 * records). A list of objects contributes its element's members as `path[0].member`.
 */
export function argLeaves(sourceText: string, root = "GeoReplicatedStreamArgs"): string[] {
  const { sf, named, membersOf } = argsFile(sourceText);
  const out = new Set<string>();
  const walk = (lists: Members[], prefix: string): void => {
    for (const m of lists.flatMap((l) => [...l])) {
      if (!ts.isPropertySignature(m)) continue;
      const path = `${prefix}${m.name.getText(sf)}`;
      const type = m.type;
      const element = type && ts.isArrayTypeNode(type) ? type.elementType : undefined;
      const nested = membersOf(element ?? type);
      if (nested.length === 0) out.add(path);
      else walk(nested, element ? `${path}[0].` : `${path}.`);
    }
  };
  walk(membersOf(named.get(root)), "");
  return [...out].sort();
}

export function argDocs(sourceText: string, root = "GeoReplicatedStreamArgs"): (argPath: string) => ArgDoc {
  const { sf, named, membersOf } = argsFile(sourceText);
  return (argPath: string): ArgDoc => {
    let lists = membersOf(named.get(root));
    let found: ts.PropertySignature | undefined;
    for (const step of argPath.split(".")) {
      // `streams[0]`: the list's member; its element type's members come next.
      const segment = step.replace(/\[0\]$/, "");
      const props = lists
        .flatMap((l) => [...l])
        .filter(
          (m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.name.getText(sf) === segment,
        );
      if (props.length === 0) {
        throw new ArgPathError(`${argPath}: no property '${segment}' (lib/core/config/args.ts)`);
      }
      found = props.find((p) => docOf(p, sf) !== "") ?? props[0];
      lists = props.flatMap((p) =>
        membersOf(p.type && ts.isArrayTypeNode(p.type) ? p.type.elementType : p.type),
      );
    }
    const doc = docOf(found!, sf);
    const m = /\bDefault:\s*(.*?)\.(?:\s|$)/.exec(doc);
    return { doc, defaultText: m ? m[1].replace(/`/g, "") : undefined };
  };
}

/** The JSDoc of a declaration on one line (the schema generator's reading, paragraphs folded). */
function docOf(node: ts.Node, _sf: ts.SourceFile): string {
  return jsdocOf(node).replace(/\s+/g, " ");
}
