package dev.vpnrouter.config;

import dev.vpnrouter.config.Blocks.AclBlock;
import dev.vpnrouter.config.Blocks.Block;
import dev.vpnrouter.config.Blocks.GroupBlock;
import dev.vpnrouter.config.Blocks.InterfaceBlock;
import dev.vpnrouter.config.Blocks.KeyringBlock;
import dev.vpnrouter.config.Blocks.LineBuilder;
import dev.vpnrouter.config.Blocks.MapEntryBlock;
import dev.vpnrouter.config.Blocks.OutOfScopeBlock;
import dev.vpnrouter.config.Blocks.PolicyBlock;
import dev.vpnrouter.config.Blocks.ProfileBlock;
import dev.vpnrouter.config.Blocks.RadiusBlock;
import dev.vpnrouter.config.Blocks.TransformBlock;
import dev.vpnrouter.config.SourceMap.Where;
import dev.vpnrouter.config.model.Aaa;
import dev.vpnrouter.config.model.AaaMethodList;
import dev.vpnrouter.config.model.CryptoMap;
import dev.vpnrouter.config.model.DynamicMap;
import dev.vpnrouter.config.model.IpLocalPool;
import dev.vpnrouter.config.model.IpsecGlobals;
import dev.vpnrouter.config.model.IsakmpGlobals;
import dev.vpnrouter.config.model.LineBlock;
import dev.vpnrouter.config.model.LocalUser;
import dev.vpnrouter.config.model.Logging;
import dev.vpnrouter.config.model.MapEntry;
import dev.vpnrouter.config.model.PassiveLine;
import dev.vpnrouter.config.model.Password;
import dev.vpnrouter.config.model.PreSharedKey;
import dev.vpnrouter.config.model.Radius;
import dev.vpnrouter.config.model.RadiusServer;
import dev.vpnrouter.config.model.RouterConfig;
import dev.vpnrouter.config.model.StaticRoute;
import dev.vpnrouter.config.secret.Type7;
import dev.vpnrouter.config.syntax.Args;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The state commands act on while one file is read: the current mode and block, the global settings and the
 * block builders, diagnostics and source positions. Built into an immutable {@link RouterConfig} at the end.
 */
final class ParseContext {
    final SourceMap source = new SourceMap();
    final List<Diagnostic> diagnostics = new ArrayList<>();
    int line;
    String lineText = "";
    Mode mode = Mode.GLOBAL;
    Block block;
    /** Indentation of the line that entered the current sub-mode (-1 at global level). */
    int modeIndent = -1;

    Optional<String> hostname = Optional.empty();
    boolean passwordEncryption;
    Optional<Password> enableSecret = Optional.empty();
    Optional<dev.vpnrouter.config.model.LoginBlock> loginBlock = Optional.empty();
    Optional<Password> enablePassword = Optional.empty();
    final Map<String, LocalUser> users = new LinkedHashMap<>();
    final Map<String, Where> userAt = new LinkedHashMap<>();
    boolean aaaNewModel;
    final Map<String, AaaMethodList> authenticationLogin = new LinkedHashMap<>();
    final Map<String, AaaMethodList> authorizationNetwork = new LinkedHashMap<>();
    final Map<String, AaaMethodList> accountingNetwork = new LinkedHashMap<>();
    int accountingPeriodicMinutes;
    boolean accountingNewinfo;
    final Map<Integer, RadiusServer> radiusHosts = new LinkedHashMap<>();
    final Map<String, RadiusBlock> radiusServers = new LinkedHashMap<>();
    Optional<String> radiusKey = Optional.empty();
    int radiusTimeout = Radius.DEFAULT_TIMEOUT_SECONDS;
    int radiusRetransmits = Radius.DEFAULT_RETRANSMITS;
    int radiusDeadtime;
    final Map<String, Blocks.RadiusGroupBlock> radiusGroups = new LinkedHashMap<>();
    Optional<String> radiusSourceInterface = Optional.empty();
    final Map<String, KeyringBlock> keyrings = new LinkedHashMap<>();
    final TreeMap<Integer, PolicyBlock> policies = new TreeMap<>();
    final Map<Object, PreSharedKey> isakmpKeys = new LinkedHashMap<>();
    IsakmpGlobals.Identity identity = IsakmpGlobals.Identity.ADDRESS;
    Optional<IsakmpGlobals.Keepalive> keepalive = Optional.empty();
    OptionalInt natKeepalive = OptionalInt.empty();
    boolean aggressiveModeDisabled;
    OptionalInt xauthTimeout = OptionalInt.empty();
    OptionalInt inNegotiationLimit = OptionalInt.empty();
    boolean loggingOn = Logging.DEFAULT.on();
    Optional<dev.vpnrouter.syslog.Severity> loggingConsole = Logging.DEFAULT.console();
    Optional<Logging.Buffer> loggingBuffer = Logging.DEFAULT.buffer();
    Optional<dev.vpnrouter.syslog.Severity> loggingTrap = Logging.DEFAULT.trap();
    boolean loggingRfc5424;
    dev.vpnrouter.syslog.SyslogFacility loggingFacility = Logging.DEFAULT.facility();
    Optional<String> loggingSourceInterface = Optional.empty();
    /** By address: a host configured again replaces its port, as on IOS. */
    final Map<Integer, Logging.Host> loggingHosts = new LinkedHashMap<>();
    final Map<String, GroupBlock> groups = new LinkedHashMap<>();
    final Map<String, ProfileBlock> profiles = new LinkedHashMap<>();
    final Map<String, TransformBlock> transformSets = new LinkedHashMap<>();
    int ipsecLifetimeSeconds = IpsecGlobals.DEFAULT_SECONDS;
    long ipsecLifetimeKilobytes = IpsecGlobals.DEFAULT_KILOBYTES;
    final Map<String, TreeMap<Integer, MapEntryBlock>> dynamicMaps = new LinkedHashMap<>();
    final Map<String, TreeMap<Integer, MapEntryBlock>> cryptoMaps = new LinkedHashMap<>();
    final Map<String, InterfaceBlock> interfaces = new LinkedHashMap<>();
    final List<IpLocalPool> pools = new ArrayList<>();
    final Map<String, AclBlock> accessLists = new LinkedHashMap<>();
    final Map<Object, StaticRoute> routes = new LinkedHashMap<>();
    final Map<String, LineBuilder> lines = new LinkedHashMap<>();
    final List<PassiveLine> passive = new ArrayList<>();
    final Map<String, OutOfScopeBlock> outOfScope = new LinkedHashMap<>();

