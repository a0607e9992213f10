package dev.mona.core.io;

import dev.mona.core.model.MonaModelException;

import java.nio.file.Path;
import java.util.List;

/**
 * The parameter names of a weights or checkpoint file do not match the model: {@link #unknown()} are in the
 * file but not in the model, {@link #missing()} are in the model but not in the file. Raised by a strict load.
 */
public final class ParameterMismatchException extends MonaModelException {
    private final List<String> unknown;
    private final List<String> missing;

    public ParameterMismatchException(Path file, List<String> unknown, List<String> missing) {
        super("parameters of " + file + " do not match the model: " + unknown.size() + " unknown " + head(unknown)
                + ", " + missing.size() + " missing " + head(missing)
                + ". Check that the file was written for this architecture and configuration,"
                + " or load non-strictly to keep the model's own values for missing names.");
        this.unknown = List.copyOf(unknown);
        this.missing = List.copyOf(missing);
    }

    private static String head(List<String> names) {
        return names.size() <= 20 ? names.toString() : names.subList(0, 20) + " ...";
    }

    /** Names present in the file that the model does not have. */
    public List<String> unknown() {
        return unknown;
    }

    /** Names the model needs that the file lacks. */
    public List<String> missing() {
        return missing;
    }
}
