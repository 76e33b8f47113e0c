/**
 * Checks that a topic/group pattern means the same thing to MirrorMaker 2 (java.util.regex, whole-name
 * `matches()` on the `|`-joined list) as it does to this product (JavaScript RegExp), so that what
 * the plan says will be replicated is what MM2 replicates.
 *
 * A pattern is accepted when it compiles as a JavaScript RegExp with the `u` flag (strict syntax)
 * after the escapes below are normalised, and uses none of the constructs rejected here.
 *
 * Rejected, and why:
 *  - empty patterns, whitespace, commas: MM2 reads `topics`/`groups` as a comma-separated list
 *    (ConfigDef LIST splits on `,` and trims), so a comma cuts the pattern in two (`a{1,3}` breaks)
 *    and surrounding whitespace is lost; topic names never contain whitespace.
 *  - JavaScript literal syntax `/…/flags`: the slashes and flags would be matched literally by Java.
 *  - numeric back-references `\1`…`\9`: MM2 joins all patterns of the list with `|` into one Java
 *    pattern, which renumbers groups; use a named group and `\k<name>` instead.
 *  - the same group name in two patterns of one list: the joined Java pattern fails to compile.
 *  - group names Java refuses: Java wants `[A-Za-z][A-Za-z0-9]*` (JavaScript also allows `_`, `$`).
 *  - lookbehind `(?<=…)`, `(?<!…)`: Java only supports bounded-length lookbehind reliably (JDK 17
 *    compiles `(?<=x*)` but does not promise to match it correctly), JavaScript supports any;
 *    rather than approximate Java's rule, lookbehind is refused (use lookahead or a plain prefix).
 *  - `\p{…}`, `\P{…}`: property names and semantics differ (`\p{Alpha}` is ASCII in Java, Unicode in
 *    JavaScript; `\p{Script=Greek}` vs `\p{IsGreek}`); topic names are ASCII, write the class out.
 *  - `\v`: vertical tab in JavaScript, any vertical whitespace in Java.
 *  - `\0`: NUL in JavaScript, an (incomplete) octal escape in Java.
 *  - `\u{…}` (JavaScript code point) and `\x{…}` (Java code point): each is an error in the other.
 *  - `\b` inside a character class: backspace in JavaScript, an error in Java.
 *  - `[` unescaped inside a character class: a nested class (union) in Java, a literal in JavaScript.
 *  - `&&` inside a character class: intersection in Java, two literal `&` in JavaScript.
 *  - `[]` and `[^]`: empty / any-character classes in JavaScript; Java reads a `]` right after `[`
 *    as a literal (`[]a]` is the class {], a}) or reports an unclosed class.
 *  - Java-only syntax (valid Java, invalid JavaScript), reported by name so the fix is clear: inline
 *    flags `(?i)` / `(?i:…)`, atomic groups `(?>…)`, possessive quantifiers `*+ ++ ?+ {n}+`, and
 *    the escapes `\A \Z \z \G \Q…\E \h \H \R \X \N{…} \e \a`.
 *  - unescaped `]` and `}`: literals in Java, errors in JavaScript `u` mode; a `{` that does not open
 *    a `{n}` repetition: an error in both. Escape them.
 *  - anything else the JavaScript engine refuses in `u` mode (unbalanced parentheses, dangling
 *    quantifiers, unknown letter escapes — Java refuses those too).
 *
 * Accepted as equal in both: literals; `.`; `^`/`$` (names contain no line terminators); classes
 * with ranges and negation; `\d \D \w \W \s \S \b \B \n \r \t \f \cX \xHH \uHHHH`; greedy and lazy
 * quantifiers; `(…)`, `(?:…)`, `(?<name>…)`, `\k<name>`, lookahead `(?=…)`, `(?!…)`; alternation.
 * A backslash before any other ASCII punctuation is a literal in Java; it is rewritten to `\xHH` for
 * the JavaScript check because `u` mode only allows escaping syntax characters (`\-` outside a class).
 */

const JAVA_ONLY_ESCAPES: Readonly<Record<string, string>> = {
  A: "\\A (start of input)",
  Z: "\\Z (end of input)",
  z: "\\z (end of input)",
  G: "\\G (end of previous match)",
  Q: "\\Q…\\E quoting",
  E: "\\Q…\\E quoting",
  h: "\\h (horizontal whitespace)",
  H: "\\H (non-horizontal whitespace)",
  R: "\\R (line break)",
  X: "\\X (grapheme cluster)",
  N: "\\N{name} (named character)",
  e: "\\e (escape character)",
  a: "\\a (bell character)",
};

