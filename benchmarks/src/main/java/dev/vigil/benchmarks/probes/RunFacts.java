package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the reader of a result needs to know about the run: when, on what machine, with which
 * versions, how busy the machine already was, and how the run was started.
 *
 * @param started        when the run started
 * @param cores          online CPUs
 * @param cpuModel       the CPU's model name
 * @param kernel         the kernel release
 * @param java           the Java runtime's version
 * @param blackbox       blackbox_exporter's version line
 * @param nginx          nginx's version line
 * @param loadBefore     {@code /proc/loadavg} at the start
 * @param command        the command line that started the run
 * @param quick          a {@code --quick} run
 */
record RunFacts(Instant started, int cores, String cpuModel, String kernel, String java, String blackbox, String nginx,
        String loadBefore, String command, boolean quick) {

    static RunFacts collect(BenchSettings settings, String command, boolean quick) {
        return new RunFacts(Instant.now(), Runtime.getRuntime().availableProcessors(), readCpuModel(),
                firstLine(Path.of("/proc/sys/kernel/osrelease")),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                versionLine(List.of(settings.blackbox().toString(), "--version")),
                versionLine(List.of(settings.nginx().toString(), "-v")),
                loadAverage(), command, quick);
    }

    /** {@code /proc/loadavg} now: the 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        String line = firstLine(Path.of("/proc/loadavg"));
        String[] fields = line.split(" ");
        return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : line;
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.US_ASCII).get(0).trim();
        } catch (IOException | IndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String versionLine(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return output.lines().findFirst().orElse("unknown").trim();
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
