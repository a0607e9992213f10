package dev.mona.core.pretrained;

import dev.mona.core.model.MonaModelException;

/**
 * Pretrained weights cannot be used: a file is missing or malformed, a parameter is absent, or its shape differs
 * from the one the encoder configuration expects. The message names the parameter and the shapes.
 */
public final class PretrainedWeightsException extends MonaModelException {
    public PretrainedWeightsException(String message) {
        super(message);
    }

    public PretrainedWeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
