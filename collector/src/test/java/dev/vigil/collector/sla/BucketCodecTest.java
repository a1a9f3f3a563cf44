package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BucketCodecTest {
    private final BucketCodec.Reader reader = new BucketCodec.Reader();

    @Test
    void blocksOfEveryShapeDecodeToWhatWasEncoded() {
        SplittableRandom random = new SplittableRandom(11);
        BucketCodec.Writer writer = new BucketCodec.Writer();
        for (int round = 0; round < 3_000; round++) {
            SparseHistogram histogram = randomHistogram(random);
            writer.reset();
            // A prefix, so blocks are also read from inside an array as days hold them.
            writer.writeByte(0x5A);
            BucketCodec.encode(histogram, writer);
            byte[] bytes = writer.toByteArray();

            SparseHistogram decoded = new SparseHistogram();
            int end = BucketCodec.decode(bytes, 1, reader, decoded);

            assertThat(end).isEqualTo(bytes.length);
            assertThat(decoded.samples).isEqualTo(histogram.samples);
            assertThat(decoded.failures).isEqualTo(histogram.failures);
            assertThat(Arrays.copyOf(decoded.indices, decoded.size)).isEqualTo(Arrays.copyOf(histogram.indices,
                    histogram.size));
            assertThat(Arrays.copyOf(decoded.counts, decoded.size)).isEqualTo(Arrays.copyOf(histogram.counts,
                    histogram.size));
        }
    }

    @Test
    void theQueryLoopAddsExactlyWhatTheEntryReaderReads() {
        SplittableRandom random = new SplittableRandom(12);
        BucketCodec.Writer writer = new BucketCodec.Writer();
        int pairsBlocks = 0;
        for (int round = 0; round < 3_000; round++) {
            SparseHistogram histogram = randomHistogram(random);
            if (histogram.size == 0) {
                continue;
            }
            writer.reset();
            BucketCodec.encode(histogram, writer);
            byte[] bytes = writer.toByteArray();
            int header = varintLength(histogram.samples << 1)
                    + (histogram.failures > 0 ? varintLength(histogram.failures) : 0);
            pairsBlocks += (bytes[header] & 0x80) != 0 ? 1 : 0;

            long[] expected = new long[LatencyScale.INDEX_COUNT];
            for (int i = 0; i < histogram.size; i++) {
                expected[histogram.indices[i]] += histogram.counts[i];
            }
            long[] added = new long[LatencyScale.INDEX_COUNT];
            reader.open(bytes, 0);
            int lowest = reader.addAllTo(added);

            assertThat(added).isEqualTo(expected);
            assertThat(lowest).isEqualTo(histogram.indices[0]);
            assertThat(reader.index).isEqualTo(histogram.indices[histogram.size - 1]);
            assertThat(reader.end()).isEqualTo(bytes.length);
        }
        assertThat(pairsBlocks).as("blocks coded as pairs").isBetween(100, 2_900);
    }

    private static int varintLength(long value) {
        return value < 128 ? 1 : (64 - Long.numberOfLeadingZeros(value) + 6) / 7;
    }

    @Test
    void aBucketOfThirtyTypicalLatenciesTakesAboutOneBytePerSample() {
        SplittableRandom random = new SplittableRandom(3);
        long bytes = 0;
        int buckets = 1_000;
        for (int b = 0; b < buckets; b++) {
            int[] values = new int[30];
            for (int i = 0; i < values.length; i++) {
                values[i] = LatencyScale.index((long) (20_000 * Math.exp(0.4 * gaussian(random))));
            }
            Arrays.sort(values);
            SparseHistogram histogram = new SparseHistogram();
            histogram.samples = values.length;
            histogram.mergeSortedValues(values, 0, values.length, new SparseHistogram());
            BucketCodec.Writer writer = new BucketCodec.Writer();
            BucketCodec.encode(histogram, writer);
            bytes += writer.size();
        }
        assertThat(bytes / (30.0 * buckets)).isLessThan(1.3);
    }

    @Test
    void aBlockCutShortIsReportedCorrupt() {
        SparseHistogram histogram = new SparseHistogram();
        histogram.samples = 5;
        histogram.append(100, 2);
        histogram.append(9_000, 3);
        BucketCodec.Writer writer = new BucketCodec.Writer();
        BucketCodec.encode(histogram, writer);
        byte[] truncated = Arrays.copyOf(writer.toByteArray(), 2);

        assertThatThrownBy(() -> BucketCodec.decode(truncated, 0, reader, new SparseHistogram()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("corrupt latency block");
    }

    private static SparseHistogram randomHistogram(SplittableRandom random) {
        SparseHistogram histogram = new SparseHistogram(4);
        int distinct = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 40 : 3_000);
        int index = random.nextInt(LatencyScale.INDEX_COUNT - distinct);
        long successes = 0;
        for (int i = 0; i < distinct && index < LatencyScale.INDEX_COUNT; i++) {
            long count = switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextLong(1L << random.nextInt(1, 40));
                case 1 -> 1 + random.nextInt(50);
                default -> 1;
            };
            histogram.append(index, count);
            successes += count;
            index += 1 + (random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(30));
        }
        histogram.failures = random.nextBoolean() ? 0 : random.nextLong(1L << random.nextInt(1, 40));
        histogram.samples = successes + histogram.failures;
        return histogram;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