const PORTABLE_LETTER_ESCAPES = new Set([
  "d",
  "D",
  "w",
  "W",
  "s",
  "S",
  "b",
  "B",
  "n",
  "r",
  "t",
  "f",
  "c",
  "x",
  "u",
  "k",
]);

const JAVA_GROUP_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Result of checking one pattern: the problem (with its fix), or the facts needed for list checks. */
export type JavaRegexCheck =
  | { readonly ok: true; readonly groupNames: readonly string[]; readonly jsSource: string }
  | { readonly ok: false; readonly problem: string };

function hex2(code: number): string {
  return code.toString(16).padStart(2, "0");
}

/**
 * Checks one pattern. `problem` reads as `<what is wrong>. <how to fix>` and never needs the pattern
 * repeated (the caller names the field).
 */
export function checkJavaRegex(pattern: string): JavaRegexCheck {
  const fail = (problem: string): JavaRegexCheck => ({ ok: false, problem });
  if (pattern.length === 0) {
    return fail("is an empty pattern. Remove it, or write `.*` to match everything");
  }
  if (/\s/u.test(pattern)) {
    return fail(
      "contains whitespace, which MM2 trims from list entries and topic names never contain. Remove it, or use \\s if you really mean it",
    );
  }
  if (pattern.includes(",")) {
    return fail(
      "contains a comma; MM2 reads topics/groups as a comma-separated list and would cut the pattern in two. Split alternatives into separate list entries and write {m,n} repetitions out (xx? for x{1,2}, xx+ for x{2,})",
    );
  }
  if (/^\/.*\/[a-z]*$/su.test(pattern) && pattern.length >= 2) {
    return fail(
      "looks like a JavaScript regex literal (/pattern/flags); Java would match the slashes literally. Write the bare pattern without slashes or flags",
    );
  }

  let js = "";
  let inClass = false;
  let lastWasQuantifier: boolean = false;
  const groupNames: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const quantifierBefore: boolean = lastWasQuantifier;
    lastWasQuantifier = false;
    if (c === "\\") {
      const n = pattern[i + 1];
      if (n === undefined) {
        return fail("ends with a lone backslash. Escape it as \\\\ or remove it");
      }
      if (/[1-9]/u.test(n)) {
        return fail(
          "uses a numeric back-reference; MM2 joins all patterns with | into one Java pattern, which renumbers groups. Use a named group (?<name>…) and \\k<name>",
        );
      }
      if (n === "0") {
        return fail(
          "uses \\0, which is NUL in JavaScript but an octal escape in Java. Use \\x00 (or remove it)",
        );
      }
      if (n === "p" || n === "P") {
        return fail(
          "uses a Unicode property escape (\\p{…}); property names and meanings differ between Java and JavaScript. Write the character class out, e.g. [A-Za-z]",
        );
      }
      if (n === "v") {
        return fail(
          "uses \\v, a vertical tab in JavaScript but any vertical whitespace in Java. Use \\x0B if you mean the vertical tab",
        );
      }
      if ((n === "u" || n === "x") && pattern[i + 2] === "{") {
        return fail(
          `uses \\${n}{…}, a code-point escape only ${n === "u" ? "JavaScript" : "Java"} understands. Use \\uHHHH (or \\xHH)`,
        );
      }
      if (n === "b" && inClass) {
        return fail(
          "uses \\b inside a character class (backspace in JavaScript, an error in Java). Use \\x08 for a backspace",
        );
      }
      const javaOnly = JAVA_ONLY_ESCAPES[n];
      if (javaOnly !== undefined) {
        return fail(
          `uses the Java-only escape ${javaOnly}, which JavaScript rejects. MM2 already matches the whole name, so anchors are not needed; escape special characters one by one`,
        );
      }
      if (/[A-Za-z]/u.test(n)) {
        if (!PORTABLE_LETTER_ESCAPES.has(n)) {
          return fail(
            `uses the unknown escape \\${n}, which both Java and JavaScript reject. Remove the backslash`,
          );
        }
        js += c + n;
        i++;
        continue;
      }
      // Backslash before punctuation (or any non-letter): a literal in Java. Normalise for `u` mode.
      const code = pattern.codePointAt(i + 1) ?? 0;
      js += code <= 0xff ? `\\x${hex2(code)}` : `\\u{${code.toString(16)}}`;
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    if (inClass) {
      if (c === "[") {
        return fail(
          "has an unescaped [ inside a character class: a nested class (union) in Java, a literal in JavaScript. Escape it as \\[ or merge the classes",
        );
      }
      if (c === "&" && pattern[i + 1] === "&") {
        return fail(
          "uses && inside a character class: intersection in Java, two literal & in JavaScript. Write the resulting class out explicitly",
        );
      }
      if (c === "]") {
        inClass = false;
      }
      js += c;
      continue;
    }
    if (c === "[") {
      const rest = pattern.slice(i + 1);
      if (rest.startsWith("]") || rest.startsWith("^]")) {
        return fail(
          "uses [] or [^]: an empty / any-character class in JavaScript, but Java reads that ] as a literal. Escape the ] (\\]) or use . for any character",
        );
      }
      inClass = true;
      js += c;
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith(":") || rest.startsWith("=") || rest.startsWith("!")) {
        js += "(?" + rest[0];
        i += 2;
        continue;
      }
      if (rest.startsWith("<=") || rest.startsWith("<!")) {
        return fail(
          "uses a lookbehind; Java only supports bounded-length lookbehind reliably while JavaScript allows any, so it is not portable. Use a lookahead or match the prefix directly",
        );
      }
      if (rest.startsWith("<")) {
        const close = rest.indexOf(">");
        const name = close > 0 ? rest.slice(1, close) : "";
        if (!JAVA_GROUP_NAME.test(name)) {
          return fail(
            "has a group name Java does not accept (it must be a letter followed by letters or digits). Rename the group",
          );
        }
        groupNames.push(name);
        js += `(?<${name}>`;
        i += 2 + close;
        continue;
      }
      if (rest.startsWith(">")) {
        return fail("uses an atomic group (?>…), which is Java-only. Use a non-capturing group (?:…)");
      }
      if (/^[a-zA-Z-]+[):]/u.test(rest)) {
        return fail(
          "uses inline flags such as (?i), which are Java-only. Spell the cases out, e.g. [Oo]rders instead of (?i)orders",
        );
      }
      return fail("uses an unsupported group construct (?…). Use (…), (?:…), (?<name>…), (?=…) or (?!…)");
    }
    if (c === "+" && quantifierBefore) {
      return fail(
        "uses a possessive quantifier (*+, ++, ?+ or {n}+), which is Java-only. Use the plain (greedy) quantifier",
      );
    }
    if (c === "{") {
      const repetition = /^\{[0-9]+\}/u.exec(pattern.slice(i));
      if (repetition === null) {
        return fail(
          "has a { that does not start a {n} repetition, which Java and JavaScript both reject. Escape it as \\{",
        );
      }
      js += repetition[0];
      i += repetition[0].length - 1;
      lastWasQuantifier = true;
      continue;
    }
    if (c === "}" || c === "]") {
      return fail(`has an unescaped ${c}, a literal in Java but an error in JavaScript. Escape it as \\${c}`);
    }
    if (c === "*" || c === "+" || c === "?") {
      // A quantifier just ended (a `?` right after a quantifier makes it lazy and ends it).
      lastWasQuantifier = !(c === "?" && quantifierBefore);
    }
    js += c;
  }

  try {
    new RegExp(js, "u");
  } catch (e) {
    const detail = e instanceof Error ? e.message.replace(/^Invalid regular expression: /u, "") : String(e);
    return fail(`is not a valid regular expression (${detail}). Fix the syntax`);
  }
  return { ok: true, groupNames, jsSource: js };
}

