/**
 * The time budget of one run of a node's metrics poster (`oci-geo-streaming metrics`, started every
 * minute by mm2-metrics.timer): one set of numbers, read by the renderer (mm2-metrics.service's
 * `TimeoutStartSec`) and by the poster (its deadlines), so that the poster always stops on its own,
 * having posted what matters, before systemd would kill it. Pure.
 *
 * Why a budget: when the source region is gone, DNS and TCP get no answer, and a Kafka client with
 * its default timeouts and retries probes for minutes; and every `oci` CLI call signs in anew with
 * the instance principal (several metadata requests and a federation call) before it posts one batch
 * of at most 50 streams. A run killed by systemd posts nothing: `source-unreachable` never fires and
 * `node-down` fires instead. So the poster posts in phases, most important first — the node's
 * liveness and what the target alone tells (before the source is probed), then the source's
 * reachability and the RPO, then lag per partition, checkpoints and MirrorMaker's JMX metrics —
 * and starts a post only while a whole call still fits.
 */

export const METRICS_BUDGET = {
  /** mm2-metrics.timer starts a run this often (OnUnitActiveSec). */
  timerIntervalSeconds: 60,
  /** Every Kafka request of the poster (connection attempts: the same). */
  kafkaRequestTimeoutMs: 5_000,
  /** Kafka retries after a retriable failure (the adapter's default is 6). */
  kafkaRetries: 1,
  /** Reading the target cluster, every flow: connect, offsets, heartbeats, checkpoints, tasks. */
  targetDeadlineMs: 15_000,
  /** Probing the source cluster, every flow: past it the source counts as unreachable. */
  sourceDeadlineMs: 15_000,
  /** Scraping MirrorMaker's JMX exporter on the loopback. */
  jmxScrapeTimeoutMs: 5_000,
  /** One `oci monitoring metric-data post` call, its instance-principal sign-in included. */
  postCallTimeoutMs: 15_000,
  /** The poster stops starting work this long before the unit's timeout. */
  marginMs: 10_000,
  /** mm2-metrics.service's TimeoutStartSec. */
  unitTimeoutSeconds: 180,
} as const;

/** When the poster must be done (ms after its start): the unit's timeout less the margin. */
export function runDeadlineMs(b: typeof METRICS_BUDGET = METRICS_BUDGET): number {
  return b.unitTimeoutSeconds * 1000 - b.marginMs;
}

/**
 * How many streams the two posts that carry the alarms' inputs hold for a node running `flows`
 * flows: before the source is probed 2 for the node (node_up, mm2_jmx_up) and 3 per flow
 * (heartbeat found, heartbeat age, failed tasks); after it 3 per flow (source reachable, RPO in
 * records and seconds). Lag per partition, checkpoints and JMX metrics come after them.
 */
export function essentialStreams(flows: number): { before: number; after: number } {
  return { before: 2 + 3 * flows, after: 3 * flows };
}

/**
 * The worst case, in ms, of the phases that carry every alarm's input: the target read, the JMX
 * scrape, the node-and-target post, the source probe, the source post — each post at its call
 * timeout, 50 streams a call.
 */
export function essentialWorstCaseMs(flows: number, b: typeof METRICS_BUDGET = METRICS_BUDGET): number {
  const s = essentialStreams(flows);
  const posts = Math.ceil(s.before / 50) + Math.max(1, Math.ceil(s.after / 50));
  return b.targetDeadlineMs + b.jmxScrapeTimeoutMs + b.sourceDeadlineMs + posts * b.postCallTimeoutMs;
}

/**
 * The worst case of a whole run that posts `streams` streams in 50-stream requests, each call at
 * its timeout, and whether it fits the run's deadline. (What does not fit is left out by the
 * poster, least important last, and said; it is never killed half-way.)
 */
export function runWorstCase(
  streams: number,
  b: typeof METRICS_BUDGET = METRICS_BUDGET,
): { posts: number; worstCaseMs: number; fits: boolean; postsThatFit: number } {
  const posts = Math.max(2, Math.ceil(streams / 50));
  const fixed = b.targetDeadlineMs + b.jmxScrapeTimeoutMs + b.sourceDeadlineMs;
  const worstCaseMs = fixed + posts * b.postCallTimeoutMs;
  const postsThatFit = Math.floor((runDeadlineMs(b) - fixed) / b.postCallTimeoutMs);
  return { posts, worstCaseMs, fits: worstCaseMs <= runDeadlineMs(b), postsThatFit };
}
