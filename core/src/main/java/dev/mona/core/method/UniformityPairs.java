package dev.mona.core.method;

/** Which pairs of source features the uniformity loss {@code L_unif} averages over. */
public enum UniformityPairs {
    /** Every pair {@code i != j} (the paper's formula; the default). */
    ALL,
    /** Only pairs of different classes, so that uniformity does not fight alignment within a class. */
    DIFFERENT_CLASS
}
