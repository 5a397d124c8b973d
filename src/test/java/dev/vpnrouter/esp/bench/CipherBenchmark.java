package dev.vpnrouter.esp.bench;

import dev.vpnrouter.esp.TripleDes;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Our 3DES against the JDK's DESede, CBC over 1400 bytes (one packet's worth). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CipherBenchmark {
    private static final int LEN = 1400;
    private final byte[] in = new byte[LEN];
    private final byte[] out = new byte[LEN];
    private TripleDes ours;
    private Cipher jdkEncrypt;
    private Cipher jdkDecrypt;

    @Setup
    public void setup() throws Exception {
        byte[] key = new byte[24];
        Random random = new Random(1);
        random.nextBytes(key);
        random.nextBytes(in);
        ours = new TripleDes(key);
        jdkEncrypt = Cipher.getInstance("DESede/CBC/NoPadding");
        jdkEncrypt.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DESede"), new IvParameterSpec(new byte[8]));
        jdkDecrypt = Cipher.getInstance("DESede/CBC/NoPadding");
        jdkDecrypt.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "DESede"), new IvParameterSpec(new byte[8]));
    }

    @Benchmark
    public byte[] ours3desEncrypt() {
        ours.encryptCbc(in, 0, LEN, out, 0);
        return out;
    }

    @Benchmark
    public byte[] ours3desDecrypt() {
        ours.decryptCbc(in, 0, LEN, out, 0);
        return out;
    }

    @Benchmark
    public byte[] jdk3desEncrypt() throws Exception {
        jdkEncrypt.update(in, 0, LEN, out, 0);
        return out;
    }

    @Benchmark
    public byte[] jdk3desDecrypt() throws Exception {
        jdkDecrypt.update(in, 0, LEN, out, 0);
        return out;
    }
}
