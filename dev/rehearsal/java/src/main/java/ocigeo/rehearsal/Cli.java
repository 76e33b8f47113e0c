package ocigeo.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Shared plumbing of the workload tools: {@code --name value} arguments, client properties
 * ({@code --config file} plus repeated {@code --set key=value}), and one JSON object per stdout
 * line, which is what the TypeScript side parses.
 */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
        StandardCharsets.UTF_8);

    private final Map<String, List<String>> options = new HashMap<>();

    Cli(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for --" + name);
                }
                value = args[++i];
            }
            options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    String string(String name, String dflt) {
        List<String> values = options.get(name);
        return values == null ? dflt : values.get(values.size() - 1);
    }

    String required(String name) {
        String value = string(name, null);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    long number(String name, long dflt) {
        String value = string(name, null);
        return value == null ? dflt : Long.parseLong(value);
    }

    boolean flag(String name, boolean dflt) {
        String value = string(name, null);
        return value == null ? dflt : Boolean.parseBoolean(value);
    }

    List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    /** Client properties from {@code --<prefix>config} and {@code --<prefix>set k=v}. */
    Properties clientProperties(String prefix) throws IOException {
        Properties props = new Properties();
        String file = string(prefix + "config", null);
        if (file != null) {
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                props.load(in);
            }
        }
        for (String kv : all(prefix + "set")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--" + prefix + "set expects key=value, got " + kv);
            }
            props.setProperty(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return props;
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < kv.length; i += 2) {
            map.put((String) kv[i], kv[i + 1]);
        }
        return map;
    }

    static synchronized void emit(Map<String, Object> event) {
        try {
            OUT.println(JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The exception that explains a failure: unwraps ExecutionException/CompletionException. */
    static Throwable root(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof ExecutionException || cur instanceof CompletionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /**
     * {@code error}/{@code errorClass}/{@code message} describe the innermost cause (for example the
     * ClusterAuthorizationException inside a producer's "in an error state" KafkaException);
     * {@code chain} lists every level as "SimpleName: message".
     */
    static Map<String, Object> error(Throwable t) {
        List<String> chain = new ArrayList<>();
        Throwable innermost = root(t);
        for (Throwable cur = innermost; cur != null && chain.size() < 10; cur = cur.getCause()) {
            chain.add(cur.getClass().getSimpleName() + ": " + cur.getMessage());
            innermost = cur;
        }
        return obj("error", innermost.getClass().getSimpleName(), "errorClass", innermost.getClass().getName(),
            "message", String.valueOf(innermost.getMessage()), "chain", chain);
    }

    /** Runs a tool's body; an uncaught failure becomes a final {"event":"error"} line and exit code 2. */
    static void run(String tool, ToolBody body) {
        try {
            body.run();
            System.exit(0);
        } catch (Throwable t) {
            Map<String, Object> event = obj("event", "error", "tool", tool);
            event.putAll(error(t));
            emit(event);
            t.printStackTrace();
            System.exit(2);
        }
    }

    interface ToolBody {
        void run() throws Throwable;
    }
}
