package dev.vpnrouter.interop;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vpnrouter.cli.SeedExecLab;
import dev.vpnrouter.cli.remote.EngineThread;
import dev.vpnrouter.cli.remote.ExecServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's control socket against another local user (issue 16): nobody, through setpriv, reaches the socket
 * file (made world-writable here, as a mistake or the bind-time umask once allowed) and is still refused by its
 * credentials (SO_PEERCRED), told why, and logged. Root, to be someone else.
 */
@Interop
class ConsoleSocketInteropTest {
    /** Connects and prints what the router sends until it hangs up, or after 5 s when it does not. */
    private static final String PROBE = """
            public class Probe {
                public static void main(String[] a) throws Exception {
                    StringBuffer got = new StringBuffer();
                    Thread t = new Thread(() -> {
                        try { Thread.sleep(5000); } catch (InterruptedException e) { }
                        System.out.print(got);
                        System.exit(0);
                    });
                    t.setDaemon(true);
                    t.start();
                    try (var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(a[0]))) {
                        var b = java.nio.ByteBuffer.allocate(4096);
                        while (c.read(b) > 0) {
                            got.append(new String(b.array(), 0, b.position(), "UTF-8"));
                            b.clear();
                        }
                    }
                    System.out.print(got);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aUserOtherThanRootOrTheRoutersIsRefusedByItsCredentials() throws Exception {
        Prerequisites.require("setpriv");
        SeedExecLab lab = new SeedExecLab().up();
        Path socket = dir.resolve("spoke.sock");
        Logger router = (Logger) LoggerFactory.getLogger("vpnrouter");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        router.addAppender(log);
        try (ExecServers servers = ExecServers.start(lab.spokeExec, EngineThread.locked(),
                new ExecServers.Options("127.0.0.1", -1, dir.resolve("key"), socket))) {
            Path probe = dir.resolve("Probe.java");
            Files.writeString(probe, PROBE);
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder(Prerequisites.resolve("setpriv"), "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups", java, "-XX:-UsePerfData", probe.toString(), socket.toString())
                    .directory(Path.of("/").toFile()).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(answer).isZero();
            assertThat(answer).isEqualTo("O % Access denied: this router's console is for root only, not nobody\n"
                    + "Q \n");
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "vpnrouter: console socket " + socket + ": refused user nobody (group nogroup): only root may "
                            + "attach");
            assertThat(lab.spokeExec.sessions()).isEmpty();
        } finally {
            router.detachAppender(log);
        }
    }
}
