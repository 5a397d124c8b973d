package dev.vpnrouter.interop;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class that needs root (network namespaces, TUN, raw sockets) or a real peer program (strongSwan, vpnc,
 * tshark, ...). {@code ./mvnw -B verify} leaves these out so it passes on any machine with a JDK;
 * {@code sudo ./mvnw -B verify -Pinterop} runs them with everything else, and there they fail, never skip, when
 * root or a peer is missing ({@link Prerequisites}). {@code InteropTagTest} fails the build when a test class
 * that uses this package's harness lacks the annotation, or carries it without using the harness.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(Interop.TAG)
public @interface Interop {
    /** The JUnit tag; the pom's surefire configuration names it too. */
    String TAG = "interop";
}
