package dev.vpnrouter.ike;

import dev.vpnrouter.common.Hex;
import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.ClientGroup;
import dev.vpnrouter.ike.cfg.IkeProposal;
import dev.vpnrouter.ike.cfg.LocalUser;
import dev.vpnrouter.ike.cfg.PresharedKey;
import dev.vpnrouter.ike.cfg.TrafficSelector;
import dev.vpnrouter.ike.cfg.VpnClientProfile;
import dev.vpnrouter.ike.crypto.HashAlgorithm;
import dev.vpnrouter.ike.crypto.IkeSaKeys;
import dev.vpnrouter.ike.crypto.IvChain;
import dev.vpnrouter.ike.crypto.JceCbcCipher;
import dev.vpnrouter.ike.wire.AttributePayload;
import dev.vpnrouter.ike.wire.EncryptedMessage;
import dev.vpnrouter.ike.wire.ExchangeType;
import dev.vpnrouter.ike.wire.IdPayload;
import dev.vpnrouter.ike.wire.IsakmpCodec;
import dev.vpnrouter.ike.wire.IsakmpDecodeException;
import dev.vpnrouter.ike.wire.KePayload;
import dev.vpnrouter.ike.wire.NoncePayload;
import dev.vpnrouter.ike.wire.PayloadChain;
import dev.vpnrouter.ike.wire.PayloadType;
import dev.vpnrouter.ike.wire.Phase1Attribute;
import dev.vpnrouter.ike.wire.PlainMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers from the seed capture: vpnc 0.5.3 against a strongSwan hub (IKE SA 4), Aggressive Mode, Xauth,
 * Mode Config pull, Quick Mode. Our hub engine is put where strongSwan was after AM2 (same cookies, nonces, DH
 * values and logged g^xy) and fed vpnc's real packets: it must accept vpnc's encrypted AM3 and, given the message
 * IDs strongSwan drew, produce strongSwan's Xauth REQUEST, STATUS and Mode Config REPLY byte for byte. Our client
 * engine, put where vpnc was, must answer the hub's messages as vpnc did.
 */
class VpncCaptureReplayTest {
    static final int SA = 4;
    static final int HUB = Ipv4.parse("203.0.113.2");
    static final int VPNC_NAT = Ipv4.parse("192.0.2.2");

    final SeedFrames cap = new SeedFrames();
    final PlainMessage am1 = plain(14);
    final PlainMessage am2 = plain(15);
    final byte[] gxi = am1.payloads().first(KePayload.class).orElseThrow().data();
    final byte[] gxr = am2.payloads().first(KePayload.class).orElseThrow().data();
    final byte[] ni = am1.payloads().first(NoncePayload.class).orElseThrow().data();
    final byte[] nr = am2.payloads().first(NoncePayload.class).orElseThrow().data();
    final IkeSaKeys keys = IkeSaKeys.fromPreSharedKey(HashAlgorithm.SHA1.prf(), HashAlgorithm.SHA1,
            JceCbcCipher.TRIPLE_DES_CBC, "cisco321".getBytes(StandardCharsets.US_ASCII), ni, nr,
            cap.logged(SA, "shared Diffie Hellman secret"), am1.header().initiatorCookieBytes(),
            am2.header().responderCookieBytes());
    final IkeProposal chosen = new IkeProposal(10, Phase1Attribute.Encryption.TRIPLE_DES_CBC, 0, HashAlgorithm.SHA1,
            Phase1Attribute.AuthMethod.XAUTH_INIT_PRESHARED, 2, 86_400);

    private PlainMessage plain(int frame) {
        try {
            return (PlainMessage) IsakmpCodec.decode(cap.isakmp(frame));
        } catch (IsakmpDecodeException e) {
            throw new AssertionError(e);
        }
    }

    private static int mid(byte[] isakmp) {
        return ((isakmp[20] & 0xff) << 24) | ((isakmp[21] & 0xff) << 16) | ((isakmp[22] & 0xff) << 8)
                | (isakmp[23] & 0xff);
    }

