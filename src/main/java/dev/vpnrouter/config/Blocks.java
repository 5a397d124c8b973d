package dev.vpnrouter.config;

import dev.vpnrouter.config.SourceMap.Where;
import dev.vpnrouter.config.model.AccessList;
import dev.vpnrouter.config.model.AclEntry;
import dev.vpnrouter.config.model.ClientGroup;
import dev.vpnrouter.config.model.DhGroupId;
import dev.vpnrouter.config.model.EspCipher;
import dev.vpnrouter.config.model.EspIntegrity;
import dev.vpnrouter.config.model.IkeAuthentication;
import dev.vpnrouter.config.model.IkeEncryption;
import dev.vpnrouter.config.model.IkeHash;
import dev.vpnrouter.config.model.Interface;
import dev.vpnrouter.config.model.InterfaceAddress;
import dev.vpnrouter.config.model.IpsecMode;
import dev.vpnrouter.config.model.IsakmpPolicy;
import dev.vpnrouter.config.model.IsakmpProfile;
import dev.vpnrouter.config.model.Keyring;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.MapPeer;
import dev.vpnrouter.config.model.MatchIdentity;
import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.RadiusServer;
import dev.vpnrouter.config.model.TransformSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Mutable builders for the configuration blocks while a file is read. A block re-entered later in the file (as
 * IOS allows) continues the same builder; records are built once, at the end.
 */
final class Blocks {
    private Blocks() {
    }

    /** A block's header position and the positions of the fields later lines set (for diagnostics). */
    abstract static class Block {
        final Where at;
        private final Map<String, Where> fields = new HashMap<>();

        Block(Where at) {
            this.at = at;
        }

        void mark(String field, Where where) {
            fields.put(field, where);
        }

        <T> T register(SourceMap source, T built) {
            source.put(built, at);
            fields.forEach((f, w) -> source.put(built, f, w));
            return built;
        }
    }

    /** The lines under an out-of-scope header ({@code router ospf 1}): kept, printed back, noted. */
    static final class OutOfScopeBlock extends Block {
        /** Where the header sits in the context's passive lines (they are only appended while reading). */
        final int index;
        final List<String> body = new ArrayList<>();
        /** The sub-mode IOS names in the prompt under this header, e.g. config-router. */
        final String prompt;

        OutOfScopeBlock(Where at, int index, String prompt) {
            super(at);
            this.index = index;
            this.prompt = prompt;
        }
    }

    static final class KeyringBlock extends Block {
        final String name;
        Optional<String> description = Optional.empty();
        /** Keyed by peer (address/mask or hostname): a second key for the same peer replaces the first. */
        final Map<Object, PreSharedKey> keys = new LinkedHashMap<>();

        KeyringBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        Keyring build(SourceMap s) {
            return register(s, new Keyring(name, description, List.copyOf(keys.values())));
        }
    }

    static final class PolicyBlock extends Block {
        final int priority;
        IkeEncryption encryption;
        IkeHash hash;
        IkeAuthentication authentication;
        DhGroupId group;
        int lifetime;

        /** Opens a policy with the IOS defaults, from {@link IsakmpPolicy#defaults}. */
        PolicyBlock(Where at, int priority) {
            super(at);
            this.priority = priority;
            reset(IsakmpPolicy.defaults(priority));
        }

        void reset(IsakmpPolicy d) {
            encryption = d.encryption();
            hash = d.hash();
            authentication = d.authentication();
            group = d.group();
            lifetime = d.lifetimeSeconds();
        }

        IsakmpPolicy build(SourceMap s) {
            return register(s, new IsakmpPolicy(priority, encryption, hash, authentication, group, lifetime));
        }
    }

    static final class ProfileBlock extends Block {
        final String name;
        Optional<String> description = Optional.empty();
        Optional<String> keyring = Optional.empty();
        final List<MatchIdentity> matches = new ArrayList<>();
        Optional<IsakmpProfile.SelfIdentity> selfIdentity = Optional.empty();
        Optional<String> clientAuthenticationList = Optional.empty();
        Optional<String> isakmpAuthorizationList = Optional.empty();
        Optional<String> clientAccountingList = Optional.empty();
        boolean respond;
        boolean initiate;
        boolean initiateAggressive;
        Optional<IsakmpProfile.Keepalive> keepalive = Optional.empty();

        ProfileBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        IsakmpProfile build(SourceMap s) {
            return register(s, new IsakmpProfile(name, description, keyring, matches, selfIdentity,
                    clientAuthenticationList, isakmpAuthorizationList, clientAccountingList, respond, initiate, initiateAggressive,
                    keepalive));
        }
    }

    static final class GroupBlock extends Block {
        final String name;
        Optional<String> key = Optional.empty();
        List<Integer> dns = List.of();
        List<Integer> wins = List.of();
        Optional<String> domain = Optional.empty();
        Optional<String> pool = Optional.empty();
        Optional<String> acl = Optional.empty();
        final List<String> splitDns = new ArrayList<>();
        Optional<String> banner = Optional.empty();
        boolean savePassword;
        boolean includeLocalLan;
        boolean pfs;
        final List<String> backupGateways = new ArrayList<>();
        OptionalInt maxUsers = OptionalInt.empty();
        OptionalInt maxLogins = OptionalInt.empty();
        OptionalInt netmask = OptionalInt.empty();

        GroupBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        ClientGroup build(SourceMap s) {
            return register(s, new ClientGroup(name, key, dns, wins, domain, pool, acl, splitDns, banner,
                    savePassword, includeLocalLan, pfs, backupGateways, maxUsers, maxLogins, netmask));
        }
    }

    static final class TransformBlock extends Block {
        final String name;
        Optional<EspCipher> cipher = Optional.empty();
        Optional<EspIntegrity> integrity = Optional.empty();
        IpsecMode mode = IpsecMode.TUNNEL;

        TransformBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        TransformSet build(SourceMap s) {
            return register(s, new TransformSet(name, cipher, integrity, mode));
        }
    }

    static final class MapEntryBlock extends Block {
        final String map;
        final int sequence;
        final boolean inDynamicMap;
        Optional<String> dynamicMap = Optional.empty();
        Optional<String> description = Optional.empty();
        final List<MapPeer> peers = new ArrayList<>();
        List<String> transformSets = List.of();
        Optional<String> isakmpProfile = Optional.empty();
        Optional<DhGroupId> pfs = Optional.empty();
        OptionalInt lifetimeSeconds = OptionalInt.empty();
        OptionalLong lifetimeKilobytes = OptionalLong.empty();
        Optional<String> matchAddress = Optional.empty();
        boolean reverseRoute;

        MapEntryBlock(Where at, String map, int sequence, boolean inDynamicMap) {
            super(at);
            this.map = map;
            this.sequence = sequence;
            this.inDynamicMap = inDynamicMap;
        }

        /** "crypto map mymap 10" or "crypto dynamic-map dynmap 5", for messages. */
        String title() {
            return (inDynamicMap ? "crypto dynamic-map " : "crypto map ") + map + " " + sequence;
        }

        MapEntry build(SourceMap s) {
            return register(s, new MapEntry(sequence, dynamicMap, description, peers, transformSets, isakmpProfile,
                    pfs, lifetimeSeconds, lifetimeKilobytes, matchAddress, reverseRoute));
        }
    }

    static final class InterfaceBlock extends Block {
        final String name;
        Optional<String> description = Optional.empty();
        InterfaceAddress address = InterfaceAddress.NONE;
        final List<InterfaceAddress.Static> secondaries = new ArrayList<>();
        boolean shutdown;
        Optional<String> cryptoMap = Optional.empty();
        final List<PassiveLine> passive = new ArrayList<>();

        InterfaceBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        Interface build(SourceMap s) {
            return register(s, new Interface(name, description, address, secondaries, shutdown, cryptoMap, passive));
        }
    }

    static final class AclBlock extends Block {
        final String name;
        final AccessList.Kind kind;
        final boolean named;
        /** Entries by sequence number; numbered lists and unnumbered lines get the next multiple of 10. */
        final java.util.TreeMap<Long, AclEntry> entries = new java.util.TreeMap<>();

        AclBlock(Where at, String name, AccessList.Kind kind, boolean named) {
            super(at);
            this.name = name;
            this.kind = kind;
            this.named = named;
        }

        void add(OptionalInt sequence, AclEntry entry) {
            long seq = sequence.isPresent() ? sequence.getAsInt() : (entries.isEmpty() ? 0 : entries.lastKey()) / 10 * 10 + 10;
            entries.put(seq, entry);
        }

        AccessList build(SourceMap s) {
            return register(s, new AccessList(name, kind, named, List.copyOf(entries.values())));
        }
    }

    static final class LineBuilder extends Block {
        final LineBlock.Kind kind;
        final int first;
        final int last;
        Optional<Password> password = Optional.empty();
        Optional<LineBlock.Login> login = Optional.empty();
        Optional<LineBlock.AccessClass> accessClassIn = Optional.empty();
        Optional<java.util.Set<String>> transportInput = Optional.empty();
        Optional<LineBlock.ExecTimeout> execTimeout = Optional.empty();
        Optional<LineBlock.SessionTimeout> sessionTimeout = Optional.empty();
        final List<PassiveLine> passive = new ArrayList<>();

        LineBuilder(Where at, LineBlock.Kind kind, int first, int last) {
            super(at);
            this.kind = kind;
            this.first = first;
            this.last = last;
        }

        LineBlock build(SourceMap s) {
            return register(s, new LineBlock(kind, first, last, password, login, accessClassIn, transportInput,
                    execTimeout, sessionTimeout, passive));
        }
    }

    /** {@code aaa group server radius NAME}: its members, in order. */
    static final class RadiusGroupBlock extends Block {
        final String name;
        final List<dev.vpnrouter.config.model.Radius.Member> members = new ArrayList<>();

        RadiusGroupBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        dev.vpnrouter.config.model.Radius.RadiusGroup build(SourceMap s) {
            return register(s, new dev.vpnrouter.config.model.Radius.RadiusGroup(name, members));
        }
    }

    static final class RadiusBlock extends Block {
        final String name;
        int address;
        int authPort = RadiusServer.DEFAULT_AUTH_PORT;
        int acctPort = RadiusServer.DEFAULT_ACCT_PORT;
        Optional<String> key = Optional.empty();

        RadiusBlock(Where at, String name) {
            super(at);
            this.name = name;
        }

        RadiusServer build(SourceMap s) {
            return register(s, new RadiusServer(Optional.of(name), address, authPort, acctPort, key));
        }
    }
}
