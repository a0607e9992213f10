package dev.mona.cli;

import dev.mona.activities.stage.TaskStage;
import dev.mona.activities.store.ArtifactKeys;
import dev.mona.workflows.InvalidRequestException;
import dev.mona.workflows.SweepRequest;
import dev.mona.workflows.TransferMethod;
import dev.mona.workflows.TransferRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The command line's bounds and canonical forms: every spelling of a request gets the same run id, out-of-bounds
 * values and malformed ids, keys and specs are bad input (exit 2) naming the value and the limit, before anything
 * is submitted or written.
 */
class RequestChecksTest {
    @TempDir
    Path tmp;

    private Map<String, String> local() {
        return Map.of("MONA_DATA_DIR", tmp.resolve("data").toString(), "HOME", tmp.toString());
    }

    private void assertNothingWritten() throws Exception {
        Path data = tmp.resolve("data");
        assertTrue(!Files.exists(data) || Files.list(data).findAny().isEmpty(), "something was written to " + data);
    }

    private static String runId(String task, String method, String source) {
        return RequestChecks.canonical(new TransferRequest(task, TransferMethod.parse(method), 3, source,
                Map.of("epochs", "2"), false, null)).workflowId();
    }

    @Test
    void everySpellingOfARunGetsTheSameId() {
        String usual = runId("offline-dna", "ft", null);
        assertEquals(usual, runId("OFFLINE-DNA", "FT", null));
        assertEquals(usual, runId(" Offline-DNA ", "Ft", ""));
        assertEquals(usual, runId("offline-dna", "ft", "minilm"), "the default source spelled out is the same run");
        assertNotEquals(usual, runId("offline-dna", "ft", "fashion-mnist-vit"), "another source is another run");
        assertEquals(runId("offline-pde-darcy", "mona", null), runId("Offline-PDE-Darcy", "MONA",
                "fashion-mnist-vit"));
    }

    @Test
    void aSweepsChildrenGetTheIdsOfTheSameRunsSubmittedAlone() {
        SweepRequest usual = RequestChecks.canonical(new SweepRequest("s", List.of("offline-dna"), List.of(3L),
                List.of(TransferMethod.FT), "", Map.of("epochs", "2"), 1, false, null));
        SweepRequest spelled = RequestChecks.canonical(new SweepRequest("s", List.of("OFFLINE-DNA"), List.of(3L),
                List.of(TransferMethod.parse("Ft")), "minilm", Map.of("epochs", "2"), 1, false, null));
        assertEquals(usual.workflowId(), spelled.workflowId());
        assertEquals(runId("offline-dna", "ft", null), spelled.runs().get(0).workflowId());
        // a source that is the offline source of one task but not of the other: named for that task only, so
        // both children keep the ids of the same runs submitted alone
        SweepRequest mixed = RequestChecks.canonical(new SweepRequest("s", List.of("offline-dna",
                "offline-pde-darcy"), List.of(3L), List.of(TransferMethod.FT), "fashion-mnist-vit",
                Map.of("epochs", "2"), 1, false, null));
        assertEquals("offline-dna=fashion-mnist-vit;offline-pde-darcy=", mixed.source());
        assertEquals(List.of(runId("offline-dna", "ft", "fashion-mnist-vit"), runId("offline-pde-darcy", "ft", null)),
                mixed.runs().stream().map(TransferRequest::workflowId).toList());
    }