    /** The strongSwan hub's configuration for vpnc: the seed group plus the split network it sent. */
    private static TestPolicy strongSwanLikeHub() {
        TestPolicy p = TestPolicy.seedHub();
        p.users.put("gfullage", LocalUser.clear("gfullage", "labpass1")); // the lab's password
        p.applicationVersion = null; // strongSwan sends none
        ClientGroup g = p.groups.get("testgroup");
        p.groups.put("testgroup", new ClientGroup(g.name(), g.key(), g.dns(), g.wins(), g.domain(), g.pool(), 0, "101",
                List.of(TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0"))), List.of(),
                null, false, false, false, List.of(), 0, 0));
        return p;
    }

    /** The SA both sides hold after AM2, from the capture. */
    private IkeSa phase1Sa(IkeEngine engine, boolean initiator, int peer) {
        IkeSa sa = engine.newSa(initiator, am1.header().initiatorCookie(), peer, Datagram.IKE_PORT, 0);
        engine.setResponderCookie(sa, am2.header().responderCookie());
        Phase1Exchange am = initiator ? new AggressiveModeInitiator(engine, sa) : new AggressiveModeResponder(engine, sa);
        sa.proposal = chosen;
        sa.lifetimeSeconds = chosen.lifetimeSeconds();
        PayloadChain c1 = am1.payloads();
        byte[] idii = c1.rawBody(c1.types().indexOf(PayloadType.ID));
        am.resume(new PresharedKey("cisco321".getBytes(StandardCharsets.US_ASCII), "group testgroup", false),
                c1.rawBody(c1.types().indexOf(PayloadType.SA)), gxi, gxr, ni, nr);
        if (am instanceof AggressiveModeResponder responder) {
            responder.resumeWithPeerId(idii);
        }
        sa.keys = keys;
        sa.ivs.phase1(keys.phase1Iv(gxi, gxr));
        Phase1.processVendorIds(engine, sa, initiator ? am2.payloads() : c1);
        return sa;
    }

    private static List<byte[]> sent(IkeEngine engine) {
        List<byte[]> out = new ArrayList<>();
        for (IkeEffect e : engine.drain()) {
            if (e instanceof IkeEffect.Send s) {
                out.add(s.datagram().data());
            }
        }
        return out;
    }

    @Test
    void ourHubAnswersVpncExactlyAsStrongSwanDid() {
        TestPolicy policy = strongSwanLikeHub();
        ScriptedRandom random = new ScriptedRandom(1);
        IkeEngine hub = new IkeEngine(policy, HUB, random);
        hub.setDebug(true);
        IkeSa sa = phase1Sa(hub, false, VPNC_NAT);
        sa.profile = policy.profileFor(IdPayload.keyId("testgroup"), VPNC_NAT);
        RemoteAccess.session(sa).group = "testgroup";
        sa.ra.authenticationList = sa.profile.authenticationList();
        sa.xauthRequired = true;
        sa.state = IkeSa.State.IKE_R_AM2;

        // vpnc's AM3, encrypted, to port 4500: HASH_I verifies, phase 1 completes, Xauth starts.
        random.willReturnInt(mid(cap.isakmp(17)));
        hub.receive(cap.datagram(16), 1);
        assertThat(sa.state).isEqualTo(IkeSa.State.IKE_P1_COMPLETE);
        assertThat(hub.counters().authFailures).isZero();
        assertThat(sa.natPeer).isTrue();
        assertThat(sa.natLocal).isFalse(); // strongSwan got this one wrong: vpnc hashed the hub's port 500
        assertThat(sa.peerPort).isEqualTo(4500);
        List<byte[]> out = sent(hub);
        assertThat(out).hasSize(1);
        assertThat(Hex.of(out.getFirst())).as("Xauth REQUEST").isEqualTo(Hex.of(cap.isakmp(17)));

        // vpnc's user and password: STATUS ok.
        random.willReturnInt(mid(cap.isakmp(19)));
        hub.receive(cap.datagram(18), 2);
        out = sent(hub);
        assertThat(out).hasSize(1);
        assertThat(Hex.of(out.getFirst())).as("Xauth SET STATUS").isEqualTo(Hex.of(cap.isakmp(19)));
        assertThat(random.scriptUsed()).isTrue();

        // vpnc's ACK, then its Mode Config REQUEST: the same REPLY, 10.5.5.1 from the pool.
        hub.receive(cap.datagram(20), 3);
        assertThat(sa.xauthDone()).isTrue();
        assertThat(sent(hub)).isEmpty();
        hub.receive(cap.datagram(21), 4);
        out = sent(hub);
        assertThat(out).hasSize(1);
        assertThat(Hex.of(out.getFirst())).as("Mode Config REPLY").isEqualTo(Hex.of(cap.isakmp(22)));
        assertThat(hub.addressPool("ippool").isAllocated(Ipv4.parse("10.5.5.1"))).isTrue();

        // vpnc's Quick Mode: 12 proposals of one transform each; we take #6 (3DES/SHA), narrow 0.0.0.0/0 to the
        // split network and shorten 2147483 s to the crypto map's 3600 s.
        hub.receive(cap.datagram(23), 5);
        assertThat(sent(hub)).hasSize(1);
        QuickModeResponder qm = (QuickModeResponder) sa.quickModes.get(mid(cap.isakmp(23)));
        assertThat(qm).isNotNull();
        assertThat(qm.transform()).isEqualTo(TestPolicy.MYSET);
        assertThat(qm.local()).isEqualTo(TrafficSelector.subnet(Ipv4.parse("10.1.0.0"), Ipv4.parse("255.255.0.0")));
        assertThat(qm.remote()).isEqualTo(TrafficSelector.host(Ipv4.parse("10.5.5.1")));
        assertThat(qm.outboundSpi()).isEqualTo(0xa6f6f0a4);
        assertThat(qm.lifetimeSeconds()).isEqualTo(3600);
        assertThat(hub.counters().internalErrors).isZero();
        assertThat(hub.counters().malformed).isZero();
    }

    @Test
    void ourClientAnswersTheHubAsVpncDid() throws Exception {
        IkeEngine client = new IkeEngine(TestPolicy.client(), Ipv4.parse("192.168.0.2"), new ScriptedRandom(2));
        IkeSa sa = phase1Sa(client, true, HUB);
        sa.vpnClient = new VpnClientSession(VpnClientProfile.of(HUB, "testgroup",
                "cisco321".getBytes(StandardCharsets.US_ASCII), "gfullage", "labpass1"));
        sa.vpnClient.state = VpnClientSession.State.WAITING_FOR_XAUTH;
        // vpnc's AM3 ended phase 1; the IV chain continues from its last block.
        EncryptedMessage am3 = (EncryptedMessage) IsakmpCodec.decode(cap.isakmp(16));
        sa.ivs.phase1(sa.ivs.phase1().after(am3.body()));
        sa.state = IkeSa.State.IKE_P1_COMPLETE;
        sa.localPort = 4500;
        sa.peerPort = 4500;

        // The hub's Xauth REQUEST: our REPLY carries what vpnc's did. Same IV and same payloads mean the same
        // ciphertext for the 56 bytes vpnc sent; we add a block of padding where vpnc added none.
        client.receive(cap.datagram(17), 1);
        List<byte[]> out = sent(client);
        assertThat(out).hasSize(1);
        byte[] ours = out.getFirst();
        byte[] vpnc = cap.isakmp(18);
        assertThat(Hex.of(Arrays.copyOf(ours, vpnc.length)).substring(56))
                .isEqualTo(Hex.of(vpnc).substring(56)); // all but the header's length field
        assertThat(ours.length).isEqualTo(vpnc.length + 8);
        IvChain iv = keys.messageIv(sa.ivs.phase1(), mid(vpnc));
        iv = iv.after(((EncryptedMessage) IsakmpCodec.decode(cap.isakmp(17))).body());
        byte[] plain = keys.decrypt(iv, ((EncryptedMessage) IsakmpCodec.decode(ours)).body()).plaintext();
        AttributePayload reply = IsakmpCodec.decodePayloads(PayloadType.HASH, plain).first(AttributePayload.class)
                .orElseThrow();
        assertThat(reply.attribute(dev.vpnrouter.ike.wire.ConfigAttribute.XAUTH_USER_NAME).orElseThrow().text())
                .isEqualTo("gfullage");

        // The hub's STATUS ok: our ACK is vpnc's, byte for byte; then we pull Mode Config.
        client.receive(cap.datagram(19), 2);
        out = sent(client);
        assertThat(out).hasSize(2);
        assertThat(Hex.of(out.getFirst())).as("Xauth ACK").isEqualTo(Hex.of(cap.isakmp(20)));
        assertThat(sa.vpnClient.state).isEqualTo(VpnClientSession.State.MODE_CONFIG_REQUESTED);
        assertThat(client.counters().internalErrors).isZero();
    }

    @Test
    void strongSwansModeConfigReplyReadsAsTheSeedSettings() throws Exception {
        // Frame 22 decrypted with its exchange's IV chain (after vpnc's request, frame 21).
        EncryptedMessage am3 = (EncryptedMessage) IsakmpCodec.decode(cap.isakmp(16));
        IvChain phase1End = keys.phase1Iv(gxi, gxr).after(am3.body());
        IvChain iv = keys.messageIv(phase1End, mid(cap.isakmp(21)))
                .after(((EncryptedMessage) IsakmpCodec.decode(cap.isakmp(21))).body());
        byte[] plain = keys.decrypt(iv, ((EncryptedMessage) IsakmpCodec.decode(cap.isakmp(22))).body()).plaintext();
        AttributePayload reply = IsakmpCodec.decodePayloads(PayloadType.HASH, plain).first(AttributePayload.class)
                .orElseThrow();
        ClientConfig c = ModeConfigAttributes.decode(reply.attributes());
        assertThat(c.describe()).isEqualTo("address 10.5.5.1, DNS 1.1.1.1 2.2.2.2, WINS 3.3.3.3 4.4.4.4, "
                + "domain cisco.com, split networks 10.1.0.0/16");
    }
}
