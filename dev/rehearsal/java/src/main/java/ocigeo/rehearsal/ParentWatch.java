package ocigeo.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Launcher used for every long-running rehearsal JVM (brokers, MirrorMaker):
 * {@code ParentWatch <mainClass> [args...]} runs {@code mainClass.main(args)} and exits the JVM as
 * soon as its standard input reaches end-of-file.
 *
 * <p>The Node.js side keeps a pipe to each child's stdin and never writes to it. If Node dies for
 * any reason (including SIGKILL, where no exit handler runs), the pipe closes and the JVM ends
 * itself, so no broker or MirrorMaker outlives the test run that started it.
 */
public final class ParentWatch {
    private ParentWatch() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatch <mainClass> [args...]");
        }
        Thread watcher = new Thread(ParentWatch::watchStdin, "ocigeo-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watchStdin() {
        try {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // ignore anything written; only end-of-file matters
            }
        } catch (IOException e) {
            // treat a broken stdin like end-of-file
        }
        System.err.println("[ocigeo] parent process gone (stdin closed): exiting");
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(143);
        }, "ocigeo-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(143);
    }
}
