package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntervalSetTest {

    /** Parses "0-5 10-20" into a set. */
    private static IntervalSet set(String text) {
        IntervalSet.Builder builder = IntervalSet.builder();
        if (text != null && !text.isBlank()) {
            for (String part : text.strip().split("\\s+")) {
                String[] b = part.split("-");
                builder.add(Long.parseLong(b[0]), Long.parseLong(b[1]));
            }
        }
        return builder.build();
    }

    @ParameterizedTest(name = "{0} | {1}: union {2}, intersect {3}, minus {4}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            # a           | b           | a ∪ b            | a ∩ b       | a − b
            0-10          | 5-15        | 0-15             | 5-10        | 0-5
            0-10          | 10-20       | 0-20             | none        | 0-10
            0-10 20-30    | 5-25        | 0-30             | 5-10 20-25  | 0-5 25-30
            0-100         | 10-20 30-40 | 0-100            | 10-20 30-40 | 0-10 20-30 40-100
            none          | 0-5         | 0-5              | none        | none
            0-5           | none        | 0-5              | none        | 0-5
            0-5 5-10      | 20-30       | 0-10 20-30       | none        | 0-10
            10-20         | 0-10 20-30  | 0-30             | none        | 10-20
            """)
    void combinesSetsLikeSetsOfInstants(String a, String b, String union, String intersect, String minus) {
        assertThat(set(a).union(set(b))).isEqualTo(set(union));
        assertThat(set(a).intersect(set(b))).isEqualTo(set(intersect));
        assertThat(set(a).minus(set(b))).isEqualTo(set(minus));
    }

    @Test
    void builderMergesOverlappingAndTouchingIntervalsInAnyOrder() {
        IntervalSet built = IntervalSet.builder().add(20, 30).add(0, 5).add(5, 10).add(25, 40).add(7, 8).add(50, 50)
                .build();
        assertThat(built.toString()).isEqualTo("[0,10) [20,40)");
        assertThat(built.size()).isEqualTo(2);
        assertThat(built.totalMillis()).isEqualTo(30);
        assertThat(built.contains(9)).isTrue();
        assertThat(built.contains(10)).isFalse();
        assertThat(built.contains(20)).isTrue();
        assertThat(built.clip(5, 25)).isEqualTo(set("5-10 20-25"));
        assertThat(IntervalSet.of(3, 3).isEmpty()).isTrue();
    }

    @Test
    void agreesWithABitSetOnRandomSets() {
        long seed = 20261127L;
        Random random = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            BitSet bitsA = new BitSet();
            BitSet bitsB = new BitSet();
            IntervalSet a = randomSet(random, bitsA);
            IntervalSet b = randomSet(random, bitsB);
            assertThat(toBits(a.union(b))).as("seed %d round %d", seed, round).isEqualTo(or(bitsA, bitsB));
            BitSet and = (BitSet) bitsA.clone();
            and.and(bitsB);
            assertThat(toBits(a.intersect(b))).as("seed %d round %d", seed, round).isEqualTo(and);
            BitSet andNot = (BitSet) bitsA.clone();
            andNot.andNot(bitsB);
            assertThat(toBits(a.minus(b))).as("seed %d round %d", seed, round).isEqualTo(andNot);
            assertThat(a.totalMillis()).isEqualTo(bitsA.cardinality());
            int probe = random.nextInt(120);
            assertThat(a.contains(probe)).isEqualTo(bitsA.get(probe));
        }
    }

    private static IntervalSet randomSet(Random random, BitSet bits) {
        IntervalSet.Builder builder = IntervalSet.builder();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            int start = random.nextInt(100);
            int end = start + random.nextInt(20);
            builder.add(start, end);
            bits.set(start, end);
        }
        return builder.build();
    }

    private static BitSet toBits(IntervalSet set) {
        BitSet bits = new BitSet();
        for (int i = 0; i < set.size(); i++) {
            bits.set((int) set.start(i), (int) set.end(i));
        }
        return bits;
    }

    private static BitSet or(BitSet a, BitSet b) {
        BitSet result = (BitSet) a.clone();
        result.or(b);
        return result;
    }
}
