package dev.vigil.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesTest {
    @TempDir
    Path proc;

    private ProcFiles write(String name, String content) throws IOException {
        Files.createDirectories(proc.resolve(name).getParent());
        Files.writeString(proc.resolve(name), content);
        return new ProcFiles(proc);
    }

    @Test
    void countsIdleAndIoWaitAsIdleAndEveryOtherTickAsBusy() throws IOException {
        ProcFiles files = write("stat", """
                cpu  100 10 50 800 20 5 5 10 40 0
                cpu0 50 5 25 400 10 3 2 5 20 0
                cpu1 50 5 25 400 10 2 3 5 20 0
                intr 12345
                """);

        CpuTimes times = files.cpuTimes();

        assertThat(times.totalTicks()).as("guest time is already in user").isEqualTo(1000);
        assertThat(times.busyTicks()).isEqualTo(180);
        assertThat(times.cpus()).isEqualTo(2);
    }

    @Test
    void theBusyShareIsTheBusyTicksOverAllTicksBetweenTwoReadings() {
        CpuTimes before = new CpuTimes(180, 1000, 2);
        CpuTimes after = new CpuTimes(630, 1500, 2);

        assertThat(after.usageSince(before)).isEqualTo(0.9);
        assertThat(before.usageSince(before)).as("no tick passed").isZero();
    }

    @Test
    void readsAStatFileOfAnOldKernelWithFourCounters() throws IOException {
        CpuTimes times = write("stat", "cpu 1 2 3 4\ncpu0 1 2 3 4\n").cpuTimes();

        assertThat(times.busyTicks()).isEqualTo(6);
        assertThat(times.totalTicks()).isEqualTo(10);
    }

    @Test
    void rejectsAStatFileWithoutACpuLine() throws IOException {
        ProcFiles files = write("stat", "intr 1\n");

        assertThatThrownBy(files::cpuTimes).isInstanceOf(IOException.class).hasMessageContaining("no 'cpu' line");
    }

    @Test
    void takesMemoryInUseAsTotalMinusAvailable() throws IOException {
        MemoryFigures memory = write("meminfo", """
                MemTotal:        1000 kB
                MemFree:          100 kB
                MemAvailable:     250 kB
                SwapTotal:        400 kB
                SwapFree:         100 kB
                HugePages_Total:    0
                """).memory();

        assertThat(memory.totalBytes()).isEqualTo(1_024_000);
        assertThat(memory.memoryUsage()).isEqualTo(0.75);
        assertThat(memory.swapUsage()).isEqualTo(0.75);
    }

    @Test
    void estimatesAvailableMemoryOnKernelsWithoutMemAvailable() throws IOException {
        MemoryFigures memory = write("meminfo", """
                MemTotal:        1000 kB
                MemFree:          100 kB
                Buffers:           50 kB
                Cached:           250 kB
                """).memory();

        assertThat(memory.memoryUsage()).isEqualTo(0.6);
        assertThat(memory.swapUsage()).as("no swap").isZero();
    }

    @Test
    void readsLoadAndUptime() throws IOException {
        write("loadavg", "0.74 0.84 1.28 1/91 19127\n");
        ProcFiles files = write("uptime", "5990.72 7309.90\n");

        assertThat(files.load1()).isEqualTo(0.74);
        assertThat(files.uptimeSeconds()).isEqualTo(5990.72);
    }

    @Test
    void readsTheMountTableUnescapingSpacesAndBackslashes() throws IOException {
        ProcFiles files = write("self/mounts", """
                /dev/vda / ext4 rw,relatime 0 0
                proc /proc proc rw 0 0
                /dev/vdb /srv/my\\040data\\134x xfs rw 0 0
                /dev/vdc /srv/donn\u00e9es ext4 rw 0 0
                """);

        assertThat(files.mounts()).containsExactly(
                new Mount("/dev/vda", Path.of("/"), "ext4"),
                new Mount("proc", Path.of("/proc"), "proc"),
                new Mount("/dev/vdb", Path.of("/srv/my data\\x"), "xfs"),
                new Mount("/dev/vdc", Path.of("/srv/donn\u00e9es"), "ext4"));
        assertThat(files.mounts()).extracting(Mount::localDisk).containsExactly(true, false, true, true);
    }

    @Test
    void measuresDiskUseAsDfDoesLeavingTheReservedBlocksOut() {
        DiskUsage disk = new DiskUsage(Path.of("/"), 1000, 100, 50);

        assertThat(disk.usage()).isEqualTo(900 / 950.0);
        assertThat(new DiskUsage(Path.of("/"), 0, 0, 0).usage()).isZero();
    }

    @Test
    void readsTheSpaceOfARealFileSystem() throws IOException {
        DiskUsage disk = DiskUsage.of(proc);

        assertThat(disk.totalBytes()).isPositive();
        assertThat(disk.usage()).isBetween(0.0, 1.0);
    }
}
