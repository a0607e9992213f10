package dev.mona.core.task;

import dev.mona.core.UserError;
import java.util.List;

/** A task name that the catalogue does not know; lists the closest known names. */
public class UnknownTaskException extends IllegalArgumentException implements UserError {
    private final String value;
    private final List<String> closest;

    public UnknownTaskException(String value, List<String> closest) {
        super("unknown task '" + value + "'" + (closest.isEmpty() ? "" : "; did you mean " + String.join(", ", closest)
                + "?") + " (`mona tasks` lists them all)");
        this.value = value;
        this.closest = List.copyOf(closest);
    }

    public String value() {
        return value;
    }

    public List<String> closest() {
        return closest;
    }

    @Override
    public UserError.Kind kind() {
        return UserError.Kind.BAD_CONFIGURATION;
    }
}
