package dev.mona.workflows.stage;

import dev.mona.workflows.SweepRow;

import java.util.List;

/** Input of {@link DataActivities#writeSweepTable}. */
public record SweepTableRequest(String sweepId, List<SweepRow> rows) {
}
