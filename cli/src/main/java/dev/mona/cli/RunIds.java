package dev.mona.cli;

import dev.mona.workers.Session;

import java.util.List;
import java.util.Set;

/**
 * Run and sweep ids as people type them: the full id, or any prefix that starts exactly one id known to Temporal
 * or the store ({@code mona status transfer-offline-dna-mona}). An ambiguous prefix is bad input listing the
 * candidates, an unknown one is not found.
 */
final class RunIds {
    private RunIds() {}

    /** Most candidates an ambiguous prefix lists. */
    static final int MAX_CANDIDATES = 10;

    /** The one id {@code id} names (itself when it is a whole id); {@code id} has passed {@link RequestChecks#id}. */
    static String resolve(Session s, String id) {
        if (Watcher.exists(s.client(), id)) {
            return id; // a whole id: no listing needed
        }
        Set<String> matches = RunCatalog.ids(s, id);
        if (matches.contains(id)) {
            return id;
        }
        if (matches.size() == 1) {
            return matches.iterator().next();
        }
        if (matches.isEmpty()) {
            throw new CliException(ExitCodes.NOT_FOUND, "no run or sweep '" + id + "'; see 'mona ls'");
        }
        List<String> shown = matches.stream().limit(MAX_CANDIDATES).toList();
        throw new CliException(ExitCodes.BAD_INPUT, "'" + id + "' starts " + matches.size() + " ids: "
                + String.join(", ", shown) + (matches.size() > shown.size() ? ", ..." : "")
                + "; give more of the id");
    }
}
