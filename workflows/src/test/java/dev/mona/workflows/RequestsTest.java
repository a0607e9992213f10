package dev.mona.workflows;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RequestsTest {
    @Test
    void emptySweepAndUnknownMethodAreBadInput() {
        assertThrows(InvalidRequestException.class, () -> new SweepRequest("t", List.of(), List.of(0L),
                List.of(TransferMethod.FT), "", Map.of(), 1, false, null));
        assertThrows(InvalidRequestException.class, () -> new SweepRequest("t", List.of("a"), List.of(0L),
                List.of(TransferMethod.FT), "", Map.of(), 0, false, null));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> TransferMethod.parse("sgd"));
        assertTrue(e.getMessage().contains("'sgd'") && e.getMessage().contains("mona"), e.getMessage());
        assertEquals(TransferMethod.MONA, TransferMethod.parse(" MoNA "));
    }

    @Test
    void sweepRunsEnumerateEveryCombination() {
        SweepRequest r = new SweepRequest("demo", List.of("a", "b"), List.of(0L, 1L, 2L),
                List.of(TransferMethod.FT, TransferMethod.MONA), "", Map.of(), 2, false, null);
        assertEquals(12, r.runs().size());
        assertEquals(12, r.runs().stream().map(TransferRequest::workflowId).distinct().count());
        assertTrue(r.workflowId().startsWith("sweep-demo-"));
    }

    @Test
    void duplicateAxesAreRejectedNamingTheDuplicate() {
        InvalidRequestException seeds = assertThrows(InvalidRequestException.class, () -> new SweepRequest("t",
                List.of("a"), List.of(5L, 5L), List.of(TransferMethod.FT), "", Map.of(), 1, false, null));
        assertTrue(seeds.getMessage().contains("seeds list 5 twice"), seeds.getMessage());
        InvalidRequestException tasks = assertThrows(InvalidRequestException.class, () -> new SweepRequest("t",
                List.of("a", "b", "a"), List.of(5L), List.of(TransferMethod.FT), "", Map.of(), 1, false, null));
        assertTrue(tasks.getMessage().contains("tasks list a twice"), tasks.getMessage());
        InvalidRequestException methods = assertThrows(InvalidRequestException.class, () -> new SweepRequest("t",
                List.of("a"), List.of(5L), List.of(TransferMethod.FT, TransferMethod.FT), "", Map.of(), 1, false,
                null));
        assertTrue(methods.getMessage().contains("methods list"), methods.getMessage());
    }

    /**
     * The keys submission found inapplicable to a child are left out of its request, so it has the id of the same run
     * submitted alone; a request written before that field existed (its JSON lacks it) replays as it ran then.
     */
    @Test
    void childrenLeaveOutTheOverridesThatDoNotApplyToThem() throws Exception {
        Map<String, String> overrides = Map.of("epochs", "3", "mona.lambda", "1");
        SweepRequest plain = new SweepRequest("s", List.of("a"), List.of(0L, 1L),
                List.of(TransferMethod.FT, TransferMethod.MONA), "", overrides, 2, false, null);
        SweepRequest r = plain.leavingOut(Map.of(SweepRequest.cell("a", TransferMethod.FT, ""),
                List.of("mona.lambda")));
        for (TransferRequest child : r.runs()) {
            Map<String, String> expected = child.method() == TransferMethod.FT ? Map.of("epochs", "3") : overrides;
            assertEquals(expected, child.overrides(), child.toString());
            assertEquals(new TransferRequest("a", child.method(), child.seed(), "", expected, false, null)
                    .workflowId(), child.workflowId());
        }
        assertEquals(plain.workflowId(), r.workflowId(), "the sweep's own id does not change");
        InvalidRequestException unknown = assertThrows(InvalidRequestException.class, () -> plain.leavingOut(
                Map.of(SweepRequest.cell("a", TransferMethod.FT, ""), List.of("lr"))));
        assertTrue(unknown.getMessage().contains("[lr]"), unknown.getMessage());

        // Temporal's JSON converter: the field round-trips, and its absence gives every child every override
        var json = io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE;
        SweepRequest back = json.fromPayload(json.toPayload(r).orElseThrow(), SweepRequest.class, SweepRequest.class);
        assertEquals(r, back);
        String old = json.toPayload(plain).orElseThrow().getData().toStringUtf8()
                .replaceAll(",?\\s*\"inapplicable\"\\s*:\\s*\\{\\s*}", "");
        assertFalse(old.contains("inapplicable"), old);
        SweepRequest replayed = json.fromPayload(io.temporal.api.common.v1.Payload.newBuilder()
                .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
                .setData(com.google.protobuf.ByteString.copyFromUtf8(old)).build(), SweepRequest.class,
                SweepRequest.class);
        assertEquals(plain.runs(), replayed.runs());
        assertTrue(replayed.runs().stream().allMatch(c -> c.overrides().equals(overrides)));
    }
}
