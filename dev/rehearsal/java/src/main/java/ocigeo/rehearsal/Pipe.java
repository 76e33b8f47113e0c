package ocigeo.rehearsal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A plain consume-then-produce copy between two clusters with the same client library MirrorMaker
 * uses: the ceiling a replication benchmark compares against. Keys, values, headers, timestamps
 * and partition numbers are copied as they are.
 *
 * <pre>
 * Pipe --source-config a.properties [--source-set k=v]... --target-config b.properties [--target-set k=v]...
 *      --topic SRC [--target-topic DST] --records N [--timeout-ms 300000] [--progress-ms 1000]
 * </pre>
 * Stops after N records were copied and acknowledged (or on timeout). Producer idempotence is off.
 */
public final class Pipe {
    private Pipe() {
    }

    public static void main(String[] args) {
        Cli.run("pipe", () -> {
            Cli cli = new Cli(args);
            Properties source = cli.clientProperties("source-");
            Properties target = cli.clientProperties("target-");
            String topic = cli.required("topic");
            String targetTopic = cli.string("target-topic", topic);
            long records = cli.number("records", 1000);
            long timeoutMs = cli.number("timeout-ms", 300_000);
            long progressMs = cli.number("progress-ms", 1000);

            source.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ocigeo-pipe-consumer");
            source.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            source.remove(ConsumerConfig.GROUP_ID_CONFIG);
            target.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "ocigeo-pipe-producer");
            target.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
            target.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");

            AtomicLong acked = new AtomicLong();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            long start = System.currentTimeMillis();
            long deadline = start + timeoutMs;
            long copied = 0;
            long bytes = 0;
            long lastProgress = start;
            try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(source, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                 KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(target, new ByteArraySerializer(), new ByteArraySerializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs))) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (copied < records && System.currentTimeMillis() < deadline && firstError.get() == null) {
                    ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        if (copied >= records) {
                            break;
                        }
                        producer.send(new ProducerRecord<>(targetTopic, r.partition(), r.timestamp(), r.key(), r.value(),
                            r.headers()), (metadata, error) -> {
                                if (error == null) {
                                    acked.incrementAndGet();
                                } else {
                                    firstError.compareAndSet(null, error);
                                }
                            });
                        copied++;
                        bytes += r.serializedValueSize() + Math.max(0, r.serializedKeySize());
                    }
                    long now = System.currentTimeMillis();
                    if (progressMs > 0 && now - lastProgress >= progressMs) {
                        lastProgress = now;
                        Cli.emit(Cli.obj("event", "progress", "copied", copied, "acked", acked.get(),
                            "elapsedMs", now - start));
                    }
                }
                producer.flush();
                while (acked.get() < copied && firstError.get() == null && System.currentTimeMillis() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            }
            if (firstError.get() != null) {
                throw firstError.get();
            }
            long elapsed = Math.max(1, System.currentTimeMillis() - start);
            Cli.emit(Cli.obj("event", "done", "copied", copied, "acked", acked.get(), "bytes", bytes,
                "elapsedMs", elapsed, "complete", acked.get() >= records,
                "recordsPerSec", copied * 1000.0 / elapsed, "mbPerSec", bytes / 1048.576 / elapsed));
        });
    }
}
