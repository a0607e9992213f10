package dev.mona.core.fetch;

/**
 * Limits that stop a decompression bomb while it is being extracted (bytes are counted as they are written, not
 * taken from the archive's headers).
 *
 * @param maxTotalBytes  most bytes all entries may expand to together
 * @param maxEntries     most entries
 * @param maxRatio       most expanded bytes per archive byte ...
 * @param ratioFloor     ... enforced once this many bytes have been expanded (small archives of zeros are fine)
 */
public record ExtractionLimits(long maxTotalBytes, int maxEntries, double maxRatio, long ratioFloor) {

    /** 256 GiB, 1,000,000 entries, ratio 200 beyond 64 MiB. */
    public static ExtractionLimits defaults() {
        return new ExtractionLimits(256L << 30, 1_000_000, 200, 64L << 20);
    }
}
