package dev.mona.cli;

import dev.mona.activities.stage.TaskStage;
import dev.mona.workers.Session;
import dev.mona.workflows.TransferMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

@Command(name = "ls", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"List runs and sweeps: state (from Temporal; for a run whose history the server no longer "
                + "holds, from the store: completed with a manifest, else unknown), start, duration, test metric "
                + "and the size of its objects in the store.", "Filters combine (all must hold)."})
final class LsCommand extends Verb {
    @Option(names = "--task", paramLabel = "TASK", description = "Runs of this task (sweeps over it).")
    String task;

    @Option(names = "--method", paramLabel = "METHOD", description = "Runs of this method (sweeps over it).")
    String method;

    @Option(names = "--state", paramLabel = "STATE",
            description = "running, completed, failed, cancelled, terminated, timed-out or unknown.")
    String state;

    @Option(names = "--sweep", paramLabel = "SWEEP_ID", description = "The sweep (id or unique prefix) and its runs.")
    String sweep;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Started within this age (90s, 30m, 12h, 7d) or since this ISO date or instant.")
    String since;

    private static final DateTimeFormatter START = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    @Override
    Set<Format> formats() {
        return EnumSet.allOf(Format.class);
    }

    @Override
    public Integer call() {
        Predicate<RunCatalog.Entry> keep = filter();
        try (Session s = session(false)) {
            String sweepId = sweep == null ? null : RunIds.resolve(s, RequestChecks.id(sweep));
            List<RunCatalog.Entry> rows = new ArrayList<>();
            for (RunCatalog.Entry e : RunCatalog.list(s)) {
                if (keep.test(e) && (sweepId == null || e.sweeps().contains(sweepId))) {
                    rows.add(e);
                }
            }
            print(rows);
            return ExitCodes.OK;
        }
    }

    /** The filters other than {@code --sweep}, checked before anything is read. */
    private Predicate<RunCatalog.Entry> filter() {
        Predicate<RunCatalog.Entry> keep = e -> true;
        if (task != null) {
            String t = TaskStage.describe(task).name();
            keep = keep.and(e -> e.tasks().contains(t));
        }
        if (method != null) {
            String m = TransferMethod.parse(method).label();
            keep = keep.and(e -> e.methods().contains(m));
        }
        if (state != null) {
            String st = state.strip().toLowerCase(Locale.ROOT).replace("canceled", "cancelled");
            if (!RunCatalog.STATES.contains(st)) {
                throw new CliException(ExitCodes.BAD_INPUT, "--state '" + state + "' is not a state; choose one of "
                        + String.join(", ", RunCatalog.STATES));
            }
            keep = keep.and(e -> e.state().equals(st));
        }
        if (since != null) {
            Instant from = TimeSpec.instant("--since", since);
            keep = keep.and(e -> e.started() != null && !e.started().isBefore(from));
        }
        return keep;
    }

    private void print(List<RunCatalog.Entry> rows) {
        switch (format) {
            case json -> printJson(rows.stream().map(LsCommand::json).toList());
            case csv -> {
                out().println("kind,id,state,task,method,seed,start,seconds,metric,value,bytes,objects");
                rows.forEach(r -> out().println(csv(r.kind(), r.id(), r.state(), one(r.tasks()),
                        one(r.methods()), str(r.seed()), r.started() == null ? "" : r.started().toString(),
                        str(r.seconds()), r.metric() == null ? "" : r.metric(), str(r.value()),
                        Long.toString(r.bytes()), Integer.toString(r.objects()))));
            }
            case markdown -> {
                out().println("| kind | id | state | start (UTC) | duration | metric | size |\n|---|---|---|---|---|---|---|");
                rows.forEach(r -> out().println("| " + r.kind() + " | " + r.id() + " | " + r.state() + " | "
                        + start(r) + " | " + duration(r) + " | " + metric(r) + " | " + RunCatalog.size(r.bytes())
                        + " |"));
            }
            default -> {
                if (rows.isEmpty()) {
                    out().println("no runs");
                } else {
                    out().printf("%-5s %-10s %-16s %9s %-22s %8s  %s%n", "KIND", "STATE", "START (UTC)", "DURATION",
                            "METRIC", "SIZE", "ID");
                }
                rows.forEach(r -> out().printf("%-5s %-10s %-16s %9s %-22s %8s  %s%n", r.kind(), r.state(),
                        start(r), duration(r), metric(r), RunCatalog.size(r.bytes()), r.id()));
            }
        }
        out().flush();
    }

    private static Map<String, Object> json(RunCatalog.Entry r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("kind", r.kind());
        o.put("id", r.id());
        o.put("state", r.state());
        o.put("tasks", r.tasks());
        o.put("methods", r.methods());
        o.put("seed", r.seed());
        o.put("sweeps", r.sweeps());
        o.put("start", r.started() == null ? null : r.started().toString());
        o.put("end", r.ended() == null ? null : r.ended().toString());
        o.put("seconds", r.seconds());
        o.put("metric", r.metric());
        o.put("value", r.value());
        o.put("bytes", r.bytes());
        o.put("objects", r.objects());
        return o;
    }

    /** One CSV line, a field quoted when it holds a comma or a quote (a sweep's metric does). */
    private static String csv(String... fields) {
        StringBuilder b = new StringBuilder();
        for (String f : fields) {
            if (b.length() > 0) b.append(',');
            b.append(f.contains(",") || f.contains("\"") ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
        }
        return b.toString();
    }

    private static String one(Set<String> s) {
        return String.join(" ", s);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String start(RunCatalog.Entry r) {
        return r.started() == null ? "-" : START.format(r.started());
    }

    private static String duration(RunCatalog.Entry r) {
        Long s = r.seconds();
        if (s == null) return "-";
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    private static String metric(RunCatalog.Entry r) {
        if (r.metric() == null) return "-";
        return r.value() == null ? r.metric() : String.format(Locale.ROOT, "%s %.4g", r.metric(), r.value());
    }
}
