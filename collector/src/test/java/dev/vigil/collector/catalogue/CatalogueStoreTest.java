package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.catalogue.CatalogueRefusal.Reason;
import dev.vigil.collector.catalogue.CatalogueStore.Saved;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.sla.AvailabilityObjective;
import dev.vigil.collector.sla.NoDataPolicy;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real Vert.x event loop, writing a real file. */
class CatalogueStoreTest {
    private static final Set<String> AGENTS = Set.of("edge-1");
    private static final SlaDefinition SILVER = new SlaDefinition("silver", List.of(new AvailabilityObjective(0.99)),
            new SlaPeriod.CalendarMonth(ZoneOffset.UTC), Catalogue.ALWAYS_ON, NoDataPolicy.EXCLUDE);

    @TempDir
    Path dir;
    Vertx vertx;
    Context loop;
    Path file;
    CatalogueConfig config;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
        loop = vertx.getOrCreateContext();
        file = dir.resolve("catalogue.json");
        config = CollectorConfig.parse("collector.yaml", """
                agents:
                  - name: edge-1
                    token: t1
                services:
                  - name: web
                """, name -> null, dir).catalogue();
    }

    @AfterEach
    void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void tellsListenersAboutEachChangeOnceTheFileHoldsIt() throws Exception {
        CatalogueStore store = CatalogueStore.open(vertx, config, AGENTS, file);
        List<String> seen = new ArrayList<>();
        onLoop(() -> {
            store.subscribe(catalogue -> seen.add(catalogue.version() + " " + catalogue.service("shop").isPresent()
                    + " " + read(file).contains("\"shop\"")));
            return store.putService(Service.named("shop"));
        });

        assertThat(store.current().version()).isEqualTo(2);
        assertThat(seen).containsExactly("2 true true");
    }

    @Test
    void appliesChangesInTheOrderTheyArriveEachCheckedAgainstWhatItsPredecessorsLeft() throws Exception {
        CatalogueStore store = CatalogueStore.open(vertx, config, AGENTS, file);
        List<Future<?>> changes = onLoop(() -> {
            Service shop = new Service("shop", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of("web"), Optional.of("silver"), List.of());
            List<Future<?>> all = List.of(store.putSla(SILVER), store.putService(shop), store.deleteSla("silver"));
            return Future.join(all).otherwiseEmpty().map(ignored -> all);
        });

        assertThat(((Saved) changes.get(0).result()).catalogue().version()).isEqualTo(2);
        assertThat(((Saved) changes.get(1).result()).catalogue().version()).isEqualTo(3);
        assertThat(changes.get(2).cause()).isInstanceOf(CatalogueRefusal.class)
                .hasMessage("SLA silver is used by service shop; give them another SLA first");
        assertThat(((CatalogueRefusal) changes.get(2).cause()).reason()).isEqualTo(Reason.CONFLICT);
        assertThat(store.current().slaOf("shop")).isPresent();
    }

    @Test
    void leavesTheCatalogueAsItWasWhenTheFileCannotBeWritten() throws Exception {
        CatalogueStore store = CatalogueStore.open(vertx, config, AGENTS, file);
        List<Catalogue> seen = new ArrayList<>();
        onLoop(() -> {
            store.subscribe(seen::add);
            return Future.succeededFuture();
        });
        // The temporary file's name taken by a directory: the write fails before the rename.
        Files.createDirectory(dir.resolve("catalogue.json.tmp"));

        assertThatThrownBy(() -> onLoop(() -> store.putService(Service.named("shop"))))
                .hasCauseInstanceOf(UncheckedIOException.class)
                .cause().hasMessageStartingWith("cannot save the catalogue to " + file);
        assertThat(store.current().version()).isEqualTo(1);
        assertThat(store.current().service("shop")).isEmpty();
        assertThat(seen).isEmpty();

        Files.delete(dir.resolve("catalogue.json.tmp"));
        onLoop(() -> store.putService(Service.named("shop")));
        assertThat(seen).extracting(Catalogue::version).containsExactly(2L);
    }

    @Test
    void reopensWithTheApisChangesAndAHigherVersion() throws Exception {
        CatalogueStore first = CatalogueStore.open(vertx, config, AGENTS, file);
        onLoop(() -> first.putSla(SILVER).compose(saved -> first.putService(Service.named("shop"))));

        CatalogueStore second = CatalogueStore.open(vertx, config, AGENTS, file);

        assertThat(second.current().apiLayer()).isEqualTo(first.current().apiLayer());
        assertThat(second.current().version()).isGreaterThan(first.current().version());
        assertThat(read(file)).startsWith("{\n  \"format\": 1,\n  \"version\": 3,");
    }

    @Test
    void refusesToChangeWhatTheFileDefines() {
        CatalogueStore store = CatalogueStore.open(vertx, config, AGENTS, file);

        assertThatThrownBy(() -> onLoop(() -> store.deleteService("web")))
                .cause().isInstanceOf(CatalogueRefusal.class)
                .hasMessage("service web is defined in collector.yaml, which the API does not change; edit the file "
                        + "and restart the collector");
        assertThat(Files.exists(file)).isFalse();
    }

    private <T> T onLoop(Supplier<Future<T>> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            try {
                work.get().onComplete(done -> {
                    if (done.succeeded()) {
                        result.complete(done.result());
                    } else {
                        result.completeExceptionally(done.cause());
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the work failed", e.getCause());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
