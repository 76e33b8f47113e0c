package ocigeo.rehearsal.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.VirtualMachine;

/**
 * Benchmark probe for `npm run bench` (compiled by the benchmark itself with javac; not part of
 * the Maven-built rehearsal runtime). Uses JDK classes only.
 *
 * <pre>
 * JmxProbe --pid PID --query 'domain:key=value,*' --attribute Count [--query ... --attribute ...]
 * </pre>
 * Attaches to a local JVM (same user) through the Attach API, starts its local JMX agent, and then
 * reads commands from stdin, one per line: {@code sample} prints one JSON line
 * {@code {"event":"sample","t":<epoch ms>,"values":{"<object name>|<attribute>":<number>,...}}}
 * for every MBean matching each query; end of input (or {@code quit}) ends the probe. Before the
 * first command it prints {@code {"event":"ready"}}. Errors print {@code {"event":"error",...}}.
 */
public final class JmxProbe {
    private JmxProbe() {
    }

    public static void main(String[] args) throws Exception {
        String pid = null;
        List<String> queries = new ArrayList<>();
        List<String> attributes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                fail("missing value for " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--pid":
                    pid = value;
                    break;
                case "--query":
                    queries.add(value);
                    break;
                case "--attribute":
                    attributes.add(value);
                    break;
                default:
                    fail("unknown argument " + arg);
            }
        }
        if (pid == null || queries.isEmpty() || queries.size() != attributes.size()) {
            fail("usage: --pid PID (--query PATTERN --attribute NAME)...");
        }
        JMXConnector connector;
        try {
            VirtualMachine vm = VirtualMachine.attach(pid);
            String address = vm.startLocalManagementAgent();
            vm.detach();
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (Exception e) {
            fail("cannot attach to JVM " + pid + ": " + e);
            return;
        }
        MBeanServerConnection server = connector.getMBeanServerConnection();
        System.out.println("{\"event\":\"ready\"}");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            if (command.equals("quit")) {
                break;
            }
            if (!command.equals("sample")) {
                continue;
            }
            StringBuilder out = new StringBuilder();
            out.append("{\"event\":\"sample\",\"t\":").append(System.currentTimeMillis()).append(",\"values\":{");
            boolean first = true;
            for (int q = 0; q < queries.size(); q++) {
                Set<ObjectName> names = new TreeSet<>(server.queryNames(new ObjectName(queries.get(q)), null));
                for (ObjectName name : names) {
                    Object value;
                    try {
                        value = server.getAttribute(name, attributes.get(q));
                    } catch (Exception e) {
                        continue;
                    }
                    if (!(value instanceof Number)) {
                        continue;
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(quote(name.getCanonicalName() + "|" + attributes.get(q))).append(':');
                    double d = ((Number) value).doubleValue();
                    out.append(Double.isFinite(d) ? Double.toString(d) : "null");
                }
            }
            out.append("}}");
            System.out.println(out);
            System.out.flush();
        }
        connector.close();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static void fail(String message) {
        System.out.println("{\"event\":\"error\",\"message\":" + quote(message) + "}");
        System.out.flush();
        System.exit(2);
    }
}
