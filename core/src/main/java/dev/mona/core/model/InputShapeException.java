package dev.mona.core.model;

import ai.djl.ndarray.types.Shape;

/**
 * An input of the wrong shape reached a model part (for example a 1 x 28 x 28 image given to an embedder built
 * for 3 x 32 x 32). Names the part, the received shape and the expected one.
 */
public final class InputShapeException extends MonaModelException {
    private final Shape received;
    private final String expected;

    public InputShapeException(String part, Shape received, String expected) {
        super(part + " received an input of shape " + received + " but expects " + expected
                + "; check the task's input shape against the architecture it was built for.");
        this.received = received;
        this.expected = expected;
    }

    /** The shape that was passed in. */
    public Shape received() {
        return received;
    }

    /** The expected shape, in words (for example {@code (B, 3, 32, 32)}). */
    public String expected() {
        return expected;
    }
}
