package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AgentMainTest {
    @Test
    void readsTheListenOptionAsAnUnresolvedAddress() {
        assertThat(AgentMain.listenOption("[::1]:0")).isEqualTo(InetSocketAddress.createUnresolved("::1", 0));
        assertThat(AgentMain.listenOption("127.0.0.1:9471"))
                .isEqualTo(InetSocketAddress.createUnresolved("127.0.0.1", 9471));
    }

    @Test
    void namesTheFlagWhenTheListenOptionIsNotHostAndPort() {
        assertThatThrownBy(() -> AgentMain.listenOption("9471"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--listen must be host:port (was '9471')");
        assertThatThrownBy(() -> AgentMain.listenOption("localhost:70000"))
                .hasMessage("--listen port must be 0..65535 (was 70000)");
    }
}
