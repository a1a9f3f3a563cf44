package dev.vigil.benchmarks.probes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/**
 * The reference prober ({@code benchmarks/probes/refprobe.c}): a C process that, on each command,
 * times a blocking {@code connect()} (TCP) or connect, request and complete response (HTTP) with
 * {@code CLOCK_MONOTONIC}, and prints the nanoseconds. What it reports is as close to the network's
 * own latency as a user process gets; a prober's error is what it reports beyond that.
 */
final class ReferenceProber {
    private final ChildProcess process;
    private final OutputStream commands;
    private final BufferedReader answers;

    private ReferenceProber(ChildProcess process) {
        this.process = process;
        this.commands = process.process().getOutputStream();
        this.answers = new BufferedReader(new InputStreamReader(process.process().getInputStream(),
                StandardCharsets.US_ASCII));
    }

    /** Starts the reference prober against the TCP and HTTP ports of {@code targets}. */
    static ReferenceProber start(BenchSettings settings, NginxTargets targets, Children children) {
        return new ReferenceProber(children.adopt(ChildProcess.startPiped("refprobe",
                List.of(settings.refprobe().toString(), Loopback.HOST, Integer.toString(targets.tcpPort()),
                        Integer.toString(targets.httpPort())),
                settings.workDir(), settings.workDir().resolve("refprobe.log"))));
    }

    /** One probe of {@code protocol} (TCP or HTTP): its latency in nanoseconds, or empty when it failed. */
    OptionalLong probe(ProbeProtocol protocol) {
        long nanos = Long.parseLong(ask(protocol, protocol.label()).split(" ", 2)[0]);
        return nanos < 0 ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /** {@code count} probes of {@code protocol} back to back; returns how many succeeded. */
    long loop(ProbeProtocol protocol, int count) {
        return Long.parseLong(ask(protocol, "loop " + protocol.label() + " " + count).trim());
    }

    ChildProcess process() {
        return process;
    }

    private String ask(ProbeProtocol protocol, String command) {
        if (protocol == ProbeProtocol.HTTPS) {
            throw new IllegalArgumentException("the reference prober speaks TCP and HTTP only");
        }
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IllegalStateException("refprobe exited; its log ends:\n" + process.logTail(5));
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException("refprobe is gone", e);
        }
    }
}
