package dev.vigil.collector.change;

import static dev.vigil.collector.change.ChangeFixtures.CATALOGUE;
import static dev.vigil.collector.change.ChangeFixtures.DAY;
import static dev.vigil.collector.change.ChangeFixtures.DEPLOY;
import static dev.vigil.collector.change.ChangeFixtures.MINUTE;
import static dev.vigil.collector.change.ChangeFixtures.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import dev.vigil.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change store on a real file, and the change window's configuration. */
class ChangeStoreTest {
    static final Duration WINDOW = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    @Test
    void flagsAnOutageTwoMinutesAfterAChangeOnTheSameServiceButNotOneADayLater() {
        ChangeStore store = ChangeStore.open(dir.resolve("changes.json"));
        Change deploy = store.add(change("web", DEPLOY, Optional.empty())).change();

        assertThat(store.possibleCauses("web", DEPLOY + 2 * MINUTE, WINDOW, CATALOGUE)).containsExactly(deploy);
        assertThat(store.possibleCauses("web", DEPLOY + DAY, WINDOW, CATALOGUE)).isEmpty();
        assertThat(store.possibleCauses("web", DEPLOY - MINUTE, WINDOW, CATALOGUE)).isEmpty();
        assertThat(store.possibleCauses("web", DEPLOY + 30 * MINUTE, WINDOW, CATALOGUE)).containsExactly(deploy);
        assertThat(store.possibleCauses("web", DEPLOY + 30 * MINUTE + 1, WINDOW, CATALOGUE)).isEmpty();
    }

    @Test
    void flagsAChangeOnATransitiveDependencyButNotOnADependent() {
        ChangeStore store = ChangeStore.open(dir.resolve("changes.json"));
        Change dbMigration = store.add(change("db", DEPLOY, Optional.empty())).change();
        store.add(change("web", DEPLOY, Optional.empty()));

        assertThat(store.possibleCauses("web", DEPLOY + MINUTE, WINDOW, CATALOGUE)).hasSize(2);
        assertThat(store.possibleCauses("db", DEPLOY + MINUTE, WINDOW, CATALOGUE)).containsExactly(dbMigration);
    }

    @Test
    void answersTheExistingChangeForARepeatedExternalId() {
        ChangeStore store = ChangeStore.open(dir.resolve("changes.json"));
        ChangeStore.Recorded first = store.add(change("web", DEPLOY, Optional.of("deploy-77")));

        ChangeStore.Recorded again = store.add(change("web", DEPLOY + MINUTE, Optional.of("deploy-77")));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.change()).isEqualTo(first.change());
        assertThat(store.all()).hasSize(1);
    }

    @Test
    void keepsItsChangesAcrossReopeningAndNumbersOnFromThere() {
        Path file = dir.resolve("data/changes.json");
        ChangeStore store = ChangeStore.open(file);
        Change first = store.add(change("web", DEPLOY, Optional.of("deploy-77"))).change();
        Change open = new Change("chg-1", "db", "resize volume", "bob", DEPLOY + DAY,
                OptionalLong.of(DEPLOY + DAY + MINUTE), ChangeRisk.HIGH, "", Optional.empty(), false, "pagerduty",
                List.of("https://ci.example/run/9"), DEPLOY + DAY);
        Change second = store.add(open).change();

        ChangeStore reopened = ChangeStore.open(file);

        assertThat(reopened.all()).containsExactly(first, second);
        assertThat(second.id()).isEqualTo("chg-2");
        assertThat(reopened.add(change("api", DEPLOY, Optional.empty())).change().id()).isEqualTo("chg-3");
        assertThat(reopened.add(change("api", DEPLOY, Optional.of("deploy-77"))).created()).isFalse();
    }

    @Test
    void countsTheRecordedChangesPerServiceForPrometheus() throws Exception {
        ChangeStore store = ChangeStore.open(dir.resolve("changes.json"));
        PrometheusRegistry registry = new PrometheusRegistry();
        store.registerMetrics(registry);
        store.add(change("web", DEPLOY, Optional.empty()));
        store.add(change("web", DEPLOY + DAY, Optional.empty()));
        store.add(change("db", DEPLOY, Optional.empty()));

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(text, registry.scrape());

        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("# TYPE vigil_changes_total counter\n")
                .contains("vigil_changes_total{service=\"db\"} 1.0\n")
                .contains("vigil_changes_total{service=\"web\"} 2.0\n");
    }

    @Test
    void refusesADamagedFileNamingIt() throws Exception {
        Path file = dir.resolve("changes.json");
        Files.writeString(file, "{\"version\": 1, \"changes\": [{\"id\": \"chg-1\"}]}");

        assertThatThrownBy(() -> ChangeStore.open(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the change file " + file + " is damaged");
    }

    @Test
    void listsTheChangesUnderWayInAnIntervalOnOneService() {
        ChangeStore store = ChangeStore.open(dir.resolve("changes.json"));
        Change web = store.add(change("web", DEPLOY, Optional.empty())).change();
        store.add(change("db", DEPLOY, Optional.empty()));

        assertThat(store.list(Optional.of("web"), DEPLOY + DAY, DEPLOY + 2 * DAY)).containsExactly(web);
        assertThat(store.list(Optional.of("web"), 0, DEPLOY - 1)).isEmpty();
        assertThat(store.list(Optional.empty(), DEPLOY, DEPLOY)).hasSize(2);
    }

    @Test
    void refusesAChangeThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> new Change("chg-1", "web", "deploy", "alice", DEPLOY, OptionalLong.of(DEPLOY - 1),
                ChangeRisk.LOW, "", Optional.empty(), false, "api", List.of(), DEPLOY))
                .hasMessage("end must not be before start (was 2026-11-03T09:59:59.999Z < 2026-11-03T10:00:00Z)");
        assertThatThrownBy(() -> new Change("chg-1", "web", " ", "alice", DEPLOY, OptionalLong.empty(),
                ChangeRisk.LOW, "", Optional.empty(), false, "api", List.of(), DEPLOY))
                .hasMessage("summary must be 1..500 characters (was 1)");
    }

    @Test
    void readsTheInducedWindowWithThirtyMinutesByDefault() {
        assertThat(ChangeConfig.read(ConfigNode.parse("collector.yaml", "listen: 127.0.0.1:0\n", name -> null)))
                .isEqualTo(ChangeConfig.DEFAULT);
        assertThat(ChangeConfig.read(ConfigNode.parse("collector.yaml", "changes:\n  induced_window: 2h\n",
                name -> null)).inducedWindow()).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> ChangeConfig.read(ConfigNode.parse("collector.yaml",
                "changes:\n  induced_window: 10s\n", name -> null))).isInstanceOf(ConfigException.class)
                .hasMessage("changes.induced_window must be 1m..7d (was 10s) at collector.yaml:2");
    }
}
