package ocigeo.rehearsal.bench;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Benchmark arrival observer for `npm run bench` (compiled by the benchmark itself with javac; not
 * part of the Maven-built rehearsal runtime). Reads records of the rehearsal shape
 * ({@code run=<id>;seq=<n>;ts=<ms>;...} values, as written by {@code ocigeo.rehearsal.Produce}).
 *
 * <pre>
 * BenchConsumer --config client.properties --topic T --run-id ID --records N
 *               [--from end|beginning] [--timeout-ms 300000] [--progress-ms 500]
 * </pre>
 * Assigns every partition of T; with {@code --from end} (default) it first positions at the end
 * offsets, so only records written afterwards are seen, and then prints {@code {"event":"ready"}}.
 * Stops when all N records of run ID arrived (or on timeout) and prints one result line:
 * {@code unique, duplicates, missing, foreign, bytes} (key + value of the unique records),
 * {@code firstArrivalMs, lastArrivalMs} (epoch ms when the first / last unique record was returned
 * by poll), and {@code lagMs {p50,p90,p99,max,mean}}: arrival time minus the record timestamp (the
 * producer's send time, same host clock).
 */
public final class BenchConsumer {
    private BenchConsumer() {
    }

    public static void main(String[] args) throws Exception {
        String config = null;
        String topic = null;
        String runId = null;
        long expected = 0;
        String from = "end";
        long timeoutMs = 300_000;
        long progressMs = 500;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--config": config = v; break;
                case "--topic": topic = v; break;
                case "--run-id": runId = v; break;
                case "--records": expected = Long.parseLong(v); break;
                case "--from": from = v; break;
                case "--timeout-ms": timeoutMs = Long.parseLong(v); break;
                case "--progress-ms": progressMs = Long.parseLong(v); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (config == null || topic == null || runId == null || expected <= 0) {
            throw new IllegalArgumentException("--config, --topic, --run-id and --records are required");
        }
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(config)) {
            props.load(in);
        }
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ocigeo-bench-" + runId);
        byte[] runPrefix = ("run=" + runId + ";").getBytes(StandardCharsets.UTF_8);

        long start = System.currentTimeMillis();
        long deadline = start + timeoutMs;
        BitSet seen = new BitSet();
        long[] lags = new long[1 << 16];
        int lagCount = 0;
        long unique = 0, duplicates = 0, foreign = 0, bytes = 0, first = 0, last = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty()) {
                List<PartitionInfo> infos = null;
                try {
                    infos = consumer.partitionsFor(topic, Duration.ofMillis(5_000));
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    infos = null;
                }
                if (infos != null) {
                    for (PartitionInfo info : infos) {
                        partitions.add(new TopicPartition(topic, info.partition()));
                    }
                }
                if (partitions.isEmpty()) {
                    if (System.currentTimeMillis() >= deadline) {
                        throw new IllegalStateException("topic " + topic + " not found");
                    }
                    Thread.sleep(200);
                }
            }
            consumer.assign(partitions);
            if (from.equals("end")) {
                consumer.seekToEnd(partitions);
            } else {
                consumer.seekToBeginning(partitions);
            }
            for (TopicPartition tp : partitions) {
                consumer.position(tp); // resolve now, so that "ready" means positioned
            }
            emit("{\"event\":\"ready\",\"partitions\":" + partitions.size() + "}");
            long lastProgress = System.currentTimeMillis();
            while (unique < expected && System.currentTimeMillis() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    byte[] value = r.value();
                    if (value == null || !startsWith(value, runPrefix)) {
                        foreign++;
                        continue;
                    }
                    long seq = field(value, runPrefix.length, "seq=");
                    if (seq < 0 || seq >= expected) {
                        foreign++;
                        continue;
                    }
                    if (seen.get((int) seq)) {
                        duplicates++;
                        continue;
                    }
                    seen.set((int) seq);
                    unique++;
                    bytes += value.length + (r.key() == null ? 0 : r.key().length);
                    if (first == 0) {
                        first = now;
                    }
                    last = now;
                    if (lagCount == lags.length) {
                        lags = Arrays.copyOf(lags, lags.length * 2);
                    }
                    lags[lagCount++] = now - r.timestamp();
                }
                if (progressMs > 0 && now - lastProgress >= progressMs) {
                    lastProgress = now;
                    emit("{\"event\":\"progress\",\"unique\":" + unique + ",\"t\":" + now + "}");
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
        emit("{\"event\":\"result\",\"expected\":" + expected + ",\"unique\":" + unique + ",\"missing\":" + (expected - unique)
            + ",\"duplicates\":" + duplicates + ",\"foreign\":" + foreign + ",\"bytes\":" + bytes
            + ",\"firstArrivalMs\":" + first + ",\"lastArrivalMs\":" + last
            + ",\"lagMs\":{\"p50\":" + pct(sorted, 0.50) + ",\"p90\":" + pct(sorted, 0.90) + ",\"p99\":" + pct(sorted, 0.99)
            + ",\"max\":" + (lagCount == 0 ? 0 : sorted[lagCount - 1]) + ",\"mean\":" + Math.round(mean) + "}}");
        System.exit(0);
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        if (value.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (value[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Parses the decimal after {@code name} at {@code at}; -1 when absent. */
    private static long field(byte[] value, int at, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (value.length < at + n.length) {
            return -1;
        }
        for (int i = 0; i < n.length; i++) {
            if (value[at + i] != n[i]) {
                return -1;
            }
        }
        long result = 0;
        int i = at + n.length;
        int digits = 0;
        while (i < value.length && value[i] >= '0' && value[i] <= '9') {
            result = result * 10 + (value[i] - '0');
            i++;
            digits++;
        }
        return digits == 0 ? -1 : result;
    }

    private static long pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static synchronized void emit(String json) {
        System.out.println(json);
        System.out.flush();
    }
}
