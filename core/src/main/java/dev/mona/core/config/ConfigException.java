package dev.mona.core.config;

import dev.mona.core.BadConfigurationException;

/**
 * A run configuration a user got wrong: an unknown key, a value of the wrong type or out of range, or a key that
 * does not apply to the chosen task, method or source encoder. The message names the key and the fix; nothing is
 * gained by retrying.
 */
public class ConfigException extends BadConfigurationException {
    public ConfigException(String message) {
        super(message);
    }
}
