package ocigeo.rehearsal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic until every record of a {@link Produce} run has been seen (or a timeout), and
 * reports what is wrong with what arrived.
 *
 * <pre>
 * Verify --config client.properties [--set k=v]... --topic T --records N --run-id ID
 *        [--start-seq 0] [--partitions P] [--timeout-ms 120000] [--linger-ms 0]
 *        [--group G] [--progress-ms 1000]
 * </pre>
 * Without {@code --group} the partitions are assigned and read from the beginning; with it the
 * consumer subscribes as that group and commits. {@code --linger-ms} keeps reading after the last
 * missing record arrived, to catch late duplicates. Records of other runs are counted as
 * {@code foreign} and otherwise ignored.
 *
 * <p>Final line: {@code {"event":"result", "complete":bool, "expected", "unique", "received",
 * "duplicates", "missing", "missingSample", "orderViolations", "keyMismatches", "headerMismatches",
 * "timestampMismatches", "partitionMismatches", "malformed", "foreign", "lagMs":{p50,p99,max,mean},
 * "bytes", "firstReceiveMs", "lastReceiveMs", "elapsedMs"}}. Lag is receive time minus record
 * timestamp (the producer's clock: same host).
 */
public final class Verify {
    private Verify() {
    }

    public static void main(String[] args) {
        Cli.run("verify", () -> {
            Cli cli = new Cli(args);
            Properties props = cli.clientProperties("");
            String topic = cli.required("topic");
            long expected = cli.number("records", 1000);
            String runId = cli.required("run-id");
            long startSeq = cli.number("start-seq", 0);
            int expectedPartitions = (int) cli.number("partitions", 0);
            long timeoutMs = cli.number("timeout-ms", 120_000);
            long lingerMs = cli.number("linger-ms", 0);
            long progressMs = cli.number("progress-ms", 1000);
            String group = cli.string("group", null);

            props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ocigeo-verify-" + runId);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            if (group != null) {
                props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                props.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
                props.putIfAbsent(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "1000");
            } else {
                props.remove(ConsumerConfig.GROUP_ID_CONFIG);
                props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            }

            BitSet seen = new BitSet();
            Map<Integer, Long> lastSeqByPartition = new HashMap<>();
            long[] lags = new long[1024];
            int lagCount = 0;
            long received = 0, unique = 0, duplicates = 0, orderViolations = 0, keyMismatches = 0;
            long headerMismatches = 0, timestampMismatches = 0, partitionMismatches = 0, malformed = 0, foreign = 0;
            long bytes = 0, firstReceive = 0, lastReceive = 0;
            long start = System.currentTimeMillis();
            long deadline = start + timeoutMs;
            long completeAt = 0;
            long lastProgress = start;

            try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                if (group != null) {
                    consumer.subscribe(List.of(topic));
                } else {
                    List<TopicPartition> partitions = new ArrayList<>();
                    while (partitions.isEmpty()) {
                        List<PartitionInfo> infos;
                        try {
                            infos = consumer.partitionsFor(topic,
                                Duration.ofMillis(Math.max(1, Math.min(5_000, deadline - System.currentTimeMillis()))));
                        } catch (org.apache.kafka.common.errors.TimeoutException e) {
                            infos = null; // topic not created yet (no auto-creation): keep waiting
                        }
                        if (infos != null) {
                            for (PartitionInfo info : infos) {
                                partitions.add(new TopicPartition(topic, info.partition()));
                            }
                        }
                        if (partitions.isEmpty()) {
                            if (System.currentTimeMillis() >= deadline) {
                                throw new java.util.concurrent.TimeoutException("topic " + topic + " not found");
                            }
                            Thread.sleep(500);
                        }
                    }
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                }
                while (true) {
                    long now = System.currentTimeMillis();
                    if (completeAt > 0 && now - completeAt >= lingerMs) {
                        break;
                    }
                    if (now >= deadline) {
                        break;
                    }
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(Math.min(200, deadline - now)));
                    long receiveTime = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        received++;
                        if (firstReceive == 0) {
                            firstReceive = receiveTime;
                        }
                        lastReceive = receiveTime;
                        bytes += record.serializedValueSize() + Math.max(0, record.serializedKeySize());
                        Records.Parsed parsed = Records.parse(record.value());
                        if (parsed == null) {
                            malformed++;
                            continue;
                        }
                        if (!parsed.runId.equals(runId)) {
                            foreign++;
                            continue;
                        }
                        long seq = parsed.seq;
                        long index = seq - startSeq;
                        if (index < 0 || index >= expected) {
                            foreign++;
                            continue;
                        }
                        if (!Arrays.equals(record.key(), Records.key(runId, seq))) {
                            keyMismatches++;
                        }
                        if (!header(record, Records.H_RUN, runId) || !header(record, Records.H_SEQ, Long.toString(seq))
                            || !header(record, Records.H_TS, Long.toString(parsed.ts))) {
                            headerMismatches++;
                        }
                        if (record.timestampType() != TimestampType.CREATE_TIME || record.timestamp() != parsed.ts) {
                            timestampMismatches++;
                        }
                        if (expectedPartitions > 0 && record.partition() != (int) (seq % expectedPartitions)) {
                            partitionMismatches++;
                        }
                        if (seen.get((int) index)) {
                            duplicates++;
                            continue;
                        }
                        seen.set((int) index);
                        unique++;
                        Long last = lastSeqByPartition.get(record.partition());
                        if (last != null && seq < last) {
                            orderViolations++;
                        }
                        if (last == null || seq > last) {
                            lastSeqByPartition.put(record.partition(), seq);
                        }
                        if (lagCount == lags.length) {
                            lags = Arrays.copyOf(lags, lags.length * 2);
                        }
                        lags[lagCount++] = receiveTime - record.timestamp();
                    }
                    if (completeAt == 0 && unique >= expected) {
                        completeAt = System.currentTimeMillis();
                    }
                    if (progressMs > 0 && receiveTime - lastProgress >= progressMs) {
                        lastProgress = receiveTime;
                        Cli.emit(Cli.obj("event", "progress", "unique", unique, "received", received,
                            "duplicates", duplicates, "elapsedMs", receiveTime - start));
                    }
                }
                if (group != null) {
                    consumer.commitSync();
                }
            }

            List<Long> missingSample = new ArrayList<>();
            long missing = 0;
            for (long i = 0; i < expected; i++) {
                if (!seen.get((int) i)) {
                    missing++;
                    if (missingSample.size() < 20) {
                        missingSample.add(startSeq + i);
                    }
                }
            }
            long[] sorted = Arrays.copyOf(lags, lagCount);
            Arrays.sort(sorted);
            double mean = 0;
            for (long l : sorted) {
                mean += l;
            }
            mean = lagCount == 0 ? 0 : mean / lagCount;
            Cli.emit(Cli.obj("event", "result", "topic", topic, "runId", runId, "complete", missing == 0,
                "expected", expected, "unique", unique, "received", received, "duplicates", duplicates,
                "missing", missing, "missingSample", missingSample, "orderViolations", orderViolations,
                "keyMismatches", keyMismatches, "headerMismatches", headerMismatches,
                "timestampMismatches", timestampMismatches, "partitionMismatches", partitionMismatches,
                "malformed", malformed, "foreign", foreign,
                "lagMs", Cli.obj("p50", percentile(sorted, 0.50), "p99", percentile(sorted, 0.99),
                    "max", lagCount == 0 ? 0 : sorted[lagCount - 1], "mean", mean),
                "bytes", bytes, "firstReceiveMs", firstReceive, "lastReceiveMs", lastReceive,
                "elapsedMs", System.currentTimeMillis() - start));
        });
    }

    private static boolean header(ConsumerRecord<byte[], byte[]> record, String key, String expected) {
        Header header = record.headers().lastHeader(key);
        return header != null && expected.equals(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
