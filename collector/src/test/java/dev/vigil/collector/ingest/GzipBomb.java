package dev.vigil.collector.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/** Gzip streams that inflate far beyond their size, built once per JVM. */
enum GzipBomb implements Supplier<byte[]> {
    /** 1 GiB of zeros, about 1 MiB compressed. */
    ONE_GIB_OF_ZEROS(1L << 30);

    private final long inflatedBytes;
    private byte[] compressed;

    GzipBomb(long inflatedBytes) {
        this.inflatedBytes = inflatedBytes;
    }

    @Override
    public synchronized byte[] get() {
        if (compressed == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] zeros = new byte[1 << 20];
            try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
                for (long written = 0; written < inflatedBytes; written += zeros.length) {
                    gzip.write(zeros);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            compressed = out.toByteArray();
        }
        return compressed;
    }
}
