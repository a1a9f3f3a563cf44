/**
 * Making Netty's leak detection fail tests. Netty reports a {@code ByteBuf} that was garbage-collected
 * without {@code release()} only in its log, and only when some later allocation happens to poll the
 * detector's reference queue; a test that leaks passes. {@link dev.vigil.testsupport.netty.NettyLeakExtension}
 * records every report through its own {@code ResourceLeakDetectorFactory}, installed once per JVM before
 * Netty creates its buffer detector, and after each test collects garbage and polls every detector, so
 * a leak fails the test during (or at worst just after) which it was dropped.
 *
 * <p>A module opts in with {@code junit.jupiter.extensions.autodetection.enabled=true} in its
 * {@code src/test/resources/junit-platform.properties} (this jar registers the extension in
 * {@code META-INF/services}), or with {@code @ExtendWith(NettyLeakExtension.class)}.
 */
package dev.vigil.testsupport.netty;
