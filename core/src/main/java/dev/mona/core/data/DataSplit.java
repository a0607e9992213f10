package dev.mona.core.data;

/** Inputs and targets of one split; {@code x} and {@code y} have the same number of rows. */
public record DataSplit(HostTensor x, HostTensor y) {
    public DataSplit {
        if (x.rows() != y.rows()) {
            throw new IllegalArgumentException("inputs have " + x.rows() + " rows but targets have " + y.rows());
        }
    }

    public int size() {
        return x.rows();
    }
}
