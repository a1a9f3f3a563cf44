package dev.vigil.agent.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the host's figures from the Linux {@code /proc} file system under a root that tests may
 * point at a folder of crafted files. Every method reads its files anew; they block (briefly), so
 * call them off the event loops.
 */
public final class ProcFiles {
    private final Path root;

    /** A reader of the {@code /proc} tree at {@code root}, normally {@code /proc}. */
    public ProcFiles(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** The CPU counters of {@code stat}. */
    public CpuTimes cpuTimes() throws IOException {
        Path file = root.resolve("stat");
        long[] ticks = null;
        int cpus = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            String[] fields = line.trim().split("\\s+");
            if (fields[0].equals("cpu")) {
                ticks = numbers(file, line, fields);
            } else if (fields[0].matches("cpu\\d+")) {
                cpus++;
            }
        }
        if (ticks == null || ticks.length < 4) {
            throw new IOException(file + " has no 'cpu' line with at least 4 counters");
        }
        // user nice system idle iowait irq softirq steal; guest and guest_nice are already in user and nice.
        long idle = ticks[3] + at(ticks, 4);
        long total = 0;
        for (int i = 0; i < Math.min(ticks.length, 8); i++) {
            total += ticks[i];
        }
        return new CpuTimes(total - idle, total, Math.max(1, cpus));
    }

    /** The memory and swap figures of {@code meminfo}. */
    public MemoryFigures memory() throws IOException {
        Path file = root.resolve("meminfo");
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String[] amount = line.substring(colon + 1).trim().split("\\s+");
            try {
                long value = Long.parseLong(amount[0]);
                values.put(line.substring(0, colon).trim(), amount.length > 1 && amount[1].equals("kB") ? value * 1024 : value);
            } catch (NumberFormatException e) {
                throw new IOException(file + " has a line that is not 'Name: number [kB]': '" + line + "'", e);
            }
        }
        Long total = values.get("MemTotal");
        if (total == null || total <= 0) {
            throw new IOException(file + " has no MemTotal");
        }
        // Kernels before 3.14 have no MemAvailable; free plus page cache is what they offer instead.
        Long available = values.get("MemAvailable");
        if (available == null) {
            available = values.getOrDefault("MemFree", 0L) + values.getOrDefault("Buffers", 0L)
                    + values.getOrDefault("Cached", 0L);
        }
        return new MemoryFigures(total, Math.min(available, total), values.getOrDefault("SwapTotal", 0L),
                values.getOrDefault("SwapFree", 0L));
    }

    /** The 1-minute load average of {@code loadavg}. */
    public double load1() throws IOException {
        return firstNumber(root.resolve("loadavg"));
    }

    /** The seconds since boot of {@code uptime}. */
    public double uptimeSeconds() throws IOException {
        return firstNumber(root.resolve("uptime"));
    }

    /** The mount table of this process ({@code self/mounts}), in order. */
    public List<Mount> mounts() throws IOException {
        Path file = root.resolve("self").resolve("mounts");
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length < 3) {
                continue;
            }
            try {
                mounts.add(new Mount(unescape(fields[0]), Path.of(unescape(fields[1])), fields[2]));
            } catch (InvalidPathException e) {
                throw new IOException(file + " has a mount point that is not a path: '" + fields[1] + "'", e);
            }
        }
        return mounts;
    }

    private static double firstNumber(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        String first = text.split("\\s+")[0];
        try {
            return Double.parseDouble(first);
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not start with a number: '" + text + "'", e);
        }
    }

    private static long[] numbers(Path file, String line, String[] fields) throws IOException {
        long[] numbers = new long[fields.length - 1];
        try {
            for (int i = 1; i < fields.length; i++) {
                numbers[i - 1] = Long.parseLong(fields[i]);
            }
        } catch (NumberFormatException e) {
            throw new IOException(file + " has a cpu line that is not all numbers: '" + line + "'", e);
        }
        return numbers;
    }

    private static long at(long[] values, int index) {
        return index < values.length ? values[index] : 0;
    }

    /** The kernel writes space, tab, newline and backslash in mount table fields as octal escapes ({@code \040}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && isOctal(raw, i + 1)) {
                bytes.write(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0'));
                i += 3;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte[] raw, int from) {
        if (from + 3 > raw.length) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (raw[i] < '0' || raw[i] > '7') {
                return false;
            }
        }
        return true;
    }
}
