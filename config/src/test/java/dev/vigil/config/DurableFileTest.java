package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileRatherThanRewritingItInPlace() throws IOException {
        Path file = dir.resolve("state");
        DurableFile.write(file, "old\n");

        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            DurableFile.write(file, "new\n");

            // A reader of the old file still sees all of it: the new content arrived by a rename, never
            // by truncating and rewriting the file someone may be reading or a crash may interrupt.
            ByteBuffer old = ByteBuffer.allocate(16);
            reader.read(old, 0);
            assertThat(new String(old.array(), 0, old.position(), StandardCharsets.UTF_8)).isEqualTo("old\n");
        }
        assertThat(Files.readString(file)).isEqualTo("new\n");
        assertThat(names()).containsExactly("state");
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path file = dir.resolve("data/agent/state");

        DurableFile.write(file, "ü\n");

        assertThat(Files.readAllBytes(file)).isEqualTo("ü\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheBuffersOneAfterAnotherAndLeavesTheirPositionsAlone() throws IOException {
        Path file = dir.resolve("snapshot.bin");
        ByteBuffer header = ByteBuffer.allocate(4).putInt(0x01020304).flip();
        ByteBuffer body = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5}, 1, 3);

        DurableFile.write(file, header, body);

        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3, 4, 8, 7, 6);
        assertThat(header.position()).isZero();
        assertThat(body.position()).isEqualTo(1);
        assertThat(names()).containsExactly("snapshot.bin");
    }

    @Test
    void givesAnOwnerOnlyFileNoPermissionForOthersEvenOverALeftoverTemporaryFile() throws IOException {
        assumePosixPermissions();
        Path file = dir.resolve("assignment.json");
        Path leftover = Files.writeString(dir.resolve("assignment.json.tmp"), "from a crash");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));

        DurableFile.writeOwnerOnly(file, "{\"token\":\"secret\"}");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).isEqualTo("{\"token\":\"secret\"}");
        assertThat(names()).containsExactly("assignment.json");
    }

    @Test
    void keepsTheDirectorysDefaultPermissionsWithoutOwnerOnly() throws IOException {
        assumePosixPermissions();
        Path file = dir.resolve("plain");
        Path reference = Files.createFile(dir.resolve("reference"));

        DurableFile.write(file, "x");

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void leavesNoTemporaryFileWhenTheRenameFails() throws IOException {
        Path file = dir.resolve("state");
        Files.createDirectory(file);

        assertThatThrownBy(() -> DurableFile.write(file, "new\n")).isInstanceOf(IOException.class);

        assertThat(file).isDirectory();
        assertThat(names()).containsExactly("state");
    }

    @Test
    void failsAndLeavesTheOldContentWhenADirectoryTakesTheTemporaryFilesName() throws IOException {
        Path file = dir.resolve("catalogue.json");
        DurableFile.write(file, "old\n");
        Files.createDirectory(dir.resolve("catalogue.json.tmp"));

        assertThatThrownBy(() -> DurableFile.write(file, "new\n")).isInstanceOf(IOException.class);

        // The directory is not the writer's to delete, even empty; the old content stays in place.
        assertThat(dir.resolve("catalogue.json.tmp")).isEmptyDirectory();
        assertThat(Files.readString(file)).isEqualTo("old\n");
    }

    private void assumePosixPermissions() throws IOException {
        assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class),
                "the file system has POSIX permissions");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
