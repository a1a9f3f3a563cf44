package dev.vigil.agent.probe;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletionStage;

/** One kind of probe, configured for one check: each {@link #run} opens a new connection and measures it. */
public interface Probe {

    /**
     * Starts one run whose I/O and callbacks all happen on {@code loop}, a loop of the agent's shared
     * group. The stage completes on {@code loop}, always normally (a failure is an outcome), no later
     * than the check's timeout after the run started.
     */
    CompletionStage<ProbeResult> run(EventLoop loop);
}
