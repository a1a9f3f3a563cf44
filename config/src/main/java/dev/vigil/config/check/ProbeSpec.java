package dev.vigil.config.check;

/**
 * The probe-specific settings of a check: one record per probe type.
 *
 * <p>Java 17 has no pattern-matching {@code switch}, so code that dispatches on the kind of spec
 * switches over {@link #type()}; each record returns its own constant, which makes the cast in a
 * {@code case} safe by construction.
 */
public sealed interface ProbeSpec
        permits HttpProbeSpec, TcpProbeSpec, TlsProbeSpec, DnsProbeSpec, IcmpProbeSpec, HostProbeSpec {

    /** The probe type these settings are for. */
    ProbeType type();
}