    @Test
    void aSweepsOverridesReachOnlyTheChildrenTheyApplyTo() {
        // mona.lambda is MoNA's, align.epochs Emb's (and MoNA's stage 1 has its own steps): FT's children are the
        // FT runs submitted with epochs alone
        SweepRequest s = RequestChecks.canonical(new SweepRequest("s", List.of("offline-dna"), List.of(3L),
                List.of(TransferMethod.FT, TransferMethod.EMB, TransferMethod.MONA), "", Map.of("epochs", "2",
                "mona.lambda", "1", "align.epochs", "1"), 1, false, null));
        Map<TransferMethod, TransferRequest> byMethod = s.runs().stream().collect(Collectors.toMap(
                TransferRequest::method, r -> r));
        assertEquals(runId("offline-dna", "ft", null), byMethod.get(TransferMethod.FT).workflowId());
        assertEquals(Map.of("epochs", "2"), byMethod.get(TransferMethod.FT).overrides());
        for (TransferMethod m : List.of(TransferMethod.EMB, TransferMethod.MONA)) {
            TransferRequest child = byMethod.get(m);
            // each keeps exactly its own keys, and is the run submitted alone with them
            TransferRequest alone = RequestChecks.canonical(new TransferRequest("offline-dna", m, 3, "",
                    child.overrides(), false, null));
            assertEquals(alone.workflowId(), child.workflowId(), m.label());
            assertTrue(child.overrides().containsKey("epochs"), child.toString());
        }
        assertTrue(byMethod.get(TransferMethod.MONA).overrides().containsKey("mona.lambda"));
        assertFalse(byMethod.get(TransferMethod.EMB).overrides().containsKey("mona.lambda"));
        // canonical twice is canonical
        assertEquals(s, RequestChecks.canonical(s));
    }

    @Test
    void aSweepsSourceAxisRunsEachTaskWithEverySourceThatFitsIt() {
        SweepRequest axis = RequestChecks.canonical(new SweepRequest("s", List.of("offline-dna",
                "offline-pde-darcy"), List.of(3L), List.of(TransferMethod.FT), "minilm, swin-base,roberta-base",
                Map.of("epochs", "2"), 1, false, null));
        assertEquals("offline-dna=|roberta-base;offline-pde-darcy=swin-base", axis.source());
        // task, then source: each child has the id of the same run submitted alone
        assertEquals(List.of(runId("offline-dna", "ft", null), runId("offline-dna", "ft", "roberta-base"),
                runId("offline-pde-darcy", "ft", "swin-base")), axis.runs().stream()
                .map(TransferRequest::workflowId).toList());
        // canonical twice is canonical
        assertEquals(axis.workflowId(), RequestChecks.canonical(axis).workflowId());
        // a listed source no task can use, and a task no listed source fits, are bad input
        assertThrows(InvalidRequestException.class, () -> RequestChecks.canonical(new SweepRequest("s",
                List.of("offline-dna"), List.of(1L), List.of(TransferMethod.FT), "minilm,swin-base", Map.of(), 1,
                false, null)));
        InvalidRequestException none = assertThrows(InvalidRequestException.class, () -> RequestChecks.canonical(
                new SweepRequest("s", List.of("offline-pde-darcy"), List.of(1L), List.of(TransferMethod.FT),
                        "roberta-base", Map.of(), 1, false, null)));
        assertTrue(none.getMessage().contains("roberta-base"), none.getMessage());
    }

    @Test
    void derivedIdsAndKeysStayFarUnderTemporalAndS3Limits() {
        String longestName = "n".repeat(RequestChecks.MAX_SWEEP_NAME);
        for (TaskStage.TaskListing t : TaskStage.catalogue()) {
            for (TransferMethod m : TransferMethod.values()) {
                String id = RequestChecks.canonical(new TransferRequest(t.name(), m, Long.MIN_VALUE, "", Map.of(),
                        false, null)).workflowId();
                assertTrue(id.length() <= 120, id);
                assertTrue(ArtifactKeys.checkpoint(id, 999).length() <= 200, id);
            }
        }
        String sweep = RequestChecks.canonical(new SweepRequest(longestName, List.of("offline-dna"), List.of(0L),
                List.of(TransferMethod.FT), "", Map.of(), 1, false, null)).workflowId();
        assertTrue(sweep.length() <= 100, sweep);
        assertTrue(ArtifactKeys.sweepResults(sweep).length() <= 200, sweep);
    }

