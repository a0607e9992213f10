package dev.mona.core.model;

/** A model configuration that cannot be built (for example a width that the number of heads does not divide). */
public final class ModelConfigException extends MonaModelException {
    public ModelConfigException(String message) {
        super(message);
    }
}
