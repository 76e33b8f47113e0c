/**
 * The `Default: …` of a component argument as its JSDoc in lib/config/args.ts says it, found with
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

export function argDocs(sourceText: string, root = "GeoReplicatedStreamArgs"): (argPath: string) => ArgDoc {
  const sf = ts.createSourceFile("args.ts", sourceText, ts.ScriptTarget.ES2022, true);
  const named = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) named.set(st.name.text, st);
  }
  /** Every member list a type (node) can mean. */
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
  return (argPath: string): ArgDoc => {
    let lists = membersOf(named.get(root));
    let found: ts.PropertySignature | undefined;
    for (const segment of argPath.split(".")) {
      const props = lists
        .flatMap((l) => [...l])
        .filter(
          (m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.name.getText(sf) === segment,
        );
      if (props.length === 0) {
        throw new ArgPathError(`${argPath}: no property '${segment}' (lib/config/args.ts)`);
      }
      found = props.find((p) => docOf(p, sf) !== "") ?? props[0];
      lists = props.flatMap((p) => membersOf(p.type));
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
