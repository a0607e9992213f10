package dev.mona.core.metric;

/**
 * Where one protein lies in a PSICOV distance-map window: residue {@code i} of the protein sits at window row
 * {@code i + rowOffset} and window column {@code i + colOffset}. An uncropped protein (padded by 5 residues and
 * placed at the window's top-left, as ORCA does) has offsets 5 and 5; a protein cropped at {@code (rx, ry)} of its
 * padded map has {@code 5 - rx} and {@code 5 - ry}.
 *
 * @param length    the protein's sequence length L
 * @param rowOffset window row of residue 0 (may be negative when cropped)
 * @param colOffset window column of residue 0 (may be negative when cropped)
 */
public record ProteinWindow(int length, int rowOffset, int colOffset) {
    public ProteinWindow {
        if (length < 0) {
            throw new IllegalArgumentException("protein length must be >= 0, got " + length);
        }
    }
}
