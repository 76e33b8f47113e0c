package ocigeo.rehearsal;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces the rehearsal workload (see {@link Records} for the record shape).
 *
 * <pre>
 * Produce --config client.properties [--set k=v]... --topic T --records N [--partitions P]
 *         [--run-id ID] [--start-seq 0] [--value-bytes 100] [--rate recordsPerSecond]
 *         [--idempotence false] [--transactional-id ID (implies idempotence)] [--progress-ms 1000] [--timeout-ms 120000]
 * </pre>
 * {@code enable.idempotence=false} unless {@code --idempotence true} (used by the negative
 * controls, as is {@code --transactional-id}). Prints {@code {"event":"progress",...}} lines and a
 * final {@code {"event":"done",...}}; a send failure ends with {@code {"event":"error",...}} and
 * exit code 2.
 */
public final class Produce {
    private Produce() {
    }

    public static void main(String[] args) {
        Cli.run("produce", () -> {
            Cli cli = new Cli(args);
            Properties props = cli.clientProperties("");
            String topic = cli.required("topic");
            long records = cli.number("records", 1000);
            String runId = cli.string("run-id", Long.toString(System.currentTimeMillis(), 36));
            long startSeq = cli.number("start-seq", 0);
            int valueBytes = (int) cli.number("value-bytes", 100);
            double rate = Double.parseDouble(cli.string("rate", "0"));
            long progressMs = cli.number("progress-ms", 1000);
            long timeoutMs = cli.number("timeout-ms", 120_000);
            String transactionalId = cli.string("transactional-id", null);

            // A transactional producer is necessarily idempotent.
            boolean idempotence = cli.flag("idempotence", false) || transactionalId != null;
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(idempotence));
            props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
            // One request in flight keeps per-partition order even when a retry happens without idempotence.
            props.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
            props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ocigeo-produce-" + runId);
            props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(timeoutMs, 60_000)));
            if (transactionalId != null) {
                props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            }

            AtomicLong acked = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            long start = System.currentTimeMillis();
            long sent = 0;
            long bytes = 0;
            try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                int partitions = (int) cli.number("partitions", 0);
                if (partitions <= 0) {
                    partitions = producer.partitionsFor(topic).size();
                }
                if (transactionalId != null) {
                    producer.initTransactions();
                    producer.beginTransaction();
                }
                long lastProgress = start;
                for (long i = 0; i < records; i++) {
                    if (firstError.get() != null) {
                        break;
                    }
                    if (rate > 0) {
                        long due = start + (long) (i * 1000.0 / rate);
                        long wait = due - System.currentTimeMillis();
                        if (wait > 0) {
                            Thread.sleep(wait);
                        }
                    }
                    long seq = startSeq + i;
                    long ts = System.currentTimeMillis();
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(Records.H_RUN, Records.utf8(runId));
                    headers.add(Records.H_SEQ, Records.utf8(Long.toString(seq)));
                    headers.add(Records.H_TS, Records.utf8(Long.toString(ts)));
                    byte[] value = Records.value(runId, seq, ts, valueBytes);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, (int) (seq % partitions), ts,
                        Records.key(runId, seq), value, headers);
                    producer.send(record, (metadata, error) -> {
                        if (error == null) {
                            acked.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    });
                    sent++;
                    bytes += value.length;
                    long now = System.currentTimeMillis();
                    if (progressMs > 0 && now - lastProgress >= progressMs) {
                        lastProgress = now;
                        Cli.emit(Cli.obj("event", "progress", "sent", sent, "acked", acked.get(), "failed", failed.get(),
                            "elapsedMs", now - start));
                    }
                }
                if (transactionalId != null && firstError.get() == null) {
                    producer.commitTransaction();
                }
                producer.flush();
                long deadline = System.currentTimeMillis() + timeoutMs;
                while (acked.get() + failed.get() < sent && System.currentTimeMillis() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            }
            if (firstError.get() != null) {
                throw firstError.get();
            }
            long elapsed = Math.max(1, System.currentTimeMillis() - start);
            Cli.emit(Cli.obj("event", "done", "runId", runId, "topic", topic, "sent", sent, "acked", acked.get(),
                "failed", failed.get(), "bytes", bytes, "elapsedMs", elapsed,
                "recordsPerSec", sent * 1000.0 / elapsed, "mbPerSec", bytes / 1048.576 / elapsed));
        });
    }
}
