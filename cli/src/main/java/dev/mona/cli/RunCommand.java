package dev.mona.cli;

import dev.mona.activities.stage.SourceStage;
import dev.mona.core.config.RunConfig;
import dev.mona.workers.Session;
import dev.mona.workers.Submissions;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import dev.mona.workflows.TransferResult;
import io.temporal.client.WorkflowFailedException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

@Command(name = "run", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Submit one transfer run (fetch, source, align, fine-tune, probe, export).",
                "The run id is derived from the request: submitting the same request again attaches to the run "
                        + "in progress (or returns the finished one) instead of starting a duplicate."})
final class RunCommand extends Verb {
    @Parameters(index = "0", paramLabel = "TASK", description = "Target task: a catalogue name (see 'mona tasks'), a task spec file (ecg.yaml) or a "
            + "name added with 'mona tasks add'.")
    String task;

    @Option(names = {"-m", "--method"}, defaultValue = "mona",
            description = "scratch, ft, emb, orca or mona (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--source", description = "Source encoder (default: the task's).")
    String source;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Configuration override, repeatable (keys: see 'mona tasks --keys').")
    Map<String, String> overrides = new TreeMap<>();

    @Option(names = "--no-cache", description = "Recompute every stage even when a finished one matches.")
    boolean noCache;

    @Option(names = "--wait", description = "Wait for the run to finish (always so in embedded local mode).")
    boolean waitFlag;

    @Option(names = "--watch", description = "Wait and show progress.")
    boolean watchFlag;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = WaitTimeout.class,
            description = "Give up waiting after this long, 1 to 2592000 (30 days) (exit 5).")
    Long timeout;

    @Option(names = "--dry-run", description = "Print the resolved configuration and the run id; submit nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        // everything checkable is checked before anything is submitted or written
        TransferMethod m = TransferMethod.parse(method);
        TransferRequest request = RequestChecks.canonical(new TransferRequest(storedTask(task), m, seed, source, overrides,
                noCache, null));
        if (dryRun) {
            return dryRun(request);
        }
        try (Session s = session(true)) {
            RequestChecks.publishSpecs(s.store(), java.util.List.of(request.task()));
            Submissions.Submission sub = Submissions.transfer(s.client(), request);
            note("mona: " + (sub.attached() ? "attached to " : "started ") + sub.workflowId() + " on "
                    + s.description());
            SourceStage.Choice choice = SourceStage.choose(source, request.task());
            note("mona: source " + choice.name() + " (" + choice.reason() + ")");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("workflowId", sub.workflowId());
            out.put("attached", sub.attached());
            if (!(waitFlag || watchFlag || s.embedded())) {
                out.put("status", "RUNNING");
                print(out, null);
                return ExitCodes.OK;
            }
            String status = Watcher.follow(s.client(), sub.workflowId(), watchFlag || (s.embedded() && !json()),
                    timeout, err(), null);
            out.put("status", status);
            if ("RUNNING".equals(status)) {
                print(out, null);
                note("mona: still running after " + timeout + " s; follow it with 'mona watch " + sub.workflowId()
                        + "'");
                return ExitCodes.NOT_FINISHED;
            }
            try {
                TransferResult r = s.client().newUntypedWorkflowStub(sub.workflowId()).getResult(TransferResult.class);
                out.put("result", r);
                print(out, r);
                return ExitCodes.OK;
            } catch (WorkflowFailedException e) {
                out.put("error", dev.mona.workflows.FailureMessages.root(e));
                print(out, null);
                note("mona: run " + sub.workflowId() + " " + status.toLowerCase() + ": " + out.get("error"));
                // a stage rejected what the user asked for (not retried): bad input, like a check before submission
                return dev.mona.workflows.FailureMessages.isUserError(e) ? ExitCodes.BAD_INPUT : ExitCodes.RUN_FAILED;
            }
        }
    }

    /** The run id, the request and every configuration key of the run with its value and where it comes from. */
    private int dryRun(TransferRequest request) {
        RunConfig config = RequestChecks.resolve(request);
        String encoder = SourceStage.choose(request.source(), request.task()).name();
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("workflowId", request.workflowId());
            out.put("task", request.task());
            out.put("method", request.method().label());
            out.put("seed", request.seed());
            out.put("source", encoder);
            out.put("config", config.values());
            out.put("overridden", request.overrides().keySet());
            printJson(out);
            return ExitCodes.OK;
        }
        out().println("run      " + request.workflowId() + " (dry run: nothing submitted)");
        out().println("task     " + request.task() + ", method " + request.method().label() + ", seed "
                + request.seed() + ", source " + encoder);
        config.values().forEach((k, v) -> out().printf("%-22s %-14s %s%n", k, v,
                request.overrides().containsKey(k) ? "set" : "default"));
        out().flush();
        return ExitCodes.OK;
    }

    private void print(Map<String, Object> out, TransferResult r) {
        if (json()) {
            printJson(out);
            return;
        }
        out().println("run      " + out.get("workflowId") + (Boolean.TRUE.equals(out.get("attached")) ? " (attached)" : ""));
        out().println("status   " + out.get("status"));
        if (r != null) {
            out().println(Render.result(r));
        }
        out().flush();
    }
}
