package dev.vpnrouter.interop;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The default build leaves {@link Interop} classes out. A test that needs root or a peer but lacks the annotation
 * would fail there for everyone without root; one that carries it but needs neither would only ever run as root.
 * So: a test class carries {@code @Interop} exactly when its code (nested classes and lambdas included) uses this
 * package's harness ({@link NetNs}, {@link Prerequisites}, {@link Topology}, ...), read from the compiled classes.
 */
class InteropTagTest {
    private static final String HARNESS = "dev/vpnrouter/interop/";

    @Test
    void aTestClassCarriesInteropExactlyWhenItUsesTheHarness() throws Exception {
        Map<String, Boolean> usesHarness = harnessUseByTopLevelClass();
        List<String> tests = usesHarness.keySet().stream().filter(InteropTagTest::isTestClass).toList();
        List<String> untagged = tests.stream().filter(c -> usesHarness.get(c) && !tagged(c)).toList();
        List<String> needless = tests.stream().filter(c -> !usesHarness.get(c) && tagged(c)).toList();

        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(untagged).as("test classes that use the interop harness (root, namespaces, peers) without "
                    + "@Interop: `./mvnw -B verify` would fail on them without root").isEmpty();
            soft.assertThat(needless).as("@Interop test classes that never use the harness (Prerequisites says "
                    + "what is missing): they would leave the default build for nothing").isEmpty();
            // The scan saw the compiled tests, inside the package and out.
            soft.assertThat(tests).filteredOn(InteropTagTest::tagged)
                    .contains("dev.vpnrouter.interop.NetNsTest", "dev.vpnrouter.net.TunDeviceTest")
                    .doesNotContain("dev.vpnrouter.interop.InteropTagTest");
        });
    }

    /** Top-level class name to whether it or any class nested in it names a harness class. */
    private static Map<String, Boolean> harnessUseByTopLevelClass() throws IOException, URISyntaxException {
        Path root = Path.of(InteropTagTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Boolean> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                ClassModel model = ClassFile.of().parse(file);
                String name = model.thisClass().asInternalName();
                String topLevel = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                boolean names = namesHarness(model, topLevel);
                uses.merge(topLevel.replace('/', '.'), names, Boolean::logicalOr);
            }
        }
        return uses;
    }

    private static boolean namesHarness(ClassModel model, String topLevel) {
        for (var entry : model.constantPool()) {
            if (entry instanceof ClassEntry c) {
                String n = c.asInternalName();
                String outer = n.contains("$") ? n.substring(0, n.indexOf('$')) : n;
                // The annotation itself and the class's own nested classes are not the harness.
                if (n.startsWith(HARNESS) && !outer.equals(topLevel)
                        && !outer.equals(HARNESS + Interop.class.getSimpleName())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isTestClass(String name) {
        return declaresTests(load(name));
    }

    private static boolean declaresTests(Class<?> c) {
        for (Method m : c.getDeclaredMethods()) {
            if (AnnotationSupport.isAnnotated(m, Testable.class)) {
                return true;
            }
        }
        for (Class<?> nested : c.getDeclaredClasses()) {
            if (declaresTests(nested)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tagged(String name) {
        return load(name).isAnnotationPresent(Interop.class);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, InteropTagTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
