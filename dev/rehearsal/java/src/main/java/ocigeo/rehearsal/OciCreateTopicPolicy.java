package ocigeo.rehearsal;

import java.util.Map;

import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/**
 * {@code create.topic.policy.class.name}: refuses compacted topics like OCI Streaming does,
 * except the Connect harness topics ({@link OciStreamingRules#CONNECT_HARNESS_TOPIC}).
 */
public class OciCreateTopicPolicy implements CreateTopicPolicy {
    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void validate(RequestMetadata requestMetadata) throws PolicyViolationException {
        OciStreamingRules.rejectCompaction(requestMetadata.topic(), requestMetadata.configs(), "create");
    }

    @Override
    public void close() {
    }
}
