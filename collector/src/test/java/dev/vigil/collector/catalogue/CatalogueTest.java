package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.sla.AvailabilityObjective;
import dev.vigil.collector.sla.NoDataPolicy;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogueTest {
    private static final SlaDefinition GOLD = new SlaDefinition("gold", List.of(new AvailabilityObjective(0.999)),
            new SlaPeriod.CalendarMonth(ZoneOffset.UTC), "office", NoDataPolicy.EXCLUDE);

    @Test
    void runsAnSlasCalendarPeriodInItsCalendarsZoneEvenAfterTheCalendarMoves() {
        ServiceCalendar office = ServiceCalendar.alwaysOn("office");
        CatalogueLayer api = CatalogueLayer.EMPTY.with(new ServiceCalendar("office", ZoneId.of("Asia/Tokyo"),
                office.weeklyHours(), office.holidays())).with(GOLD);

        Catalogue catalogue = new Catalogue(CatalogueLayer.EMPTY, api, "collector.yaml", 3);

        assertThat(catalogue.sla("gold").orElseThrow().period())
                .isEqualTo(new SlaPeriod.CalendarMonth(ZoneId.of("Asia/Tokyo")));
        assertThat(catalogue.version()).isEqualTo(3);
        assertThat(catalogue.withApiLayer(api).version()).isEqualTo(4);
    }

    @Test
    void refusesReferencesThatDoNotResolve() {
        assertThatThrownBy(() -> new Catalogue(CatalogueLayer.EMPTY, CatalogueLayer.EMPTY.with(GOLD), "c.yaml", 0))
                .hasMessage("SLA gold names calendar office, which is not defined");
        Service web = new Service("web", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("db"), Optional.empty(), List.of());
        assertThatThrownBy(() -> new Catalogue(CatalogueLayer.EMPTY, CatalogueLayer.EMPTY.with(web), "c.yaml", 0))
                .hasMessage("service web depends on db, which is not defined");
    }

    @Test
    void refusesANameDefinedInBothLayers() {
        CatalogueLayer layer = CatalogueLayer.EMPTY.with(Service.named("web"));

        assertThatThrownBy(() -> new Catalogue(layer, layer, "c.yaml", 0)).hasMessage("service web is defined twice");
    }

    @Test
    void findsTheFirstDependencyCycleWithItsPath() {
        Map<String, Service> services = Map.of(
                "a", dependingOn("a", "b"), "b", dependingOn("b", "c"), "c", dependingOn("c", "a"),
                "d", dependingOn("d", "a"));

        assertThat(Catalogue.dependencyCycle(services).orElseThrow()).hasSize(4).first()
                .isEqualTo(Catalogue.dependencyCycle(services).orElseThrow().get(3));
        assertThat(Catalogue.dependencyCycle(Map.of("a", dependingOn("a", "b"), "b", Service.named("b")))).isEmpty();
        assertThatThrownBy(() -> new Catalogue(CatalogueLayer.EMPTY, new CatalogueLayer(Map.of(), Map.of(), services,
                Map.of()), "c.yaml", 0)).hasMessageStartingWith("services depend on each other in a cycle: ");
    }

    @Test
    void keepsTheFilesItemsFirstInFileOrderThenTheApisInCreationOrder() {
        CatalogueLayer file = CatalogueLayer.EMPTY.with(Service.named("z")).with(Service.named("a"));
        CatalogueLayer api = CatalogueLayer.EMPTY.with(Service.named("m")).with(Service.named("b"))
                .with(Service.named("m"));

        assertThat(new Catalogue(file, api, "c.yaml", 0).services()).extracting(Service::name)
                .containsExactly("z", "a", "m", "b");
    }

    private static Service dependingOn(String name, String dependency) {
        return new Service(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(dependency), Optional.empty(), List.of());
    }
}