    // ---- helpers for command actions

    Where where(Args a) {
        return new Where(line, a.startColumn());
    }

    Where where(Args a, String name) {
        return new Where(line, a.column(name));
    }

    void error(int column, String message) {
        diagnostics.add(new Diagnostic(Severity.ERROR, line, column, message, lineText));
    }

    void warning(int column, String message) {
        diagnostics.add(new Diagnostic(Severity.WARNING, line, column, message, lineText));
    }

    /** Records where a per-line element (a key, an ACL entry, ...) came from, with every argument's column. */
    <T> T place(T element, Args a) {
        source.put(element, where(a));
        return element;
    }

    void enter(Mode m, Block b) {
        mode = m;
        block = b;
        modeIndent = m == Mode.GLOBAL ? -1 : IosParser.indentation(lineText);
    }

    /** The current mode's name in the prompt. */
    String prompt() {
        return mode == Mode.OUT_OF_SCOPE ? block(OutOfScopeBlock.class).prompt : mode.prompt();
    }

    <B extends Block> B block(Class<B> type) {
        return type.cast(block);
    }

    /** Keeps a line that is accepted but not acted on, in the current block or globally. */
    void passive(Args a, PassiveLine.Placement placement) {
        passive(a, a.canonical(), placement);
    }

    void passive(Args a, String text, PassiveLine.Placement placement) {
        if (mode == Mode.INTERFACE) {
            block(InterfaceBlock.class).passive.add(place(new PassiveLine(text, PassiveLine.Placement.BLOCK), a));
        } else if (mode == Mode.LINE) {
            block(LineBuilder.class).passive.add(place(new PassiveLine(text, PassiveLine.Placement.BLOCK), a));
        } else {
            passive.add(place(new PassiveLine(text, placement), a));
        }
    }

    /**
     * Keeps the header of a feature vpnrouter does not implement, and the lines indented deeper that follow it. The
     * same header again continues its block, as IOS re-enters {@code router ospf 1}.
     */
    void outOfScope(Args a, PassiveLine.Placement placement, String prompt) {
        String header = a.canonical();
        OutOfScopeBlock b = outOfScope.get(header);
        if (b == null) {
            passive(a, placement);
            b = new OutOfScopeBlock(where(a), passive.size() - 1, prompt);
            outOfScope.put(header, b);
        }
        enter(Mode.OUT_OF_SCOPE, b);
    }

    /**
     * A one-line command of a feature vpnrouter does not implement, or its {@code no} form: the later one wins, as
     * on IOS. {@code X} replaces a kept {@code no X}; {@code no X} takes a kept {@code X} away, and is kept itself
     * only when there was none (a default turned off, such as {@code no ip routing}).
     */
    void outOfScopeCommand(Args a, PassiveLine.Placement placement) {
        String text = a.canonical();
        boolean negated = text.startsWith("no ");
        String opposite = negated ? text.substring("no ".length()) : "no " + text;
        if (mode == Mode.GLOBAL && !outOfScope.containsKey(opposite)) {
            for (int i = passive.size() - 1; i >= 0; i--) {
                PassiveLine p = passive.get(i);
                if (p != null && p.text().equals(opposite)) {
                    passive.set(i, null); // as removeOutOfScope: the blocks' indices stay valid
                    if (negated) {
                        return;
                    }
                    break;
                }
            }
        }
        passive(a, placement);
    }