    @Test
    void timeoutsOutsideTheirBoundsAreBadInput() throws Exception {
        for (String t : new String[]{"-5", "0", "2592001", "99999999999999999999", "soon"}) {
            for (String[] args : new String[][]{{"run", "offline-dna", "--wait", "--timeout", t},
                    {"watch", "transfer-x", "--timeout", t}, {"sweep", "spec.yaml", "--timeout", t}}) {
                Cli.Result r = Cli.run(local(), args);
                assertEquals(ExitCodes.BAD_INPUT, r.code(), String.join(" ", args) + "\n" + r);
                assertTrue(r.err().contains("'" + t + "'") && r.err().contains("--timeout"), r.err());
            }
        }
        Cli.Result r = Cli.run(local(), "run", "offline-dna", "--timeout", "-5");
        assertTrue(r.err().contains("2592000"), r.err());
        assertNothingWritten();
    }

    @Test
    void aSweepOverTheRunCapIsBadInputWithItsCount() throws Exception {
        Path spec = tmp.resolve("huge.yaml");
        String seeds = LongStream.range(0, 2001).mapToObj(Long::toString).collect(Collectors.joining(", "));
        Files.writeString(spec, "tasks: [offline-dna]\nmethods: [scratch, ft, emb, orca, mona]\nseeds: [" + seeds
                + "]\n");
        Cli.Result r = Cli.run(local(), "sweep", spec.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("10005 runs") && r.err().contains("at most 10000"), r.err());
        assertNothingWritten();
    }

    @Test
    void sweepNamesAreShortAndPlain() throws Exception {
        for (String name : new String[]{"x".repeat(3000), "a/b", "../up", "-dash", "sp ace"}) {
            Path spec = tmp.resolve("name.yaml");
            Files.writeString(spec, "name: '" + name + "'\ntasks: [offline-dna]\nmethods: [ft]\nseeds: [0]\n");
            Cli.Result r = Cli.run(local(), "sweep", spec.toString());
            assertEquals(ExitCodes.BAD_INPUT, r.code(), name + ": " + r);
            assertTrue(r.err().contains("sweep name") && r.err().contains("1 to 64"), r.err());
            assertTrue(r.err().length() < 600, "the message quotes a long name in full: " + r.err());
        }
        assertNothingWritten();
    }

    @Test
    void traversalAndEmptyKeysAndIdsAreBadInputNamingThem() throws Exception {
        String[][] cases = {{"artifacts", "get", "../../etc/passwd"}, {"artifacts", "get", "runs/../../x"},
                {"artifacts", "get", "/etc/passwd"}, {"artifacts", "get", ""}, {"artifacts", "get", "runs/"},
                {"artifacts", "ls", "../"}, {"results", "../../../etc"}, {"export", "../x"}, {"status", "a/b"},
                {"watch", ""}, {"cancel", "x".repeat(300)}};
        for (String[] args : cases) {
            Cli.Result r = Cli.run(local(), args);
            assertEquals(ExitCodes.BAD_INPUT, r.code(), String.join(" ", args) + "\n" + r);
            String value = args[args.length - 1];
            assertTrue(value.isEmpty() ? r.err().contains("empty key") || r.err().contains("''")
                    : r.err().contains("'" + value.substring(0, Math.min(value.length(), 60))), r.err());
            assertFalse(r.err().contains("MONA_S3_BUCKET"), r.err());
        }
        assertNothingWritten();
    }

    @Test
    void yamlSyntaxErrorsNameTheirLineAndColumn() throws Exception {
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, "name: x\ntasks: [offline-dna]\nmethods: [ft\nseeds: [0]\n  config: {a: 1}\n");
        Cli.Result r = Cli.run(local(), "sweep", broken.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().matches("(?s).*broken\\.yaml is not valid YAML: line \\d+, column \\d+: .*"), r.err());
        assertNothingWritten();
    }
}
