package dev.vigil.demo;

import java.io.IOException;
import java.time.Duration;

/**
 * An HTTP service that answers 503 during a down phase of every cycle: first down after
 * {@code firstDown}, for {@code down}, then up for {@code up}, and so on.
 */
final class FlakyWebTarget {
    private FlakyWebTarget() {
    }

    static AutoCloseable start(int port, Duration firstDown, Duration up, Duration down) throws IOException {
        long startNanos = System.nanoTime();
        long firstDownNanos = firstDown.toNanos();
        long cycleNanos = up.plus(down).toNanos();
        long downNanos = down.toNanos();
        return WebServers.serve("demo-flaky-web", port, exchange -> {
            long elapsed = System.nanoTime() - startNanos;
            boolean isDown = elapsed >= firstDownNanos && (elapsed - firstDownNanos) % cycleNanos < downNanos;
            if (isDown) {
                WebServers.answer(exchange, 503, "flaky-web is in its down phase\n");
            } else {
                WebServers.answer(exchange, 200, "ok\n");
            }
        });
    }
}
