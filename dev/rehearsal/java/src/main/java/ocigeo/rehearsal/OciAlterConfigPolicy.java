package ocigeo.rehearsal;

import java.util.Map;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.AlterConfigPolicy;

/**
 * {@code alter.config.policy.class.name}: refuses switching a topic to compaction (legacy and
 * incremental AlterConfigs; in KRaft the controller also consults it for the configs of a topic
 * being created), except the Connect harness topics.
 */
public class OciAlterConfigPolicy implements AlterConfigPolicy {
    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void validate(RequestMetadata requestMetadata) throws PolicyViolationException {
        ConfigResource resource = requestMetadata.resource();
        if (resource.type() == ConfigResource.Type.TOPIC) {
            OciStreamingRules.rejectCompaction(resource.name(), requestMetadata.configs(), "alter");
        }
    }

    @Override
    public void close() {
    }
}
