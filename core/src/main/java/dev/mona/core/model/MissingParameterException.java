package dev.mona.core.model;

import java.util.Collection;
import java.util.TreeSet;

/** A parameter a module needs is absent (for example a checkpoint written for another architecture). */
public final class MissingParameterException extends MonaModelException {
    private final String name;

    public MissingParameterException(String name, Collection<String> known) {
        super("parameter '" + name + "' is missing; the parameter map holds " + known.size() + " names"
                + (known.isEmpty() ? "" : " such as " + new TreeSet<>(known).first())
                + ". Check that the checkpoint or weights file was written for this architecture and configuration.");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
