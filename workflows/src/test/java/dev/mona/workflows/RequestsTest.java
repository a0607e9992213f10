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
}
