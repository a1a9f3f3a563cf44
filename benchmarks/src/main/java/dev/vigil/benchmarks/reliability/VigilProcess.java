package dev.vigil.benchmarks.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * One incarnation of a Vigil JVM (agent or collector) the harness started: its output appended to a
 * log file that every incarnation of the same node shares, and the signals the trials send it.
 */
final class VigilProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean stopped;

    private VigilProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} in {@code directory} with {@code extraEnv} added, stdout and stderr appended to {@code log}. */
    static VigilProcess start(String name, List<String> command, Map<String, String> extraEnv, Path directory,
            Path log) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(extraEnv);
        try {
            return new VigilProcess(name, builder.start(), log);
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

    boolean alive() {
        return process.isAlive();
    }

    /** The exit status, or empty while it runs. */
    OptionalLong exitStatus() {
        return process.isAlive() ? OptionalLong.empty() : OptionalLong.of(process.exitValue());
    }

    /** SIGKILL, and waits until the kernel has reaped it: nothing of it runs afterwards. */
    void kill9() {
        stopped = true;
        // A stopped process dies of SIGKILL too, but SIGCONT first keeps the kernel's bookkeeping simple.
        signal("CONT");
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Sends {@code signal} (a name {@code kill -s} knows, e.g. {@code STOP}, {@code CONT}). */
    void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid()))
                    .redirectErrorStream(true).start();
            kill.getInputStream().readAllBytes();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send SIG" + signal + " to " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + signal + " to " + name, e);
        }
    }

    /**
     * SIGTERM, then waits up to {@code grace} for a clean exit; returns whether it exited by itself.
     * A process still running after {@code grace} is killed with SIGKILL.
     */
    boolean terminate(Duration grace) {
        stopped = true;
        signal("CONT");
        process.destroy();
        if (awaitExit(grace)) {
            return true;
        }
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        return false;
    }

    /** Whether the process was meant to end: {@link #kill9} or {@link #terminate} was called. */
    boolean stopped() {
        return stopped;
    }

    private boolean awaitExit(Duration within) {
        try {
            return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /**
     * The resident memory of the process from {@code /proc/<pid>/status}: {@code VmRSS} and
     * {@code RssAnon} (heap, stacks and other anonymous memory; the rest of VmRSS is mapped files,
     * such as the journal's), in KiB; empty once the process is gone.
     */
    Optional<Rss> rss() {
        String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid()), "status"), StandardCharsets.US_ASCII);
        } catch (IOException gone) {
            return Optional.empty();
        }
        long vmRss = -1;
        long anon = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                vmRss = kib(line);
            } else if (line.startsWith("RssAnon:")) {
                anon = kib(line);
            }
        }
        return vmRss < 0 || anon < 0 ? Optional.empty() : Optional.of(new Rss(vmRss, anon));
    }

    private static long kib(String line) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).trim().split(" +")[0]);
    }

    /**
     * Resident memory in KiB.
     *
     * @param vmRssKib   {@code VmRSS}: all resident pages
     * @param rssAnonKib {@code RssAnon}: the anonymous part of them
     */
    record Rss(long vmRssKib, long rssAnonKib) {
    }

    /** The last {@code lines} lines of the log, for error messages. */
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

    /** Kills the process if it still runs: the harness leaves nothing behind, also when a trial fails. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
