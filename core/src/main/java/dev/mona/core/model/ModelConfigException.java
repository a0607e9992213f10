package dev.mona.core.model;

import dev.mona.core.UserError;

/** A model configuration that cannot be built (for example a width that the number of heads does not divide). */
public final class ModelConfigException extends MonaModelException {
    public ModelConfigException(String message) {
        super(message);
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.BAD_CONFIGURATION;
    }
}
