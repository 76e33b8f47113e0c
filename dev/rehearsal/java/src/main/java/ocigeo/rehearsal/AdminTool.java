package ocigeo.rehearsal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.mirror.Checkpoint;
import org.apache.kafka.connect.mirror.OffsetSync;

/**
 * Batch admin operations against one cluster, one JVM start for many operations.
 *
 * <pre>
 * AdminTool --config client.properties [--set k=v]... --ops '[{"op":"waitReady","timeoutMs":60000}, ...]'
 * </pre>
 * Prints one JSON line per operation: {@code {"op":..,"ok":true,...}} or
 * {@code {"op":..,"ok":false,"error":"PolicyViolationException","message":".."}}. Operations:
 * waitReady{timeoutMs}, createTopic{name,partitions,replicationFactor?,configs?},
 * alterTopicConfig{name,configs}, describeTopic{name}, listTopics{}, endOffsets{topic},
 * waitRecords{topic,records,timeoutMs} (until the end offsets of the topic sum to at least
 * {@code records}; the topic may not exist yet), deleteTopic{name}, groupOffsets{group},
 * checkpoints{topic} and offsetSyncs{topic} (MirrorMaker's internal topics, decoded).
 * Every op accepts timeoutMs (default 30000).
 */
public final class AdminTool {
    private AdminTool() {
    }

    public static void main(String[] args) {
        Cli.run("admin", () -> {
            Cli cli = new Cli(args);
            Properties props = cli.clientProperties("");
            JsonNode ops = Cli.JSON.readTree(cli.required("ops"));
            props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "ocigeo-rehearsal-admin");
            // Fail fast on a dead or refusing endpoint instead of retrying for minutes.
            props.putIfAbsent(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
            Admin admin = Admin.create(props);
            try {
                for (JsonNode op : ops) {
                    String name = op.path("op").asText();
                    long start = System.currentTimeMillis();
                    Map<String, Object> out = Cli.obj("op", name);
                    try {
                        out.putAll(execute(admin, props, name, op));
                        out.put("ok", true);
                    } catch (Throwable t) {
                        out.put("ok", false);
                        out.putAll(Cli.error(t));
                    }
                    out.put("elapsedMs", System.currentTimeMillis() - start);
                    Cli.emit(out);
                }
            } finally {
                // Calls abandoned by a timed-out op must not keep the JVM alive (close() waits for them).
                admin.close(java.time.Duration.ofSeconds(2));
            }
        });
    }

    private static Map<String, Object> execute(Admin admin, Properties props, String op, JsonNode spec)
        throws Exception {
        long timeoutMs = spec.path("timeoutMs").asLong(30_000);
        switch (op) {
            case "waitReady":
                return waitReady(admin, timeoutMs);
            case "createTopic": {
                String name = spec.path("name").asText();
                Optional<Integer> partitions = spec.has("partitions")
                    ? Optional.of(spec.get("partitions").asInt()) : Optional.empty();
                Optional<Short> rf = spec.has("replicationFactor")
                    ? Optional.of((short) spec.get("replicationFactor").asInt()) : Optional.empty();
                NewTopic topic = new NewTopic(name, partitions, rf);
                topic.configs(stringMap(spec.path("configs")));
                admin.createTopics(List.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                return Cli.obj("name", name);
            }
            case "alterTopicConfig": {
                String name = spec.path("name").asText();
                List<AlterConfigOp> changes = new ArrayList<>();
                for (Map.Entry<String, String> e : stringMap(spec.path("configs")).entrySet()) {
                    changes.add(new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET));
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                admin.incrementalAlterConfigs(Map.of(resource, changes)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                return Cli.obj("name", name);
            }
            case "describeTopic": {
                String name = spec.path("name").asText();
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
                    .get(timeoutMs, TimeUnit.MILLISECONDS).get(name);
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
                Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS).get(resource);
                Map<String, String> configs = new TreeMap<>();
                for (ConfigEntry entry : config.entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG
                        || entry.name().equals("cleanup.policy") || entry.name().equals("retention.ms")) {
                        configs.put(entry.name(), entry.value());
                    }
                }
                int replication = 0;
                for (TopicPartitionInfo p : description.partitions()) {
                    replication = Math.max(replication, p.replicas().size());
                }
                return Cli.obj("name", name, "partitions", description.partitions().size(),
                    "replicationFactor", replication, "configs", configs);
            }
            case "listTopics": {
                Collection<String> names = admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
                return Cli.obj("topics", new java.util.TreeSet<>(names));
            }
            case "endOffsets":
                return endOffsets(admin, spec.path("topic").asText(), timeoutMs);
            case "waitRecords": {
                String name = spec.path("topic").asText();
                long records = spec.path("records").asLong();
                long deadline = System.currentTimeMillis() + timeoutMs;
                Map<String, Object> last = Cli.obj("topic", name, "total", 0L);
                String lastError = "";
                while (true) {
                    try {
                        last = endOffsets(admin, name, Math.max(1, Math.min(10_000, deadline - System.currentTimeMillis())));
                        if ((Long) last.get("total") >= records) {
                            return last;
                        }
                    } catch (Exception e) {
                        Throwable cause = Cli.root(e);
                        if (!(cause instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException
                            || cause instanceof org.apache.kafka.common.errors.RetriableException
                            || cause instanceof java.util.concurrent.TimeoutException)) {
                            throw e;
                        }
                        lastError = " (last error: " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
                    }
                    if (System.currentTimeMillis() >= deadline) {
                        throw new java.util.concurrent.TimeoutException("topic " + name + " has " + last.get("total")
                            + " records, expected at least " + records + " within " + timeoutMs + " ms" + lastError);
                    }
                    Thread.sleep(500);
                }
            }
            case "deleteTopic": {
                String name = spec.path("name").asText();
                admin.deleteTopics(List.of(name)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                return Cli.obj("name", name);
            }
            case "groupOffsets": {
                String group = spec.path("group").asText();
                Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
                Map<String, Long> out = new TreeMap<>();
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                    if (e.getValue() != null) {
                        out.put(e.getKey().topic() + ":" + e.getKey().partition(), e.getValue().offset());
                    }
                }
                return Cli.obj("group", group, "offsets", out);
            }
            case "commitOffsets": {
                // A standalone commit WITH commit metadata (a consumer's commit, as the rehearsal stands
                // it in); @platformatic/kafka's admin commit always sends null metadata.
                String group = spec.path("group").asText();
                String metadata = spec.path("metadata").asText("");
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                spec.path("offsets").fields().forEachRemaining(e -> {
                    String key = e.getKey();
                    int colon = key.lastIndexOf(':');
                    offsets.put(new TopicPartition(key.substring(0, colon), Integer.parseInt(key.substring(colon + 1))),
                        new OffsetAndMetadata(e.getValue().asLong(), metadata));
                });
                admin.alterConsumerGroupOffsets(group, offsets).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                return Cli.obj("group", group, "committed", offsets.size());
            }
            case "checkpoints":
            case "offsetSyncs":
                return readMirrorTopic(props, op, spec.path("topic").asText(), timeoutMs);
            default:
                throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private static Map<String, Object> endOffsets(Admin admin, String name, long timeoutMs) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames()
            .get(timeoutMs, TimeUnit.MILLISECONDS).get(name);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicPartitionInfo p : description.partitions()) {
            request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
            admin.listOffsets(request).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<String, Long> perPartition = new TreeMap<>();
        long total = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : result.entrySet()) {
            perPartition.put(Integer.toString(e.getKey().partition()), e.getValue().offset());
            total += e.getValue().offset();
        }
        return Cli.obj("topic", name, "total", total, "partitions", perPartition);
    }

