package dev.vigil.testsupport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM's one recorder of Netty leak reports: a detector factory whose detectors report every leak
 * to it, at {@code PARANOID} level, whatever the logging configuration.
 */
final class LeakRecorder {
    private static final long GC_WAIT_MILLIS = 2_000;
    private static LeakRecorder installed;

    private final List<String> leaks = new ArrayList<>();
    private final List<ResourceLeakDetector<?>> detectors = new ArrayList<>();
    private boolean byteBufDetectorCreated;

    private LeakRecorder() {
    }

    /**
     * Installs the recorder, the first time only, and returns it.
     *
     * @throws IllegalStateException when Netty created its {@code ByteBuf} detector before the
     *                               recorder was installed, so buffer leaks would go unseen
     */
    static synchronized LeakRecorder install() {
        if (installed == null) {
            LeakRecorder recorder = new LeakRecorder();
            // Flushing relies on every track() polling the reference queue, which only PARANOID does.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(recorder.new Factory());
            installed = recorder;
        }
        // Initialises the buffer classes if nothing did yet, so that they ask our factory for their detector.
        Unpooled.buffer(1).release();
        if (!installed.byteBufDetectorCreated()) {
            throw new IllegalStateException("Netty created its ByteBuf leak detector before the leak recorder was "
                    + "installed, so buffer leaks cannot fail tests; register NettyLeakExtension through "
                    + "junit.jupiter.extensions.autodetection.enabled=true so that it loads before any Netty class");
        }
        return installed;
    }

    private synchronized boolean byteBufDetectorCreated() {
        return byteBufDetectorCreated;
    }

    /**
     * Collects garbage (best effort), lets every detector report what was collected unreleased, and
     * returns the leaks reported since the last call, each with Netty's access records.
     */
    List<String> flushAndDrain() throws InterruptedException {
        collectGarbage();
        collectGarbage();
        List<ResourceLeakDetector<?>> current;
        synchronized (this) {
            current = List.copyOf(detectors);
        }
        Object probe = new Object();
        for (ResourceLeakDetector<?> detector : current) {
            // A detector reports the leaks in its reference queue only when it tracks something new.
            @SuppressWarnings("unchecked")
            ResourceLeakTracker<Object> tracker = ((ResourceLeakDetector<Object>) detector).track(probe);
            if (tracker != null) {
                tracker.close(probe);
            }
        }
        synchronized (this) {
            List<String> drained = List.copyOf(leaks);
            leaks.clear();
            return drained;
        }
    }

    /**
     * Runs a full GC and waits until the JVM's reference handler enqueued a sentinel cleared by it.
     * The handler enqueues what one GC cleared before it starts on the next GC's, so after two calls
     * the leak trackers cleared by the first are in their detectors' queues.
     */
    private static void collectGarbage() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        if (queue.remove(GC_WAIT_MILLIS) == null) {
            // -XX:+DisableExplicitGC or a lazy collector: leaks may surface in a later test instead.
            sentinel.clear();
        }
    }

    private synchronized void record(String resourceType, String records) {
        leaks.add("LEAK of " + resourceType + ":" + records);
    }

    private synchronized void created(Class<?> resource, ResourceLeakDetector<?> detector) {
        detectors.add(detector);
        if (resource == ByteBuf.class) {
            byteBufDetectorCreated = true;
        }
    }

    /** Makes detectors that report to this recorder. */
    private final class Factory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                long maxActive) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected boolean needReport() {
                    // The default asks whether Netty's logger is at ERROR; a quiet log must not hide leaks.
                    return true;
                }
            };
            detector.setLeakListener(LeakRecorder.this::record);
            created(resource, detector);
            return detector;
        }
    }
}
