package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {

    private static ConfigNode parse(String yaml) {
        return ConfigNode.parse("agent.yaml", yaml, Map.of("TOKEN", "s3cret")::get);
    }

    private static final String YAML = """
            collector:
              url: http://127.0.0.1:9470
              token: ${TOKEN}
            checks:
              - id: web
                interval: 10s
              - id: db
                interval: 0s
                timeout: soon
            """;

    @Test
    void readsNestedValuesAndResolvesEnvironmentVariables() {
        ConfigNode root = parse(YAML);
        assertThat(root.get("collector").string("token")).isEqualTo("s3cret");
        assertThat(root.get("collector").httpUri("url").getPort()).isEqualTo(9470);
        assertThat(root.list("checks").get(0).duration("interval")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void namesFieldValueAndLineOfAZeroDuration() {
        ConfigNode db = parse(YAML).list("checks").get(1);
        assertThatThrownBy(() -> db.duration("interval"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("checks[1].interval must be > 0 (was 0s) at agent.yaml:8");
        assertThatThrownBy(() -> db.duration("timeout"))
                .hasMessage("checks[1].timeout is not a duration: 'soon' (use e.g. 500ms, 10s, 1m30s, 2h) at agent.yaml:9");
    }

    @Test
    void namesAMissingFieldAndAnUnknownOne() {
        ConfigNode web = parse(YAML).list("checks").get(0);
        assertThatThrownBy(() -> web.string("url")).hasMessage("missing required field checks[0].url at agent.yaml:5");
        assertThatThrownBy(() -> web.rejectUnknown(Set.of("id")))
                .hasMessage("unknown field checks[0].interval at agent.yaml:6 (known: id)");
    }

    @Test
    void namesAnUnsetEnvironmentVariableWithoutLeakingValues() {
        ConfigNode root = ConfigNode.parse("c.yaml", "token: ${MISSING}\n", name -> null);
        assertThatThrownBy(() -> root.string("token"))
                .hasMessage("token refers to environment variable MISSING, which is not set at c.yaml:1");
    }

    @Test
    void reportsTheLineOfBrokenYamlAndDuplicateKeys() {
        assertThatThrownBy(() -> parse("a: 1\nb: [unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("not valid YAML:")
                .hasMessageContaining("agent.yaml:");
        assertThatThrownBy(() -> parse("a: 1\na: 2\n")).hasMessageContaining("duplicate key a");
    }

    @Test
    void parsesOperatorDurations() {
        assertThat(DurationText.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThatThrownBy(() -> DurationText.parse("10 s")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesHostPortsAndNamesWhatIsWrong() {
        assertThat(HostPort.parse("[::1]:9470").getHostString()).isEqualTo("::1");
        assertThat(HostPort.parse("127.0.0.1:0").getPort()).isZero();
        assertThatThrownBy(() -> HostPort.parse("::1:9470")).hasMessageContaining("in brackets");
        assertThatThrownBy(() -> HostPort.parse("host:99999")).hasMessage("port must be 0..65535 (was 99999)");
        ConfigNode root = parse("listen: localhost\n");
        assertThatThrownBy(() -> root.listenAddress("listen", null))
                .hasMessage("listen must be host:port (was 'localhost') at agent.yaml:1");
    }

    @Test
    void givesAPartOfTheFileAsPlainDataWithVariablesResolved() {
        ConfigNode root = parse("""
                check:
                  id: web
                  headers: [{name: X-Token, value: "${TOKEN}"}]
                  timeout: ~
                """);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", "web");
        expected.put("headers", List.of(Map.of("name", "X-Token", "value", "s3cret")));
        expected.put("timeout", null);
        assertThat(root.get("check").plain()).isEqualTo(expected);
    }

    @Test
    void readsJsonVerbatimWithoutResolvingVariables() {
        ConfigNode root = ConfigNode.parseVerbatim("assignments.json", """
                {
                  "checks": [
                    {"id": "web", "body": "${NOT_A_VARIABLE}", "interval": "0s"}
                  ]
                }
                """);

        ConfigNode web = root.list("checks").get(0);
        assertThat(web.string("body")).isEqualTo("${NOT_A_VARIABLE}");
        assertThatThrownBy(() -> web.duration("interval"))
                .hasMessage("checks[0].interval must be > 0 (was 0s) at assignments.json:3");
    }
}