    /**
     * Reads a MirrorMaker internal topic from the beginning to its current end and decodes every
     * record with MirrorMaker's own classes: {@code Checkpoint} (op checkpoints) or
     * {@code OffsetSync} (op offsetSyncs).
     */
    private static Map<String, Object> readMirrorTopic(Properties clientProps, String op, String topic, long timeoutMs)
        throws Exception {
        Properties props = new Properties();
        props.putAll(clientProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "ocigeo-rehearsal-" + op);
        List<Map<String, Object>> records = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<byte[], byte[]> consumer =
                 new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            if (partitions.isEmpty()) {
                throw new org.apache.kafka.common.errors.UnknownTopicOrPartitionException("topic " + topic + " not found");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofMillis(timeoutMs));
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new java.util.concurrent.TimeoutException("reading " + topic + " took longer than " + timeoutMs + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (op.equals("checkpoints")) {
                        Checkpoint c = Checkpoint.deserializeRecord(record);
                        records.add(Cli.obj("group", c.consumerGroupId(), "topic", c.topicPartition().topic(),
                            "partition", c.topicPartition().partition(), "upstreamOffset", c.upstreamOffset(),
                            "downstreamOffset", c.downstreamOffset(), "timestamp", record.timestamp()));
                    } else {
                        OffsetSync s = OffsetSync.deserializeRecord(record);
                        records.add(Cli.obj("topic", s.topicPartition().topic(), "partition", s.topicPartition().partition(),
                            "upstreamOffset", s.upstreamOffset(), "downstreamOffset", s.downstreamOffset(),
                            "timestamp", record.timestamp()));
                    }
                }
            }
        }
        return Cli.obj("topic", topic, "records", records);
    }

    private static Map<String, Object> waitReady(Admin admin, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        Throwable last = null;
        int attempts = 0;
        while (System.currentTimeMillis() < deadline) {
            attempts++;
            long remaining = Math.max(1, Math.min(5_000, deadline - System.currentTimeMillis()));
            try {
                admin.listTopics().names().get(remaining, TimeUnit.MILLISECONDS);
                String clusterId = admin.describeCluster().clusterId().get(remaining, TimeUnit.MILLISECONDS);
                return Cli.obj("attempts", attempts, "clusterId", clusterId);
            } catch (Exception e) {
                last = Cli.root(e);
                if (last instanceof org.apache.kafka.common.errors.AuthenticationException
                    || last instanceof org.apache.kafka.common.errors.AuthorizationException) {
                    break; // a refusal, not a broker that is still starting
                }
                Thread.sleep(250);
            }
        }
        throw last instanceof Exception ? (Exception) last
            : new java.util.concurrent.TimeoutException("cluster not ready after " + timeoutMs + " ms");
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), e.getValue().asText());
            }
        }
        return map;
    }
}
