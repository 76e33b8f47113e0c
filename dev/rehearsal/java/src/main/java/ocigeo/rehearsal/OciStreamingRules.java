package ocigeo.rehearsal;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.internals.Topic;

/**
 * The topic rules OCI Streaming enforces that a stock Kafka broker does not, shared by the
 * create-topic and alter-config policies.
 *
 * <p>OCI Streaming has no log compaction: a stream is always {@code cleanup.policy=delete}.
 * The only compacted topics a tenancy sees are the three a Connect harness provides
 * ({@code <harnessOCID>-config|-offset|-status}); those are allowed here so that the rehearsal
 * can pre-create them the way OCI hands them out.
 *
 * <p>The broker's own internal topics ({@code __consumer_offsets}, {@code __transaction_state},
 * {@code __share_group_state}) are compacted and created by the broker through the same policy
 * path; they are exempt, otherwise consumer groups (which OCI supports) could never work.
 */
final class OciStreamingRules {
    /**
     * Names of the topics an OCI Connect harness provides. A harness OCID looks like
     * {@code ocid1.connectharness.oc1.eu-frankfurt-1.amaaaa...}; region identifiers contain dashes,
     * so the OCID part is matched as any run of non-blank characters.
     */
    static final Pattern CONNECT_HARNESS_TOPIC =
        Pattern.compile("^ocid1\\.connectharness\\.\\S+-(config|offset|status)$");

    static final String COMPACTION_MESSAGE = "Compacted topics are not supported by OCI Streaming";

    private OciStreamingRules() {
    }

    static boolean isConnectHarnessTopic(String topic) {
        return topic != null && CONNECT_HARNESS_TOPIC.matcher(topic).matches();
    }

    /** Throws {@link PolicyViolationException} if {@code configs} asks for compaction on {@code topic}. */
    static void rejectCompaction(String topic, Map<String, String> configs, String action) {
        if (configs == null || isConnectHarnessTopic(topic) || Topic.isInternal(topic)) {
            return;
        }
        String policy = configs.get("cleanup.policy");
        if (policy != null && policy.toLowerCase(Locale.ROOT).contains("compact")) {
            throw new PolicyViolationException(COMPACTION_MESSAGE + ": topic '" + topic + "' cannot have cleanup.policy="
                + policy + " (" + action + "; streams only support cleanup.policy=delete)");
        }
    }
}
