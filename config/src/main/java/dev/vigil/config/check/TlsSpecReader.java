package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import java.net.InetSocketAddress;
import java.util.Set;

/** Reads the fields of a {@code type: tls} check into a {@link TlsProbeSpec}. */
final class TlsSpecReader {
    /** The fields of a TLS check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork("target", "tls");
    /** The port of a target written without one. */
    static final int DEFAULT_PORT = 443;

    private TlsSpecReader() {
    }

    static TlsProbeSpec read(ConfigNode node, SettingsReader settings) {
        InetSocketAddress address = SettingsReader.hostPort(node.get("target"), DEFAULT_PORT);
        TlsSettings tls = settings.tls(node);
        return new TlsProbeSpec(address.getHostString(), address.getPort(), tls, settings.network(node));
    }
}
