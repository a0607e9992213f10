package dev.mona.core;

/**
 * A configuration value that core cannot use (out of range, unknown name, inconsistent with another value). It
 * stays an {@link IllegalArgumentException} so that existing argument checks keep their meaning.
 */
public class BadConfigurationException extends IllegalArgumentException implements UserError {
    public BadConfigurationException(String message) {
        super(message);
    }

    @Override
    public Kind kind() {
        return Kind.BAD_CONFIGURATION;
    }
}
