/**
 * The one error the Kafka adapter raises. @platformatic/kafka reports a failure as a tree
 * (`MultipleErrors` "Listing topics failed." → retries → `ProtocolError` / Node socket errors, via
 * `errors` and `cause`); an operator needs one line naming the operation, the cluster and the
 * reason. {@link KafkaClientError.from} flattens the tree to that line and classifies it. It reads
 * the tree structurally (no import of the library), keeps no reference to it (nothing of the
 * connection options can leak through `cause` or util.inspect), and credentials never appear in it.
 */

export type KafkaErrorKind =
  /** SASL refused: wrong username/password, mechanism not enabled on the broker. */
  | "authentication"
  /** TLS: untrusted or mismatching broker certificate, client certificate refused or missing. */
  | "tls"
  /** No connection (refused, unresolvable host, closed). */
  | "connection"
  | "timeout"
  /** The topic or partition does not exist. */
  | "unknown-topic"
  /** The broker answered with a Kafka error code ({@link KafkaClientError.kafkaCode}). */
  | "broker"
  /** A failure of this client (bad input, no progress). */
  | "client";

interface ErrorNode {
  message?: unknown;
  code?: unknown;
  apiId?: unknown;
  serverErrorMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** What one leaf of the tree says, and what kind of failure it is. */
function leafOf(e: ErrorNode): { text: string; kind: KafkaErrorKind; kafkaCode?: string } {
  const message = typeof e.message === "string" ? e.message : String(e);
  if (typeof e.apiId === "string") {
    const server =
      typeof e.serverErrorMessage === "string" && e.serverErrorMessage ? `: ${e.serverErrorMessage}` : "";
    const kind: KafkaErrorKind =
      e.apiId === "UNKNOWN_TOPIC_OR_PARTITION" || e.apiId === "UNKNOWN_TOPIC_ID"
        ? "unknown-topic"
        : /SASL|AUTHENTICATION/.test(e.apiId)
          ? "authentication"
          : "broker";
    return { text: `${e.apiId}${server}`, kind, kafkaCode: e.apiId };
  }
  const code = typeof e.code === "string" ? e.code : "";
  if (/^Unknown topic /.test(message)) {
    return {
      text: message.replace(/\.$/, ""),
      kind: "unknown-topic",
      kafkaCode: "UNKNOWN_TOPIC_OR_PARTITION",
    };
  }
  if (/CERT|SSL|TLS/.test(code) || /certificate|handshake|\bssl\b|\btls\b/i.test(message)) {
    return { text: code && !code.startsWith("PLT_KFK_") ? `${code}: ${message}` : message, kind: "tls" };
  }
  if (/timed out|timeout/i.test(message) || code === "ETIMEDOUT") return { text: message, kind: "timeout" };
  if (/^E[A-Z]+$/.test(code)) return { text: `${code}: ${message}`, kind: "connection" };
  return { text: message, kind: code === "PLT_KFK_NETWORK" ? "connection" : "client" };
}

/** Kinds in the order they explain a failure best (authentication refused beats "connection closed"). */
const PRECEDENCE: KafkaErrorKind[] = [
  "authentication",
  "tls",
  "unknown-topic",
  "broker",
  "timeout",
  "connection",
  "client",
];

export function flattenKafkaError(error: unknown): {
  detail: string;
  kind: KafkaErrorKind;
  kafkaCode?: string;
} {
  const leaves: { text: string; kind: KafkaErrorKind; kafkaCode?: string }[] = [];
  let authentication = false;
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): void => {
    if (e === null || e === undefined || seen.has(e) || depth > 12) return;
    seen.add(e);
    if (typeof e !== "object") {
      leaves.push({ text: String(e), kind: "client" });
      return;
    }
    const node = e as ErrorNode;
    if (node.code === "PLT_KFK_AUTHENTICATION") authentication = true;
    const children = [
      ...(Array.isArray(node.errors) ? node.errors : []),
      ...(node.cause ? [node.cause] : []),
    ];
    if (children.length === 0 || typeof node.apiId === "string") leaves.push(leafOf(node));
    for (const c of children) visit(c, depth + 1);
  };
  visit(error, 0);
  if (leaves.length === 0) leaves.push({ text: String(error), kind: "client" });
  if (authentication) {
    for (const l of leaves) if (l.kind !== "tls") l.kind = "authentication";
  }
  const best = PRECEDENCE.find((k) => leaves.some((l) => l.kind === k)) ?? "client";
  const texts = [...new Set(leaves.filter((l) => l.kind === best).map((l) => l.text))];
  const detail = `${authentication ? "authentication failed: " : ""}${texts.slice(0, 3).join("; ")}${texts.length > 3 ? ` (and ${texts.length - 3} more)` : ""}`;
  return { detail, kind: best, kafkaCode: leaves.find((l) => l.kind === best && l.kafkaCode)?.kafkaCode };
}

export class KafkaClientError extends Error {
  constructor(
    message: string,
    readonly kind: KafkaErrorKind,
    /** Kafka's error name when the broker answered with one (`UNKNOWN_MEMBER_ID`, …). */
    readonly kafkaCode?: string,
  ) {
    super(message);
    this.name = "KafkaClientError";
  }

  /** `<operation> on <cluster> failed: <reason>` from whatever the library threw. */
  static from(operation: string, cluster: string, error: unknown): KafkaClientError {
    if (error instanceof KafkaClientError) return error;
    const { detail, kind, kafkaCode } = flattenKafkaError(error);
    return new KafkaClientError(`${operation} on ${cluster} failed: ${detail}`, kind, kafkaCode);
  }
}
