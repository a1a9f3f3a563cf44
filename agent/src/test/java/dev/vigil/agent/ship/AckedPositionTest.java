package dev.vigil.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckedPositionTest {
    @TempDir
    Path dir;

    @Test
    void startsBeforeTheFirstSampleWhenNothingWasAcknowledged() {
        assertThat(new AckedPosition(dir.resolve("journal-acked")).load()).isEqualTo(-1);
    }

    @Test
    void storesAndLoadsTheIndexWithoutLeavingATemporaryFile() throws Exception {
        AckedPosition position = new AckedPosition(dir.resolve("journal-acked"));
        position.store(81_604_378_624L);
        position.store(81_604_378_700L);

        assertThat(new AckedPosition(dir.resolve("journal-acked")).load()).isEqualTo(81_604_378_700L);
        try (var files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("journal-acked");
        }
    }

    @Test
    void treatsAnUnreadableFileAsNothingAcknowledged() throws Exception {
        Files.writeString(dir.resolve("journal-acked"), "not a number\n");

        assertThat(new AckedPosition(dir.resolve("journal-acked")).load()).isEqualTo(-1);
    }
}
