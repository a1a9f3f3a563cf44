package dev.vigil.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AckedPositionTest {
    @TempDir
    Path dir;

    @Test
    void isEmptyWhenNothingWasAcknowledged() {
        assertThat(new AckedPosition(dir.resolve("journal-acked")).load()).isEmpty();
    }

    @Test
    void storesAndLoadsTheEpochAndIndexWithoutLeavingATemporaryFile() throws Exception {
        AckedPosition position = new AckedPosition(dir.resolve("journal-acked"));
        position.store(1_764_000_000_000L, 81_604_378_624L);
        position.store(1_764_000_000_000L, 81_604_378_700L);

        assertThat(new AckedPosition(dir.resolve("journal-acked")).load())
                .contains(new AckedPosition.Mark(1_764_000_000_000L, 81_604_378_700L));
        assertThat(Files.readString(dir.resolve("journal-acked"))).isEqualTo("1764000000000 81604378700\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsExactly("journal-acked");
        }
    }

    @Test
    void readsAPositionWrittenBeforeEpochsAsOfAnUnknownEpoch() throws Exception {
        Files.writeString(dir.resolve("journal-acked"), "81604378700\n");

        assertThat(new AckedPosition(dir.resolve("journal-acked")).load())
                .contains(new AckedPosition.Mark(AckedPosition.UNKNOWN_EPOCH, 81_604_378_700L));
    }

    @Test
    void treatsAnUnreadableFileAsNothingAcknowledged() throws Exception {
        Files.writeString(dir.resolve("journal-acked"), "not a number\n");

        assertThat(new AckedPosition(dir.resolve("journal-acked")).load()).isEmpty();
    }
}
