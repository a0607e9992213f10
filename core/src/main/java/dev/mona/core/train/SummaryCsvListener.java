package dev.mona.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each epoch's {@link EpochSummary} to a {@code summary.csv} (header written once). */
public final class SummaryCsvListener implements TrainingListener {
    private final Path file;

    public SummaryCsvListener(Path file) {
        this.file = file;
    }

    @Override
    public void onEpochEnd(EpochSummary s) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (!Files.exists(file)) {
                Files.writeString(file, EpochSummary.CSV_HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(file, s.toCsv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
