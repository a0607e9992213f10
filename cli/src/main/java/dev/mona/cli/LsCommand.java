package dev.mona.cli;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

@Command(name = "ls", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "List the runs and sweeps recorded in the artifact store (a run with a manifest is complete).")
final class LsCommand extends Verb {
    /** One listed run or sweep. */
    record Listed(String kind, String id, String state, int objects) {
    }

    @Override
    public Integer call() {
        try (Session s = session(false)) {
            List<Listed> rows = new ArrayList<>();
            rows.addAll(group(s.store(), ArtifactKeys.RUNS, "run", ArtifactKeys::manifest));
            rows.addAll(group(s.store(), ArtifactKeys.SWEEPS, "sweep", ArtifactKeys::sweepResults));
            switch (format) {
                case json -> printJson(rows);
                case csv -> {
                    out().println("kind,id,state,objects");
                    rows.forEach(r -> out().println(r.kind() + "," + r.id() + "," + r.state() + "," + r.objects()));
                }
                case markdown -> {
                    out().println("| kind | id | state | objects |\n|---|---|---|---|");
                    rows.forEach(r -> out().println("| " + r.kind() + " | " + r.id() + " | " + r.state() + " | "
                            + r.objects() + " |"));
                }
                default -> {
                    if (rows.isEmpty()) {
                        out().println("no runs yet");
                    }
                    rows.forEach(r -> out().printf("%-6s %-10s %4d  %s%n", r.kind(), r.state(), r.objects(), r.id()));
                }
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** The ids under {@code prefix}; one is complete when its {@code doneKey} object exists. */
    private static List<Listed> group(ArtifactStore store, String prefix, String kind,
                                      Function<String, String> doneKey) {
        Map<String, int[]> count = new TreeMap<>();
        Map<String, Boolean> done = new LinkedHashMap<>();
        for (ArtifactStore.Entry e : store.list(prefix)) {
            String rest = e.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) continue;
            String id = rest.substring(0, slash);
            count.computeIfAbsent(id, k -> new int[1])[0]++;
            if (e.key().equals(doneKey.apply(id))) {
                done.put(id, true);
            }
        }
        List<Listed> out = new ArrayList<>();
        count.forEach((id, n) -> out.add(new Listed(kind, id, done.containsKey(id) ? "complete" : "partial", n[0])));
        return out;
    }
}
