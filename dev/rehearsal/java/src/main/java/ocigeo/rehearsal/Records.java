package ocigeo.rehearsal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The record shape shared by {@link Produce} and {@link Verify}.
 *
 * <ul>
 *   <li>key: {@code <runId>-<seq>}</li>
 *   <li>value: {@code run=<runId>;seq=<seq>;ts=<timestampMs>;} padded with '.' to the requested size</li>
 *   <li>headers: {@code ocigeo.run}, {@code ocigeo.seq}, {@code ocigeo.ts} (UTF-8 decimal strings)</li>
 *   <li>timestamp: {@code ts}, set explicitly by the producer (CreateTime)</li>
 *   <li>partition: {@code seq % partitions}, chosen explicitly</li>
 * </ul>
 */
final class Records {
    static final String H_RUN = "ocigeo.run";
    static final String H_SEQ = "ocigeo.seq";
    static final String H_TS = "ocigeo.ts";

    private Records() {
    }

    static byte[] key(String runId, long seq) {
        return (runId + "-" + seq).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(String runId, long seq, long ts, int size) {
        byte[] head = ("run=" + runId + ";seq=" + seq + ";ts=" + ts + ";").getBytes(StandardCharsets.UTF_8);
        if (head.length >= size) {
            return head;
        }
        byte[] value = Arrays.copyOf(head, size);
        Arrays.fill(value, head.length, size, (byte) '.');
        return value;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Parsed value, or null when the value does not have the rehearsal shape. */
    static final class Parsed {
        final String runId;
        final long seq;
        final long ts;

        Parsed(String runId, long seq, long ts) {
            this.runId = runId;
            this.seq = seq;
            this.ts = ts;
        }
    }

    static Parsed parse(byte[] value) {
        if (value == null) {
            return null;
        }
        int end = 0;
        int semicolons = 0;
        while (end < value.length && semicolons < 3) {
            if (value[end] == ';') {
                semicolons++;
            }
            end++;
        }
        String head = new String(value, 0, end, StandardCharsets.UTF_8);
        String[] parts = head.split(";");
        if (parts.length < 3 || !parts[0].startsWith("run=") || !parts[1].startsWith("seq=") || !parts[2].startsWith("ts=")) {
            return null;
        }
        try {
            return new Parsed(parts[0].substring(4), Long.parseLong(parts[1].substring(4)), Long.parseLong(parts[2].substring(3)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
