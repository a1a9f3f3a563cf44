package dev.vigil.agent.config;

/**
 * The kinds of probe a check can run, as written in {@code type:}. A switch over this enum is
 * exhaustive, so adding a kind makes the compiler list every place that must handle it.
 */
public enum ProbeType {
    /** An HTTP(S) request; settings in {@link HttpProbeSpec}. */
    HTTP,
    /** A TCP connect; settings in {@link TcpProbeSpec}. */
    TCP
}
