package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.Outcome;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Failures that loopback cannot produce (no route) and the phase rules, checked on the mapping itself. */
class FailureClassifierTest {

    @Test
    void mapsNoRouteAndUnreachableNetworksToNetworkUnreachable() {
        assertThat(FailureClassifier.classify(new NoRouteToHostException("No route to host"), ProbeRun.Phase.CONNECTING))
                .isEqualTo(Outcome.NETWORK_UNREACHABLE);
        assertThat(FailureClassifier.classify(new ConnectException("Network is unreachable"), ProbeRun.Phase.CONNECTING))
                .isEqualTo(Outcome.NETWORK_UNREACHABLE);
        assertThat(FailureClassifier.classify(new SocketException("Protocol family unavailable"), ProbeRun.Phase.CONNECTING))
                .isEqualTo(Outcome.NETWORK_UNREACHABLE);
    }

    @Test
    void mapsConnectFailures() {
        assertThat(FailureClassifier.classify(new ConnectException("Connection refused"), ProbeRun.Phase.CONNECTING))
                .isEqualTo(Outcome.CONNECT_REFUSED);
        assertThat(FailureClassifier.classify(new ConnectTimeoutException("timed out"), ProbeRun.Phase.CONNECTING))
                .isEqualTo(Outcome.CONNECT_TIMEOUT);
    }

    @Test
    void mapsEveryFailureWhileResolvingToDnsFailed() {
        assertThat(FailureClassifier.classify(new IllegalStateException("query timed out"), ProbeRun.Phase.RESOLVING))
                .isEqualTo(Outcome.DNS_FAILED);
        assertThat(FailureClassifier.classify(new UnknownHostException("x"), ProbeRun.Phase.EXCHANGING))
                .isEqualTo(Outcome.DNS_FAILED);
    }

    @Test
    void mapsTlsDecodingAndResetFailures() {
        assertThat(FailureClassifier.classify(new DecoderException(new SSLHandshakeException("bad cert")),
                ProbeRun.Phase.HANDSHAKING)).isEqualTo(Outcome.TLS_FAILED);
        assertThat(FailureClassifier.classify(new DecoderException("invalid status line"), ProbeRun.Phase.EXCHANGING))
                .isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(FailureClassifier.classify(new PrematureChannelClosureException("closed"), ProbeRun.Phase.EXCHANGING))
                .isEqualTo(Outcome.CONNECTION_RESET);
        assertThat(FailureClassifier.classify(new IOException("Connection reset by peer"), ProbeRun.Phase.EXCHANGING))
                .isEqualTo(Outcome.CONNECTION_RESET);
    }

    @Test
    void keepsAgentErrorForWhatCanOnlyBeABug() {
        assertThat(FailureClassifier.classify(new NullPointerException(), ProbeRun.Phase.EXCHANGING))
                .isEqualTo(Outcome.AGENT_ERROR);
        assertThat(FailureClassifier.describe(new DecoderException(new SSLHandshakeException("PKIX path"))))
                .isEqualTo("PKIX path");
    }

    @Test
    void mapsHttp2ProtocolViolationsToProtocolError() {
        Http2Exception notHttp2 = Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "First received frame was not SETTINGS");
        assertThat(FailureClassifier.classify(notHttp2, ProbeRun.Phase.EXCHANGING)).isEqualTo(Outcome.PROTOCOL_ERROR);
        assertThat(FailureClassifier.describe(notHttp2)).isEqualTo("First received frame was not SETTINGS");
    }
}
