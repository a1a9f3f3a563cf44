package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.catalogue.CatalogueHttp.Answer;
import dev.vigil.collector.config.CollectorConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code suppliers:} section and the services' {@code suppliers} tag, in the file and through the API. */
class SupplierCatalogueTest {
    private static final String CONFIG = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-1-token
            api:
              admin_token: admin-token
            suppliers:
              cloudy:
                kind: Cloud
                contact: support@cloudy.example
                measured_by: [cloud-probe]
                sla: {availability: 99.95%}
              dnsco:
                kind: dns
                measured_by: [dns-probe, cloud-probe]
            services:
              - name: cloud-probe
              - name: dns-probe
              - name: web
                suppliers: [dnsco, cloudy]
            """;

    @TempDir
    Path dir;

    @Test
    void readsSuppliersAndTheServicesThatNameThemInOrder() {
        Catalogue catalogue = CollectorConfig.parse("collector.yaml", CONFIG, name -> null, dir).catalogue()
                .catalogue();

        assertThat(catalogue.suppliers().keySet()).containsExactly("cloudy", "dnsco");
        assertThat(catalogue.supplier("cloudy")).contains(new ServiceSupplier("cloudy", "cloud",
                Optional.of("support@cloudy.example"), List.of("cloud-probe"), OptionalDouble.of(0.9995)));
        assertThat(catalogue.supplier("dnsco").orElseThrow().availabilityTarget()).isEmpty();
        assertThat(catalogue.service("web").orElseThrow().suppliers()).containsExactly("dnsco", "cloudy");
        assertThat(catalogue.service("cloud-probe").orElseThrow().suppliers()).isEmpty();
    }

    @Test
    void anApiServiceMayNameADeclaredSupplierAndKeepsItAcrossARestart() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", CONFIG, name -> null, dir);
        InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-27T10:00:00Z"));
        try (Collector collector = Collector.start(config, clock)) {
            CatalogueHttp api = new CatalogueHttp(collector.baseUri(), "admin-token");

            Answer created = api.put("/api/v1/services/shop", "{\"suppliers\": [\"cloudy\"]}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            assertThat(created.json().getJsonArray("suppliers").getList()).containsExactly("cloudy");

            Answer unknown = api.put("/api/v1/services/shop", "{\"suppliers\": [\"cloudy\", \"acme\"]}");
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.error()).isEqualTo("suppliers[1] names no supplier 'acme' for service shop "
                    + "(suppliers: cloudy, dnsco)");
        }
        try (Collector collector = Collector.start(config, clock)) {
            CatalogueHttp api = new CatalogueHttp(collector.baseUri(), "admin-token");
            assertThat(api.get("/api/v1/services/shop").json().getJsonArray("suppliers").getList())
                    .containsExactly("cloudy");
        }
    }
}
