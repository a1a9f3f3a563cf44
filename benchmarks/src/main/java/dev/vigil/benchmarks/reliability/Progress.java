package dev.vigil.benchmarks.reliability;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The harness's progress lines on standard output, one per event, ahead of the final JSON line. The
 * harness is a command-line report, so it prints; the processes it runs log into their own files.
 */
final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final PrintStream OUT = System.out;

    private Progress() {
    }

    /** Prints {@code message} as one timestamped line. */
    static synchronized void say(String message) {
        OUT.println(TIME.format(LocalTime.now()) + " reliability: " + message);
        OUT.flush();
    }

    /** Prints the report's JSON object as the last line. */
    static synchronized void result(String json) {
        OUT.println(json);
        OUT.flush();
    }
}
