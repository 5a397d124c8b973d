package dev.vpnrouter.ike.crypto;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import javax.crypto.interfaces.DHPublicKey;
import javax.crypto.spec.DHParameterSpec;
import javax.crypto.spec.DHPublicKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One responder's DH work per IKE SA: generate a key pair and agree with the peer's public value. Not a test;
 * run with JMH (command in docs/benchmarks.md). The "jce" variants do the same MODP work through the JDK's
 * "DH" KeyPairGenerator/KeyAgreement, to justify calling BigInteger.modPow directly.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DhBenchmark {
    /** Our groups; "-full" is the same MODP group with a full-size private exponent. */
    @State(Scope.Thread)
    public static class Ours {
        @Param({"modp1024", "modp1024-full", "modp2048", "modp2048-full", "ecp256", "ecp384"})
        public String group;

        DhGroup dh;
        byte[] peer;
        final SecureRandom random = new SecureRandom();

        @Setup
        public void setup() {
            dh = switch (group) {
                case "modp1024" -> ModpGroup.MODP_1024;
                case "modp1024-full" -> ModpGroup.MODP_1024.withFullExponent();
                case "modp2048" -> ModpGroup.MODP_2048;
                case "modp2048-full" -> ModpGroup.MODP_2048.withFullExponent();
                case "ecp256" -> EcpGroup.ECP_256;
                case "ecp384" -> EcpGroup.ECP_384;
                default -> throw new IllegalArgumentException(group);
            };
            peer = dh.generateKeyPair(random).publicValue();
        }
    }

    @Benchmark
    public byte[] keygenAndAgree(Ours s) throws CryptoException {
        return s.dh.generateKeyPair(s.random).sharedSecret(s.peer);
    }

    /** The same MODP work through JCE "DH", with the private value length set like ours (0 = JDK default). */
    @State(Scope.Thread)
    public static class Jce {
        @Param({"modp1024:256", "modp1024:0", "modp2048:256", "modp2048:0"})
        public String variant;

        KeyPairGenerator generator;
        PublicKey peer;
        DHParameterSpec spec;
        final SecureRandom random = new SecureRandom();

        @Setup
        public void setup() throws Exception {
            String[] v = variant.split(":");
            BigInteger p = ((ModpGroup) DhGroup.byId(v[0].equals("modp1024") ? 2 : 14).orElseThrow()).prime();
            int l = Integer.parseInt(v[1]);
            spec = l == 0 ? new DHParameterSpec(p, BigInteger.TWO) : new DHParameterSpec(p, BigInteger.TWO, l);
            generator = KeyPairGenerator.getInstance("DH");
            generator.initialize(spec, random);
            peer = generator.generateKeyPair().getPublic();
        }
    }

    @Benchmark
    public byte[] jceKeygenAndAgree(Jce jce) throws Exception {
        KeyPair ours = jce.generator.generateKeyPair();
        // A real engine starts from the peer's KE bytes, so include decoding them into a key.
        BigInteger y = ((DHPublicKey) jce.peer).getY();
        PublicKey peerKey = KeyFactory.getInstance("DH").generatePublic(new DHPublicKeySpec(y, jce.spec.getP(),
                jce.spec.getG()));
        KeyAgreement agreement = KeyAgreement.getInstance("DH");
        agreement.init(ours.getPrivate());
        agreement.doPhase(peerKey, true);
        return agreement.generateSecret();
    }
}
