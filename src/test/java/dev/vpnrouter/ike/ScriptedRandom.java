package dev.vpnrouter.ike;

import dev.vpnrouter.sim.SimRouter;

import java.security.SecureRandom;
import java.util.ArrayDeque;

/**
 * A deterministic SecureRandom whose next 4-byte draws (message IDs) can be scripted, so an engine replaying a
 * capture picks the same message IDs the captured peer did.
 */
final class ScriptedRandom extends SecureRandom {
    private final SecureRandom delegate;
    private final ArrayDeque<byte[]> script = new ArrayDeque<>();

    ScriptedRandom(long seed) {
        this.delegate = SimRouter.seededRandom(seed);
    }

    /** The next {@code nextInt()} returns {@code value}. */
    void willReturnInt(int value) {
        script.add(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    boolean scriptUsed() {
        return script.isEmpty();
    }

    @Override
    public void nextBytes(byte[] bytes) {
        // SecureRandom.next(bits), behind nextInt(), draws its bits through nextBytes.
        if (!script.isEmpty() && script.peek().length == bytes.length) {
            System.arraycopy(script.poll(), 0, bytes, 0, bytes.length);
        } else if (delegate != null) {
            delegate.nextBytes(bytes);
        }
    }
}
