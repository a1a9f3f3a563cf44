package dev.vigil.testsupport.netty;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test when Netty reported a leaked resource (a {@code ByteBuf}
 * garbage-collected without {@code release()}) during it. After each test (and its {@code @AfterEach}
 * methods, which close servers and event loops) it collects garbage and asks every Netty leak detector
 * to report; after all tests of a class it does so again for leaks of {@code @AfterAll} methods.
 *
 * <p>Best effort by nature: a leak is seen only once its buffer has been collected, so a leak on a
 * thread that outlives the test may fail the next test instead. Netty reports a leak with the same
 * access records only once per JVM. Detection runs at {@code PARANOID} level, which this extension sets.
 */
public final class NettyLeakExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    static {
        // Autodetected extensions load before any test class, so this runs before Netty makes its detectors.
        LeakRecorder.install();
    }

    /** Makes sure the recorder is installed (it is, once per JVM, when this class loads). */
    @Override
    public void beforeAll(ExtensionContext context) {
        LeakRecorder.install();
    }

    /** Fails the test if a leak was reported during it. */
    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        failOnLeaks("during " + context.getDisplayName());
    }

    /** Fails the class if a leak was reported after its last test. */
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        failOnLeaks("after the tests of " + context.getDisplayName());
    }

    static void failOnLeaks(String when) throws InterruptedException {
        List<String> leaks = LeakRecorder.install().flushAndDrain();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty resource leak(s) reported " + when + ":\n"
                    + String.join("\n", leaks));
        }
    }
}
