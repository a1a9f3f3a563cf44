package dev.vigil.testsupport.prometheus;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool} and reports what it said. */
public final class Promtool {

    /**
     * What one promtool run printed and how it exited.
     *
     * @param command  the command line, for messages
     * @param exitCode the exit status
     * @param output   standard output and error, merged
     */
    public record Result(String command, int exitCode, String output) {

        /** Whether promtool exited 0 and printed no lint problem. */
        public boolean clean() {
            return exitCode == 0 && output.isBlank();
        }

        /** Whether promtool exited 0. */
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private Promtool() {
    }

    /** {@code promtool check metrics} over an exposition in the Prometheus text format. */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        return runWithInput(exposition, "check", "metrics");
    }

    /** {@code promtool <args>}, e.g. {@code check rules FILE}. */
    public static Result run(String... args) throws IOException, InterruptedException {
        return runWithInput(null, args);
    }

    private static Result runWithInput(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result("promtool " + String.join(" ", args), process.exitValue(), output);
    }

    private static Path executable() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("promtool is not on the PATH: run the tests with ./vigil test, which installs "
                + "Debian's prometheus package, or apt-get install prometheus");
    }
}
