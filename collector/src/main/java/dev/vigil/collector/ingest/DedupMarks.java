package dev.vigil.collector.ingest;

import dev.vigil.config.DurableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per (agent, journal epoch): the highest agent journal index and the highest gap sequence the
 * collector has settled. What the collector deduplicates by. Rebuilt by replaying the journal; saved
 * to {@code <data_dir>/dedup-marks} before journal files are deleted by retention, so the marks of
 * deleted entries survive, and loaded before the replay. Marks only grow, so loading a newer save and
 * then replaying older entries gives the same marks. Not thread-safe: the collector verticle's thread.
 *
 * <p>File: one line per (agent, epoch): {@code agent epoch index gap}, replaced atomically and durably
 * ({@link DurableFile}).
 */
final class DedupMarks {
    /** The marks of one agent journal epoch; -1 = nothing yet. */
    static final class Marks {
        long index = -1;
        long gap = -1;
    }

    private final Map<String, Map<Long, Marks>> byAgent = new HashMap<>();

    /** The marks of {@code agent}'s epoch {@code epoch}, created at -1/-1. */
    Marks of(String agent, long epoch) {
        return byAgent.computeIfAbsent(agent, a -> new HashMap<>()).computeIfAbsent(epoch, e -> new Marks());
    }

    /** The highest epoch {@code agent} has shipped from, or -1. */
    long latestEpoch(String agent) {
        Map<Long, Marks> epochs = byAgent.get(agent);
        if (epochs == null || epochs.isEmpty()) {
            return -1;
        }
        return epochs.keySet().stream().mapToLong(Long::longValue).max().orElse(-1);
    }

    /** Raises the marks to at least the ones saved in {@code file}; a missing file is no marks. */
    void load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dedup marks " + file, e);
        }
        int lineNumber = 0;
        for (String line : text.split("\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.trim().split(" ");
            try {
                if (fields.length != 4) {
                    throw new IllegalArgumentException("expected 'agent epoch index gap'");
                }
                Marks marks = of(fields[0], Long.parseLong(fields[1]));
                marks.index = Math.max(marks.index, Long.parseLong(fields[2]));
                marks.gap = Math.max(marks.gap, Long.parseLong(fields[3]));
            } catch (IllegalArgumentException e) {
                // A torn file cannot happen (atomic rename); anything else is someone's edit: refuse to
                // guess, since wrong marks would drop or double samples.
                throw new IllegalStateException(file + ":" + lineNumber + ": not a dedup mark line ('" + line + "'): "
                        + e.getMessage(), e);
            }
        }
    }

    /** Saves every mark durably to {@code file}. */
    void save(Path file) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(byAgent).forEach((agent, epochs) -> new TreeMap<>(epochs).forEach((epoch, marks) ->
                text.append(agent).append(' ').append(epoch).append(' ').append(marks.index).append(' ')
                        .append(marks.gap).append('\n')));
        try {
            DurableFile.write(file, text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the dedup marks to " + file, e);
        }
    }
}
