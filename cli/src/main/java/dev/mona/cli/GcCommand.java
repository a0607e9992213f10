package dev.mona.cli;

import dev.mona.activities.store.ArtifactKeys;
import dev.mona.activities.store.ArtifactStore;
import dev.mona.activities.store.CheckpointRetention;
import dev.mona.workers.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Command(name = "gc", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Free store space: checkpoints of finished runs beyond the retention rule (the newest --keep "
                + "folders of each stage; the best weights are in the last one and in model/final.safetensors), and "
                + "with --older-than the whole folder of each failed, cancelled, terminated or unknown run that ended "
                + "before then (its checkpoints could have resumed a retry until then).",
                "A running run, its folder and the shared data sets and source encoders are never touched."})
final class GcCommand extends Verb {
    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--older-than", paramLabel = "WHEN",
            description = "Also delete runs that failed or were cancelled before this age (90s, 30m, 12h, 7d) or "
                    + "ISO date or instant.")
    String olderThan;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "" + CheckpointRetention.DEFAULT_KEEP,
            description = "Checkpoint folders kept per stage of a finished run, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    int keep;

    @Override
    public Integer call() {
        if (keep < 1 || keep > 1000) {
            throw new CliException(ExitCodes.BAD_INPUT, "--keep " + keep + " is out of range: keep 1 to 1000 "
                    + "checkpoint folders");
        }
        Instant cutoff = olderThan == null ? null : TimeSpec.instant("--older-than", olderThan);
        try (Session s = session(false)) {
            List<ArtifactStore.Entry> doomed = new ArrayList<>();
            List<String> running = new ArrayList<>();
            for (RunCatalog.Entry e : RunCatalog.list(s)) {
                if (!e.kind().equals("run")) {
                    continue;
                }
                switch (e.state()) {
                    case "running" -> running.add(e.id());
                    case "completed" -> doomed.addAll(CheckpointRetention.surplus(s.store(), e.id(), keep));
                    default -> {
                        Instant ended = e.ended() != null ? e.ended() : e.started();
                        if (cutoff != null && (ended == null || ended.isBefore(cutoff))) {
                            doomed.addAll(s.store().list(ArtifactKeys.run(e.id())));
                        }
                    }
                }
            }
            if (!dryRun) {
                doomed.forEach(d -> s.store().delete(d.key()));
            }
            long bytes = doomed.stream().mapToLong(ArtifactStore.Entry::size).sum();
            if (json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("dryRun", dryRun);
                o.put("deleted", doomed);
                o.put("bytes", bytes);
                o.put("running", running);
                printJson(o);
            } else {
                doomed.forEach(d -> out().printf("%10d  %s%n", d.size(), d.key()));
                out().println((dryRun ? "would delete " : "deleted ") + doomed.size() + " objects, "
                        + RunCatalog.size(bytes) + (running.isEmpty() ? "" : "; left running runs alone: "
                        + String.join(", ", running)));
                out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
