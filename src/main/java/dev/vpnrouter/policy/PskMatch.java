package dev.vpnrouter.policy;

import java.util.Optional;

/**
 * A pre-shared key found for a peer: the key, where it came from ({@code keyring} empty for
 * {@code crypto isakmp key}), the prefix that matched (for hostname keys, {@link Subnet#ANY}) and whether Xauth is
 * skipped for it ({@code no-xauth}).
 */
public record PskMatch(String key, Optional<String> keyring, Subnet prefix, boolean noXauth) {
}
