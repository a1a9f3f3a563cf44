package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A process the benchmark started, with its output in a log file, and what the kernel knows about
 * it: the CPU time charged to it and its resident memory. Stopping it stops its descendants too
 * (nginx workers, the CPU burners under {@code timeout}).
 */
final class ChildProcess implements AutoCloseable {
    /**
     * Clock ticks per second of {@code /proc/<pid>/stat}: USER_HZ, 100 on every Linux architecture
     * the JDK runs on ({@code getconf CLK_TCK}).
     */
    static final double TICKS_PER_SECOND = 100.0;

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code directory} with {@code extraEnv} added, stdout and stderr to {@code log}. */
    static ChildProcess start(String name, List<String> command, Map<String, String> extraEnv, Path directory,
            Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(extraEnv);
        try {
            return new ChildProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    /** Starts {@code command} with its stdin and stdout as pipes for the caller; stderr goes to {@code log}. */
    static ChildProcess startPiped(String name, List<String> command, Path directory, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return new ChildProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + String.join(" ", command) + ")", e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The CPU time charged to this process so far (all its threads, not its children). */
    CpuTime cpu() {
        String stat = read(Path.of("/proc", Long.toString(pid()), "stat"));
        // The command name in parentheses may hold spaces: count fields from the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        return new CpuTime(Long.parseLong(fields[11]) / TICKS_PER_SECOND, Long.parseLong(fields[12]) / TICKS_PER_SECOND);
    }

    /**
     * The CPU time charged so far to this process's JIT compiler threads (a JVM's {@code C1/C2
     * CompilerThread}s), in seconds; 0 for a process that has none. Threads that have exited are not
     * counted, so only differences over a short slice mean anything.
     */
    double compilerCpuSeconds() {
        double seconds = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException gone) {
                    continue;
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
                    seconds += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(name + " (pid " + pid() + ") is gone", e);
        }
        return seconds;
    }

    /**
     * CPU time from {@code /proc/<pid>/stat}.
     *
     * @param userSeconds   {@code utime}: in the process's own code
     * @param systemSeconds {@code stime}: in the kernel on its behalf (system calls, and on loopback
     *                      much of the TCP work of both ends)
     */
    record CpuTime(double userSeconds, double systemSeconds) {
        double totalSeconds() {
            return userSeconds + systemSeconds;
        }

        CpuTime minus(CpuTime earlier) {
            return new CpuTime(userSeconds - earlier.userSeconds, systemSeconds - earlier.systemSeconds);
        }
    }

    /** The resident set size ({@code VmRSS}) in KiB. */
    long rssKib() {
        for (String line : read(Path.of("/proc", Long.toString(pid()), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split(" +")[0]);
            }
        }
        throw new IllegalStateException(name + " (pid " + pid() + ") reports no VmRSS");
    }

    /** The last {@code lines} lines of the process's log, for error messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    Path log() {
        return log;
    }

    /** Asks the process (and its descendants) to stop with SIGTERM, and kills what is left after {@code grace}. */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        if (process.isAlive() || process.descendants().findAny().isPresent()) {
            stop(Duration.ofSeconds(10));
        }
    }

    private String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " (pid " + pid() + ") is gone: cannot read " + path, e);
        }
    }
}
