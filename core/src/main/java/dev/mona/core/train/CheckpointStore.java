package dev.mona.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mona.core.io.AtomicFiles;
import dev.mona.core.io.FileTrees;
import dev.mona.core.io.ParamsIO;
import dev.mona.core.io.SafetensorsFile;
import dev.mona.core.io.SafetensorsWriter;
import dev.mona.core.model.Params;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of a run in one directory. Each checkpoint is a folder {@code step-NNNNNNNNNN} holding
 * {@code params.safetensors} (the parameters the run moves), {@code optimizer.safetensors} (moments by name, see
 * {@link OptimizerState}) and {@code state.json} (everything else the run needs to continue exactly: the
 * {@link Trainer}'s {@link TrainingState}, a stage-1 method's own record); it is written under a temporary name,
 * synced and renamed, and only
 * then does the file {@code latest} (itself replaced atomically) point at it, so a crash at any moment leaves the
 * previous checkpoint usable. Older step folders are removed after the switch. The parameters of the best
 * validation epoch go to {@code best.safetensors}.
 */
public final class CheckpointStore {
    public static final String PARAMS = "params.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String LATEST = "latest";
    public static final String BEST = "best.safetensors";

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path dir;

    public CheckpointStore(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /**
     * A loaded checkpoint.
     *
     * @param state          position and selection state ({@link TrainingState} for the {@link Trainer})
     * @param params         parameter values (new arrays)
     * @param optimizerState moment arrays by name (new arrays)
     * @param <S>            type of the state record
     */
    public record Checkpoint<S>(S state, Params params, Map<String, NDArray> optimizerState) {}

    /**
     * Writes a checkpoint at optimiser step {@code step} of {@code params}, {@code optimizer} and {@code state} (a
     * record Jackson writes as JSON); returns its folder.
     */
    public Path save(Params params, OptimizerState optimizer, long step, Object state) {
        String name = String.format("step-%010d", step);
        Path tmp = dir.resolve("." + name + ".tmp");
        Path target = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            FileTrees.deleteTree(tmp);
            Files.createDirectories(tmp);
            Map<String, String> meta = Map.of("step", Long.toString(step), "format", "mona-checkpoint-1");
            ParamsIO.save(tmp.resolve(PARAMS), params, meta);
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER), optimizer.state(), Map.of("step",
                    Long.toString(step), "optimizer_steps", Long.toString(optimizer.steps())));
            AtomicFiles.write(tmp.resolve(STATE), JSON.writeValueAsBytes(state));
            AtomicFiles.fsyncDirectory(tmp);
            FileTrees.deleteTree(target);
            AtomicFiles.move(tmp, target);
            AtomicFiles.fsyncDirectory(dir);
            AtomicFiles.write(dir.resolve(LATEST), name.getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    String f = p.getFileName().toString();
                    if (f.startsWith("step-") && !f.equals(name)) {
                        FileTrees.deleteTree(p);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** Writes the best-so-far parameters with their epoch and metric as metadata. */
    public void saveBest(Params params, int epoch, double metric) {
        ParamsIO.save(dir.resolve(BEST), params, Map.of("epoch", Integer.toString(epoch),
                "val_metric", Double.toString(metric)));
    }

    /** Path of the best parameters, if written. */
    public Optional<Path> best() {
        Path p = dir.resolve(BEST);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /** The folder {@code latest} points at, if any. */
    public Optional<Path> latestDirectory() {
        Path latest = dir.resolve(LATEST);
        if (!Files.exists(latest)) {
            return Optional.empty();
        }
        try {
            String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
            Path p = dir.resolve(name);
            if (!Files.isDirectory(p)) {
                throw new IllegalStateException("checkpoint pointer " + latest + " names " + name
                        + ", which does not exist; delete " + latest + " to start over");
            }
            return Optional.of(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads the latest checkpoint, strictly matching the names of {@code model}, its state read as
     * {@code stateType}; empty if there is none.
     */
    public <S> Optional<Checkpoint<S>> loadLatest(Params model, NDManager manager, Class<S> stateType) {
        return latestDirectory().map(d -> load(d, model, manager, stateType));
    }

    /** Loads the checkpoint in folder {@code d}, its state read as {@code stateType}. */
    public static <S> Checkpoint<S> load(Path d, Params model, NDManager manager, Class<S> stateType) {
        try {
            S state = JSON.readValue(d.resolve(STATE).toFile(), stateType);
            Params params = ParamsIO.load(d.resolve(PARAMS), model, manager, true).params();
            Map<String, NDArray> opt = new LinkedHashMap<>();
            try (SafetensorsFile st = SafetensorsFile.open(d.resolve(OPTIMIZER))) {
                for (String n : st.tensors().keySet()) {
                    opt.put(n, st.toNDArray(n, manager));
                }
            }
            return new Checkpoint<>(state, params, opt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + d + ": " + e.getMessage(), e);
        }
    }
}
