package dev.vigil.testsupport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeakRecorderTest {
    private LeakRecorder recorder;

    @BeforeEach
    void installAndForgetEarlierLeaks() throws InterruptedException {
        recorder = LeakRecorder.install();
        recorder.flushAndDrain();
    }

    private static void leakABufferFromTheDefaultAllocator() {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeLong(42);
    }

    private static void leakAnUnpooledBuffer() {
        Unpooled.directBuffer(16).writeInt(7);
    }

    @Test
    void recordsABufferDroppedWithoutRelease() throws InterruptedException {
        leakABufferFromTheDefaultAllocator();

        assertThat(recorder.flushAndDrain()).singleElement().asString()
                .startsWith("LEAK of ByteBuf:")
                .contains("leakABufferFromTheDefaultAllocator");
    }

    @Test
    void recordsEachLeakOnceAndThenNothing() throws InterruptedException {
        leakAnUnpooledBuffer();

        assertThat(recorder.flushAndDrain()).singleElement().asString().contains("leakAnUnpooledBuffer");
        assertThat(recorder.flushAndDrain()).isEmpty();
    }

    @Test
    void recordsNothingForReleasedBuffers() throws InterruptedException {
        ByteBuf buffer = ByteBufAllocator.DEFAULT.buffer(64);
        buffer.writeLong(42);
        buffer.release();

        assertThat(recorder.flushAndDrain()).isEmpty();
    }

    @Test
    void theExtensionFailsWithTheLeaksRecords() {
        leakAnUnpooledBufferToo();

        assertThatThrownBy(() -> NettyLeakExtension.failOnLeaks("during aTest()"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("1 Netty resource leak(s) reported during aTest():")
                .hasMessageContaining("leakAnUnpooledBufferToo");
    }

    private static void leakAnUnpooledBufferToo() {
        Unpooled.directBuffer(8).writeByte(1);
    }

    @Test
    void installsOncePerJvm() {
        assertThat(LeakRecorder.install()).isSameAs(recorder);
    }
}
