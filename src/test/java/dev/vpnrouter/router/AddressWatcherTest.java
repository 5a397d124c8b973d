package dev.vpnrouter.router;

import dev.vpnrouter.common.Ipv4;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class AddressWatcherTest {
    private static final int A = Ipv4.parse("198.51.100.100");
    private static final int B = Ipv4.parse("198.51.100.150");
    private static final int C = Ipv4.parse("198.51.100.120");

    /** A runtime stand-in: records moves; each move completes only when the test says so. */
    private static final class FakeRuntime implements AddressWatcher.Target {
        int address = A;
        final List<Integer> moves = new CopyOnWriteArrayList<>();
        CompletableFuture<RouterRuntime.AddressChange> last;

        @Override
        public int address() {
            return address;
        }

        @Override
        public CompletableFuture<RouterRuntime.AddressChange> changeAddress(int newAddress) {
            moves.add(newAddress);
            last = new CompletableFuture<>();
            return last;
        }

        void finish(int newAddress) {
            int old = address;
            address = newAddress;
            last.complete(new RouterRuntime.AddressChange(old, newAddress, 1, 0, 2, true));
        }
    }

    private final FakeRuntime runtime = new FakeRuntime();
    private final List<String> log = new ArrayList<>();
    private List<Integer> onInterface = List.of(A);

    private AddressWatcher watcher() {
        return new AddressWatcher(runtime, "FastEthernet0/0", "out0", Duration.ofSeconds(1),
                name -> onInterface, log::add);
    }

    @Test
    void decisionStaysWhileTheCurrentAddressIsThereOrNoneIs() {
        assertThat(AddressWatcher.nextAddress(A, List.of(A))).isNull();
        assertThat(AddressWatcher.nextAddress(A, List.of(B, A))).as("a second address beside ours").isNull();
        assertThat(AddressWatcher.nextAddress(A, List.of())).as("between leases").isNull();
        assertThat(AddressWatcher.nextAddress(A, List.of(B, C))).isEqualTo(B);
    }

    @Test
    void movesOnceTheNewAddressHasBeenSeenTwice() {
        AddressWatcher w = watcher();
        w.poll();
        assertThat(runtime.moves).isEmpty();
        onInterface = List.of(B);
        w.poll();
        assertThat(runtime.moves).as("first sight: the DHCP script may not have set the route yet").isEmpty();
        w.poll();
        assertThat(runtime.moves).containsExactly(B);
        assertThat(log).anyMatch(l -> l.contains("198.51.100.100 -> 198.51.100.150"));
        w.poll();
        w.poll();
        assertThat(runtime.moves).as("no second move while the first is under way").containsExactly(B);
        runtime.finish(B);
        w.poll();
        w.poll();
        assertThat(runtime.moves).containsExactly(B);
    }

    @Test
    void aFlickeringAddressDoesNotMoveTheRouter() {
        AddressWatcher w = watcher();
        onInterface = List.of(B);
        w.poll();
        onInterface = List.of(C);
        w.poll();
        onInterface = List.of(A);
        w.poll();
        w.poll();
        assertThat(runtime.moves).isEmpty();
    }

    @Test
    void aFailedMoveIsRetried() {
        AddressWatcher w = watcher();
        onInterface = List.of(B);
        w.poll();
        w.poll();
        runtime.last.completeExceptionally(new IOException("UDP 198.51.100.150:500 is taken"));
        assertThat(log).anyMatch(l -> l.contains("cannot move to 198.51.100.150 (will retry)"));
        w.poll();
        w.poll();
        assertThat(runtime.moves).containsExactly(B, B);
    }

    @Test
    void losingTheAddressIsReportedOnceAndWaitedOut() {
        AddressWatcher w = watcher();
        onInterface = List.of();
        w.poll();
        w.poll();
        w.poll();
        assertThat(log).filteredOn(l -> l.contains("has no IPv4 address now")).hasSize(1);
        assertThat(runtime.moves).isEmpty();
        onInterface = List.of(A);
        w.poll();
        w.poll();
        assertThat(runtime.moves).as("the same lease came back").isEmpty();
    }

    @Test
    void unreadableInterfaceIsReportedOnceAndNotFatal() {
        AddressWatcher w = new AddressWatcher(runtime, "FastEthernet0/0", "out0", Duration.ofSeconds(1), name -> {
            throw new IOException("no such device");
        }, log::add);
        w.poll();
        w.poll();
        assertThat(log).containsExactly("vpnrouter: cannot read the addresses of out0: no such device");
    }

    @Test
    void theThreadPollsAndStopsOnClose() throws Exception {
        onInterface = List.of(B);
        try (AddressWatcher w = AddressWatcher.start(runtime, "FastEthernet0/0", "out0", Duration.ofMillis(20),
                name -> onInterface, log::add)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (runtime.moves.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(runtime.moves).containsExactly(B);
    }
}