/** Problem with a whole list (MM2 compiles `a|b|c`), or undefined; `index` is the offending entry. */
export function checkJavaRegexList(
  patterns: readonly string[],
): { index: number; problem: string } | undefined {
  const seenNames = new Map<string, number>();
  for (let i = 0; i < patterns.length; i++) {
    const r = checkJavaRegex(patterns[i]);
    if (!r.ok) {
      return { index: i, problem: r.problem };
    }
    for (const name of r.groupNames) {
      const first = seenNames.get(name);
      if (first !== undefined) {
        return {
          index: i,
          problem: `reuses the group name "${name}" of entry ${first}; MM2 joins the list into one Java pattern, where group names must be unique. Rename one of the groups`,
        };
      }
      seenNames.set(name, i);
    }
  }
  return undefined;
}

/**
 * A matcher with MM2's semantics (whole-name match against any entry), for names that passed
 * {@link checkJavaRegexList}. An empty list matches nothing, as in MM2.
 */
export function javaRegexListMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) {
    return () => false;
  }
  const sources = patterns.map((p) => {
    const r = checkJavaRegex(p);
    if (!r.ok) {
      throw new Error(`internal: unchecked pattern: ${r.problem}`);
    }
    return r.jsSource;
  });
  const re = new RegExp(`^(?:${sources.join("|")})$`, "u");
  return (name) => re.test(name);
}
