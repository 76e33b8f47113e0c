package ocigeo.rehearsal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.mirror.RemoteClusterUtils;

/**
 * The consumer-group failover tools of the rehearsal, one JSON object per stdout line.
 *
 * <pre>
 * FailoverTools translate --config client.properties [--set k=v]... --source-alias A --group G...
 *               [--timeout-ms 30000]
 * FailoverTools consume   --config client.properties [--set k=v]... --topic T --group G
 *               [--reset earliest|latest|none] [--commit-interval-ms 1000]
 * FailoverTools produce   --config client.properties [--set k=v]... --topic T --partitions P --run-id ID
 *               [--rate 50] [--records N] [--value-bytes 100] [--start-seq 0]
 * </pre>
 *
 * <ul>
 *   <li>{@code translate}: Kafka's own {@link RemoteClusterUtils#translateOffsets} against the
 *   cluster holding {@code <A>.checkpoints.internal} (the client properties are the MirrorClient's:
 *   pass {@code replication.policy.class}/{@code replication.policy.separator} with {@code --set}).
 *   One {@code {"event":"translated","group":G,"offsets":[{topic,partition,offset,metadata}]}} per
 *   group, sorted by topic then partition.</li>
 *   <li>{@code consume}: a member of group G subscribed to T (auto-commit every
 *   {@code --commit-interval-ms}). On every assignment {@code {"event":"assigned","t",
 *   "positions":{"<partition>":offset}}} (where the member starts: the committed offset, or the reset
 *   policy); per poll {@code {"event":"records","t","records":[[partition,offset,seq],...]}} (seq -1
 *   for records that are not the rehearsal's shape). Runs until SIGTERM (commits, then {"event":"closed"})
 *   or SIGKILL.</li>
 *   <li>{@code produce}: the {@link Records} workload at a steady rate, non-idempotent, acks=all, one
 *   request in flight, short delivery timeout; {@code {"event":"acked","seq","partition","offset","t"}}
 *   for every acknowledged record as it is acknowledged, {@code {"event":"failed","seq"}} for failed
 *   sends. Runs until {@code --records} are sent (default unbounded) or it is killed.</li>
 * </ul>
 */
public final class FailoverTools {
    private FailoverTools() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: FailoverTools translate|consume|produce [--option value]...");
        }
        String mode = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        Cli.run("failover-" + mode, () -> {
            Cli cli = new Cli(rest);
            switch (mode) {
                case "translate":
                    translate(cli);
                    break;
                case "consume":
                    consume(cli);
                    break;
                case "produce":
                    produce(cli);
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + mode);
            }
        });
    }

    private static void translate(Cli cli) throws Exception {
        Properties props = cli.clientProperties("");
        Map<String, Object> config = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            config.put(name, props.getProperty(name));
        }
        String sourceAlias = cli.required("source-alias");
        Duration timeout = Duration.ofMillis(cli.number("timeout-ms", 30_000));
        List<String> groups = cli.all("group");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("--group is required (repeatable)");
        }
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> translated =
                RemoteClusterUtils.translateOffsets(config, sourceAlias, group, timeout);
            List<Map.Entry<TopicPartition, OffsetAndMetadata>> sorted = new ArrayList<>(translated.entrySet());
            sorted.sort(Comparator.<Map.Entry<TopicPartition, OffsetAndMetadata>, String>comparing(e -> e.getKey().topic())
                .thenComparingInt(e -> e.getKey().partition()));
            List<Map<String, Object>> offsets = new ArrayList<>();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : sorted) {
                offsets.add(Cli.obj("topic", e.getKey().topic(), "partition", e.getKey().partition(),
                    "offset", e.getValue().offset(), "metadata", e.getValue().metadata()));
            }
            Cli.emit(Cli.obj("event", "translated", "group", group, "offsets", offsets));
        }
    }

    private static void consume(Cli cli) throws Exception {
        Properties props = cli.clientProperties("");
        String topic = cli.required("topic");
        String group = cli.required("group");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, cli.string("reset", "earliest"));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        props.put(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, Long.toString(cli.number("commit-interval-ms", 1000)));
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ocigeo-failover-consume-" + group);
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");

        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AtomicBoolean stopping = new AtomicBoolean();
        Thread mainThread = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            consumer.wakeup();
            try {
                mainThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ocigeo-consume-shutdown"));
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    Map<String, Object> positions = new java.util.TreeMap<>();
                    for (TopicPartition tp : partitions) {
                        positions.put(Integer.toString(tp.partition()), consumer.position(tp));
                    }
                    Cli.emit(Cli.obj("event", "assigned", "t", System.currentTimeMillis(), "positions", positions));
                }
            });
            while (!stopping.get()) {
                ConsumerRecords<byte[], byte[]> batch;
                try {
                    batch = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                if (batch.isEmpty()) {
                    continue;
                }
                long now = System.currentTimeMillis();
                List<List<Long>> records = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    Records.Parsed parsed = Records.parse(record.value());
                    records.add(List.of((long) record.partition(), record.offset(), parsed == null ? -1L : parsed.seq));
                }
                Cli.emit(Cli.obj("event", "records", "t", now, "records", records));
            }
            consumer.commitSync(Duration.ofSeconds(5));
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
        Cli.emit(Cli.obj("event", "closed", "t", System.currentTimeMillis()));
    }

    private static void produce(Cli cli) throws Exception {
        Properties props = cli.clientProperties("");
        String topic = cli.required("topic");
        int partitions = (int) cli.number("partitions", 1);
        String runId = cli.required("run-id");
        double rate = Double.parseDouble(cli.string("rate", "50"));
        long records = cli.number("records", Long.MAX_VALUE);
        int valueBytes = (int) cli.number("value-bytes", 100);
        long startSeq = cli.number("start-seq", 0);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ocigeo-failover-produce-" + runId);
        try (KafkaProducer<byte[], byte[]> producer =
                 new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            long start = System.currentTimeMillis();
            for (long i = 0; i < records; i++) {
                long due = start + (long) (i * 1000.0 / rate);
                long wait = due - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                long seq = startSeq + i;
                long ts = System.currentTimeMillis();
                RecordHeaders headers = new RecordHeaders();
                headers.add(Records.H_RUN, Records.utf8(runId));
                headers.add(Records.H_SEQ, Records.utf8(Long.toString(seq)));
                headers.add(Records.H_TS, Records.utf8(Long.toString(ts)));
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, (int) (seq % partitions), ts,
                    Records.key(runId, seq), Records.value(runId, seq, ts, valueBytes), headers);
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            Cli.emit(Cli.obj("event", "acked", "seq", seq, "partition", metadata.partition(),
                                "offset", metadata.offset(), "t", System.currentTimeMillis()));
                        } else {
                            Cli.emit(Cli.obj("event", "failed", "seq", seq, "error", error.getClass().getSimpleName()));
                        }
                    });
                } catch (org.apache.kafka.common.KafkaException e) {
                    Cli.emit(Cli.obj("event", "failed", "seq", seq, "error", e.getClass().getSimpleName()));
                }
            }
            producer.flush();
        }
        Cli.emit(Cli.obj("event", "done", "t", System.currentTimeMillis()));
    }
}
