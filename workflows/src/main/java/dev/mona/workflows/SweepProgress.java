package dev.mona.workflows;

import java.util.List;

/**
 * Answer of {@link SweepWorkflow#progress()}.
 *
 * @param total   child runs in the sweep
 * @param running ids of the runs in flight
 * @param rows    finished rows so far
 */
public record SweepProgress(int total, List<String> running, List<SweepRow> rows) {
}
