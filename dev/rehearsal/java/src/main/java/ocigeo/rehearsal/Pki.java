package ocigeo.rehearsal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generates the rehearsal's TLS material with the JDK's own keytool, run in-process so that a CA
 * and a broker certificate cost one JVM start instead of eight. Needs
 * {@code --add-exports java.base/sun.security.tools.keytool=ALL-UNNAMED}.
 *
 * <pre>
 * Pki ca     &lt;caDir&gt; &lt;password&gt;
 *     -&gt; caDir/ca.p12 (CA key), caDir/ca.pem, caDir/truststore.p12
 * Pki server &lt;caDir&gt; &lt;outDir&gt; &lt;password&gt; &lt;san,san,...&gt;
 *     -&gt; outDir/server.p12 (key + chain, alias "server"), outDir/server.pem
 * Pki client &lt;caDir&gt; &lt;outDir&gt; &lt;password&gt; &lt;commonName&gt;
 *     -&gt; outDir/client.p12, outDir/client-keystore.pem (unencrypted PKCS#8 key + chain: a Kafka
 *        PEM key store, ssl.keystore.type=PEM), outDir/client.pem (the chain only)
 * </pre>
 * Several commands may follow each other in one invocation. Keys are EC P-256 (fast to make).
 */
public final class Pki {
    private static final String VALIDITY_DAYS = "30";

    private Pki() {
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String command = rest.remove(0);
            switch (command) {
                case "ca":
                    ca(Path.of(rest.remove(0)), rest.remove(0));
                    break;
                case "server":
                    server(Path.of(rest.remove(0)), Path.of(rest.remove(0)), rest.remove(0), rest.remove(0));
                    break;
                case "client":
                    client(Path.of(rest.remove(0)), Path.of(rest.remove(0)), rest.remove(0), rest.remove(0));
                    break;
                default:
                    throw new IllegalArgumentException("unknown command " + command);
            }
        }
    }

    static void ca(Path dir, String password) throws Exception {
        Files.createDirectories(dir);
        String ks = dir.resolve("ca.p12").toString();
        keytool("-genkeypair", "-keystore", ks, "-storetype", "PKCS12", "-storepass", password, "-alias", "ca",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=OCI geo-streaming rehearsal CA",
            "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", VALIDITY_DAYS);
        keytool("-exportcert", "-keystore", ks, "-storepass", password, "-alias", "ca", "-rfc",
            "-file", dir.resolve("ca.pem").toString());
        keytool("-importcert", "-keystore", dir.resolve("truststore.p12").toString(), "-storetype", "PKCS12",
            "-storepass", password, "-alias", "ca", "-file", dir.resolve("ca.pem").toString(), "-noprompt");
    }

    static void server(Path caDir, Path dir, String password, String sans) throws Exception {
        Files.createDirectories(dir);
        String ks = dir.resolve("server.p12").toString();
        String caKs = caDir.resolve("ca.p12").toString();
        String caPem = caDir.resolve("ca.pem").toString();
        String csr = dir.resolve("server.csr").toString();
        String pem = dir.resolve("server.pem").toString();
        StringBuilder san = new StringBuilder("SAN=");
        for (String s : sans.split(",")) {
            if (san.length() > 4) {
                san.append(',');
            }
            san.append(s.matches("[0-9.]+|.*:.*") ? "ip:" : "dns:").append(s);
        }
        keytool("-genkeypair", "-keystore", ks, "-storetype", "PKCS12", "-storepass", password, "-alias", "server",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + sans.split(",")[0],
            "-validity", VALIDITY_DAYS);
        keytool("-certreq", "-keystore", ks, "-storepass", password, "-alias", "server", "-file", csr);
        keytool("-gencert", "-keystore", caKs, "-storepass", password, "-alias", "ca", "-infile", csr,
            "-outfile", pem, "-rfc", "-validity", VALIDITY_DAYS, "-ext", san.toString(),
            "-ext", "ku:c=digitalSignature", "-ext", "eku=serverAuth,clientAuth");
        keytool("-importcert", "-keystore", ks, "-storepass", password, "-alias", "ca", "-file", caPem, "-noprompt");
        keytool("-importcert", "-keystore", ks, "-storepass", password, "-alias", "server", "-file", pem, "-noprompt");
        Files.deleteIfExists(Path.of(csr));
    }

    static void client(Path caDir, Path dir, String password, String commonName) throws Exception {
        Files.createDirectories(dir);
        String ks = dir.resolve("client.p12").toString();
        String caKs = caDir.resolve("ca.p12").toString();
        Path caPem = caDir.resolve("ca.pem");
        String csr = dir.resolve("client.csr").toString();
        Path certPem = dir.resolve("client-cert.pem");
        keytool("-genkeypair", "-keystore", ks, "-storetype", "PKCS12", "-storepass", password, "-alias", "client",
            "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", VALIDITY_DAYS);
        keytool("-certreq", "-keystore", ks, "-storepass", password, "-alias", "client", "-file", csr);
        keytool("-gencert", "-keystore", caKs, "-storepass", password, "-alias", "ca", "-infile", csr,
            "-outfile", certPem.toString(), "-rfc", "-validity", VALIDITY_DAYS,
            "-ext", "ku:c=digitalSignature", "-ext", "eku=clientAuth");
        keytool("-importcert", "-keystore", ks, "-storepass", password, "-alias", "ca", "-file", caPem.toString(),
            "-noprompt");
        keytool("-importcert", "-keystore", ks, "-storepass", password, "-alias", "client", "-file",
            certPem.toString(), "-noprompt");
        // keytool never exports a private key: read it back from the PKCS12 store (PKCS#8 encoding).
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (java.io.InputStream in = Files.newInputStream(Path.of(ks))) {
            store.load(in, password.toCharArray());
        }
        java.security.Key key = store.getKey("client", password.toCharArray());
        String keyPem = "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
        String chain = Files.readString(certPem).trim() + "\n" + Files.readString(caPem).trim() + "\n";
        Files.writeString(dir.resolve("client.pem"), chain);
        Files.writeString(dir.resolve("client-keystore.pem"), keyPem + chain);
        Files.deleteIfExists(Path.of(csr));
        Files.deleteIfExists(certPem);
    }

    private static void keytool(String... args) throws Exception {
        Class<?> main = Class.forName("sun.security.tools.keytool.Main");
        Method entry = main.getMethod("main", String[].class);
        try {
            entry.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed", e.getCause());
        }
    }
}
