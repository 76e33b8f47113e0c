package ocigeo.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.utils.Utils;

/**
 * Server-side SASL/PLAIN credential check reading {@code username=password} pairs from a Java
 * properties file named by the JAAS option {@code users_file}.
 *
 * <p>Kafka's built-in handler takes users from JAAS options ({@code user_<name>="..."}), whose
 * parser cannot carry the OCI username shape {@code <tenancy>/<user>/<streamPoolOCID>} (slashes
 * start comments, dots split tokens). OCI usernames must be usable verbatim, so they live in a file.
 */
public class PlainUsersCallbackHandler implements AuthenticateCallbackHandler {
    static final String USERS_FILE_OPTION = "users_file";

    private final Properties users = new Properties();

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        String file = null;
        for (AppConfigurationEntry entry : jaasConfigEntries) {
            if (PlainLoginModule.class.getName().equals(entry.getLoginModuleName())) {
                Object value = entry.getOptions().get(USERS_FILE_OPTION);
                if (value != null) {
                    file = value.toString();
                }
            }
        }
        if (file == null) {
            throw new KafkaException("PlainUsersCallbackHandler needs the JAAS option " + USERS_FILE_OPTION);
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            users.load(in);
        } catch (IOException e) {
            throw new KafkaException("Cannot read SASL/PLAIN users file " + file, e);
        }
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        String username = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback) {
                username = ((NameCallback) callback).getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback) {
                PlainAuthenticateCallback plain = (PlainAuthenticateCallback) callback;
                String expected = username == null ? null : users.getProperty(username);
                plain.authenticated(expected != null && Utils.isEqualConstantTime(plain.password(), expected.toCharArray()));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    @Override
    public void close() {
    }
}
