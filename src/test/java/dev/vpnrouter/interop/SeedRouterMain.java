package dev.vpnrouter.interop;

import dev.vpnrouter.common.Ipv4;
import dev.vpnrouter.ike.cfg.EnginePolicy;
import dev.vpnrouter.router.RouterDaemon;

import java.nio.file.Path;

/**
 * Our router as a process of its own, with a seed-equivalent policy: what {@code vpnrouter run --config hub.cfg
 * --interface FastEthernet0/0=out0} does once the config-to-policy adapter is merged (then tests start that
 * instead). Arguments: {@code hub LINUX_IF [KEYLOG]} or {@code spoke LINUX_IF HUB_ADDRESS [KEYLOG]}.
 */
public final class SeedRouterMain {
    private SeedRouterMain() {
    }

    public static void main(String[] args) {
        EnginePolicy policy;
        int next;
        switch (args[0]) {
            case "hub" -> {
                policy = SeedEnginePolicy.hub();
                next = 2;
            }
            case "spoke" -> {
                policy = SeedEnginePolicy.spoke(Ipv4.parse(args[2]));
                next = 3;
            }
            default -> throw new IllegalArgumentException("hub or spoke, not " + args[0]);
        }
        RouterDaemon.Options options = RouterDaemon.Options.defaults().withEngineDebug(true);
        if (args.length > next) {
            options = options.withKeyLog(Path.of(args[next]));
        }
        System.exit(RouterDaemon.run(policy, args[1], options, System.out));
    }
}