    /** {@code no HEADER}: the block goes, with its lines. */
    void removeOutOfScope(String header) {
        OutOfScopeBlock b = outOfScope.remove(header);
        if (b != null) {
            passive.set(b.index, null); // indices of the others stay valid; dropped in build()
        }
    }

    /**
     * An indented line under an out-of-scope header, as written less the tokenizer's trailing blanks: exactly those
     * (stripTrailing would also take a control character the tokenizer reads as a word, and the line would come
     * back empty; spaces and tabs alone would keep a CR that the next load strips: two fuzzing findings).
     */
    void outOfScopeLine(String text) {
        block(OutOfScopeBlock.class).body.add(dev.vpnrouter.config.syntax.Tokenizer.trimEnd(text, 0));
    }

    /**
     * A password as IOS stores it: with {@code service password-encryption}, clear passwords are kept type 7
     * (applied at the end, as the service encrypts passwords entered before it too).
     */
    Password stored(Password p) {
        if (passwordEncryption && p instanceof Password.Clear(String text)) {
            return new Password.Type7Encoded(Type7.encode(text));
        }
        return p;
    }

    // ---- the immutable result

    RouterConfig build() {
        List<LocalUser> userList = new ArrayList<>();
        users.forEach((name, u) -> {
            LocalUser built = new LocalUser(u.name(), u.privilege(), stored(u.password()));
            source.put(built, userAt.get(name));
            userList.add(built);
        });
        List<RadiusServer> radius = new ArrayList<>(radiusHosts.values());
        radiusServers.values().forEach(r -> radius.add(r.build(source)));
        for (OutOfScopeBlock b : outOfScope.values()) {
            if (!b.body.isEmpty()) {
                PassiveLine header = passive.get(b.index);
                PassiveLine whole = new PassiveLine(header.text(), header.placement(), b.body);
                source.put(whole, source.at(header));
                passive.set(b.index, whole);
            }
        }
        passive.removeIf(java.util.Objects::isNull);
        // Kept in running-config order: by placement, file order within one placement (a stable sort).
        passive.sort(java.util.Comparator.comparing(PassiveLine::placement));
        List<LineBlock> lineList = new ArrayList<>();
        for (LineBuilder l : lines.values()) {
            l.password = l.password.map(this::stored);
            lineList.add(l.build(source));
        }
        return new RouterConfig(hostname, passwordEncryption, enableSecret, enablePassword.map(this::stored),
                userList, new Aaa(aaaNewModel, List.copyOf(authenticationLogin.values()),
                List.copyOf(authorizationNetwork.values()), List.copyOf(accountingNetwork.values()),
                accountingPeriodicMinutes, accountingNewinfo),
                new Radius(radius, radiusKey, radiusTimeout, radiusRetransmits, radiusDeadtime,
                        map(radiusGroups.values(), g -> g.build(source)), radiusSourceInterface),
                map(keyrings.values(), k -> k.build(source)),
                map(policies.values(), p -> p.build(source)),
                List.copyOf(isakmpKeys.values()),
                new IsakmpGlobals(identity, keepalive, natKeepalive, aggressiveModeDisabled, xauthTimeout,
                        inNegotiationLimit),
                map(groups.values(), g -> g.build(source)),
                map(profiles.values(), p -> p.build(source)),
                map(transformSets.values(), t -> t.build(source)),
                new IpsecGlobals(ipsecLifetimeSeconds, ipsecLifetimeKilobytes),
                dynamicMaps.entrySet().stream().map(e -> register(new DynamicMap(e.getKey(), entries(e.getValue())),
                        e.getValue())).toList(),
                cryptoMaps.entrySet().stream().map(e -> register(new CryptoMap(e.getKey(), entries(e.getValue())),
                        e.getValue())).toList(),
                map(interfaces.values(), i -> i.build(source)),
                pools,
                map(accessLists.values(), a -> a.build(source)),
                List.copyOf(routes.values()),
                lineList,
                loginBlock,
                new dev.vpnrouter.config.model.Logging(loggingOn, loggingConsole, loggingBuffer, loggingTrap,
                        loggingRfc5424, loggingFacility, loggingSourceInterface, List.copyOf(loggingHosts.values())),
                passive);
    }

    private List<MapEntry> entries(TreeMap<Integer, MapEntryBlock> blocks) {
        return map(blocks.values(), b -> b.build(source));
    }

    /** A map is located at its first entry. */
    private <T> T register(T map, TreeMap<Integer, MapEntryBlock> blocks) {
        Where first = blocks.values().stream().map(b -> b.at).min((x, y) -> Integer.compare(x.line(), y.line()))
                .orElse(Where.NONE);
        source.put(map, first);
        return map;
    }

    private static <A, B> List<B> map(java.util.Collection<A> in, Function<A, B> f) {
        List<B> out = new ArrayList<>(in.size());
        for (A a : in) {
            out.add(f.apply(a));
        }
        return out;
    }
}
