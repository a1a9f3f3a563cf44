package dev.vigil.agent.config;

import dev.vigil.config.ConfigNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;

/** Reads the fields of a {@code type: tcp} check into a {@link TcpProbeSpec}. */
final class TcpSpecReader {
    /** The fields of a TCP check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork("target");

    private TcpSpecReader() {
    }

    static TcpProbeSpec read(ConfigNode node, SettingsReader settings) {
        InetSocketAddress address = SettingsReader.hostPort(node.get("target"), 0);
        return new TcpProbeSpec(address.getHostString(), address.getPort(), List.of(), false, TlsSettings.DEFAULT,
                settings.network(node));
    }
}
