package dev.vpnrouter.radius;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A RADIUS server on 127.0.0.1 for tests that need no root: it checks the User-Password of an Access-Request
 * against its users and answers Accept (with the user's reply attributes) or Reject, signed with its secret;
 * answers Accounting-Requests. While {@link #hold()} is in force it receives but answers nothing until released;
 * {@link #silent} drops everything. Records where each request came from.
 */
public final class LoopbackRadiusServer implements AutoCloseable {
    public record User(String password, List<Attribute> reply) {
    }

    private final DatagramSocket socket;
    private final byte[] secret;
    private final Thread thread;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    /** The source port and User-Name of each request received. */
    public final List<String> received = new CopyOnWriteArrayList<>();
    public final List<Integer> sourcePorts = new CopyOnWriteArrayList<>();
    /** Each request's Service-Type, -1 when it carried none. */
    public final List<Long> serviceTypes = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch release = new CountDownLatch(0);
    private volatile CountDownLatch arrived = new CountDownLatch(1);
    public volatile boolean silent;

    public LoopbackRadiusServer(String secret) throws SocketException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofPlatform().daemon().name("loopback-radius").start(this::serve);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public LoopbackRadiusServer user(String name, String password, Attribute... reply) {
        users.put(name, new User(password, List.of(reply)));
        return this;
    }

    /** From now on requests wait for {@link #releaseHeld()}; {@link #awaitArrival} sees the first arrive. */
    public void hold() {
        release = new CountDownLatch(1);
        arrived = new CountDownLatch(1);
    }

    public boolean awaitArrival(long millis) throws InterruptedException {
        return arrived.await(millis, TimeUnit.MILLISECONDS);
    }

    public void releaseHeld() {
        release.countDown();
    }

    private void serve() {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket in = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(in);
                byte[] data = Arrays.copyOf(in.getData(), in.getLength());
                RadiusPacket request = RadiusPacket.decode(data, data.length);
                Attribute name = request.first(Attribute.USER_NAME);
                received.add(name == null ? "" : new String(name.value(), StandardCharsets.UTF_8));
                sourcePorts.add(in.getPort());
                Attribute service = request.first(Attribute.SERVICE_TYPE);
                serviceTypes.add(service == null ? -1L : service.asInteger());
                arrived.countDown();
                if (silent) {
                    continue;
                }
                release.await(30, TimeUnit.SECONDS);
                byte[] answer;
                if (request.code() == RadiusPacket.ACCOUNTING_REQUEST) {
                    answer = RadiusPacket.response(RadiusPacket.ACCOUNTING_RESPONSE, request.identifier(),
                            request.authenticator(), List.of(), secret);
                } else {
                    User u = name == null ? null : users.get(new String(name.value(), StandardCharsets.UTF_8));
                    Attribute hidden = request.first(Attribute.USER_PASSWORD);
                    byte[] revealed = hidden == null ? null : RadiusPacket.revealPassword(hidden.value(), secret,
                            request.authenticator());
                    String password = revealed == null ? null : new String(revealed, StandardCharsets.UTF_8);
                    boolean ok = u != null && u.password().equals(password);
                    answer = RadiusPacket.response(ok ? RadiusPacket.ACCESS_ACCEPT : RadiusPacket.ACCESS_REJECT,
                            request.identifier(), request.authenticator(), ok ? u.reply() : List.of(), secret);
                }
                socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
            } catch (IOException | RadiusDecodeException e) {
                if (socket.isClosed()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
        release.countDown();
    }
}
