package dev.vpnrouter.esp.bench;

import dev.vpnrouter.esp.EspCipher;
import dev.vpnrouter.esp.EspInboundSa;
import dev.vpnrouter.esp.EspIntegrity;
import dev.vpnrouter.esp.EspOutboundSa;
import dev.vpnrouter.esp.EspTransform;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-packet cost of seal and open for each transform and packet size, one thread.
 * Run (see docs/benchmarks.md):
 * <pre>
 * ./mvnw -B -ntp -o test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test.cp
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp target/test-classes:target/classes:$(cat target/test.cp) \
 *     dev.vpnrouter.esp.bench.EspBenchmark
 * </pre>
 * Any JMH options may be passed instead, e.g. {@code EspBenchmark -p transform=aes128-sha1 -p size=1400}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EspBenchmark {

    static final Map<String, EspTransform> TRANSFORMS = Map.ofEntries(
            Map.entry("3des-sha1", EspTransform.of(EspCipher.DES3_CBC, 192, EspIntegrity.HMAC_SHA1_96)),
            Map.entry("3des-md5", EspTransform.of(EspCipher.DES3_CBC, 192, EspIntegrity.HMAC_MD5_96)),
            Map.entry("aes128-sha1", EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_SHA1_96)),
            Map.entry("aes192-sha1", EspTransform.of(EspCipher.AES_CBC, 192, EspIntegrity.HMAC_SHA1_96)),
            Map.entry("aes256-sha1", EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA1_96)),
            Map.entry("aes128-md5", EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_MD5_96)),
            Map.entry("aes128-sha256", EspTransform.of(EspCipher.AES_CBC, 128, EspIntegrity.HMAC_SHA256_128)),
            Map.entry("aes256-sha384", EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA384_192)),
            Map.entry("aes256-sha512", EspTransform.of(EspCipher.AES_CBC, 256, EspIntegrity.HMAC_SHA512_256)),
            Map.entry("gcm128", EspTransform.gcm(EspCipher.AES_GCM_16, 128)),
            Map.entry("gcm256", EspTransform.gcm(EspCipher.AES_GCM_16, 256)),
            Map.entry("gcm128-icv12", EspTransform.gcm(EspCipher.AES_GCM_12, 128)),
            Map.entry("gcm128-icv8", EspTransform.gcm(EspCipher.AES_GCM_8, 128)),
            Map.entry("null-sha1", EspTransform.of(EspCipher.NULL, 0, EspIntegrity.HMAC_SHA1_96)));

    private static final int RING = 1024;

    @Param({"3des-sha1", "3des-md5", "aes128-sha1", "aes192-sha1", "aes256-sha1", "aes128-md5", "aes128-sha256",
        "aes256-sha384", "aes256-sha512", "gcm128", "gcm256", "gcm128-icv12", "gcm128-icv8", "null-sha1"})
    public String transform;

    @Param({"64", "512", "1400"})
    public int size;

    private EspTransform t;
    private byte[] keymat;
    private byte[] inner;
    private byte[] out;
    private EspOutboundSa outbound;
    private EspInboundSa inbound;
    private byte[][] sealed;
    private int next;

    @Setup(Level.Trial)
    public void trial() {
        t = TRANSFORMS.get(transform);
        keymat = new byte[t.keymatLength()];
        Random random = new Random(1);
        random.nextBytes(keymat);
        inner = new byte[size];
        random.nextBytes(inner);
        inner[0] = 0x45;
        out = new byte[t.sealedLength(size) + 64];
        EspOutboundSa maker = EspOutboundSa.builder(1, t, keymat).build();
        sealed = new byte[RING][];
        for (int i = 0; i < RING; i++) {
            sealed[i] = new byte[t.sealedLength(size)];
            if (maker.seal(inner, 0, size, sealed[i], 0) != sealed[i].length) {
                throw new IllegalStateException("seal failed");
            }
        }
        // The ring of packets is opened over and over: the replay window is off here.
        inbound = EspInboundSa.builder(1, t, keymat).replayWindow(0).build();
    }

    @Setup(Level.Iteration)
    public void iteration() {
        outbound = EspOutboundSa.builder(1, t, keymat).build();
    }

    @Benchmark
    public int seal() {
        return outbound.seal(inner, 0, size, out, 0);
    }

    @Benchmark
    public int open() {
        byte[] p = sealed[next];
        next = (next + 1) & (RING - 1);
        return inbound.open(p, 0, p.length, out, 0);
    }

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length == 0 ? new String[] {EspBenchmark.class.getName()} : args);
    }
}
