package dev.vigil.agent.host;

/**
 * The host's memory and swap, from {@code /proc/meminfo}, in bytes.
 *
 * @param totalBytes     {@code MemTotal}, &gt; 0
 * @param availableBytes {@code MemAvailable}: what new work can get without swapping
 * @param swapTotalBytes {@code SwapTotal}, 0 without swap
 * @param swapFreeBytes  {@code SwapFree}
 */
public record MemoryFigures(long totalBytes, long availableBytes, long swapTotalBytes, long swapFreeBytes) {

    /** Validates the figures. */
    public MemoryFigures {
        if (totalBytes <= 0 || availableBytes < 0 || swapTotalBytes < 0 || swapFreeBytes < 0) {
            throw new IllegalArgumentException("memory figures must be >= 0 and MemTotal > 0");
        }
    }

    /** The share of memory in use, (total - available) / total, 0..1. */
    public double memoryUsage() {
        return clamp((double) (totalBytes - availableBytes) / totalBytes);
    }

    /** The share of swap in use, 0 when there is no swap. */
    public double swapUsage() {
        return swapTotalBytes == 0 ? 0 : clamp((double) (swapTotalBytes - swapFreeBytes) / swapTotalBytes);
    }

    private static double clamp(double ratio) {
        return Math.max(0, Math.min(1, ratio));
    }
}
