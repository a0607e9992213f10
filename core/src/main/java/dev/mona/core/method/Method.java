package dev.mona.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.mona.core.model.Params;
import dev.mona.core.model.TransferModel;
import dev.mona.core.train.Autograd;
import dev.mona.core.train.TrainConfig;
import dev.mona.core.train.Trainer;
import dev.mona.core.train.TrainerOptions;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A cross-modal transfer method as a stage-1 strategy in front of one shared stage-2 fine-tune (METHOD.md
 * section 3). Stage 1 changes the parameters in place; {@link TransferRun} then fine-tunes everything.
 */
public sealed interface Method permits Method.Scratch, Method.FineTune, Method.EmbedderWarmup, Method.Orca,
        Method.Mona {

    /** Short name used in tables and configuration ({@code scratch}, {@code ft}, {@code emb}, {@code orca}, {@code mona}). */
    String name();

    /**
     * Stage 1: prepares {@code ctx.params()} in place, reporting to and checkpointing as {@code ctx.stage1()} says
     * (resuming from its newest checkpoint); returns its per-step or per-epoch losses.
     */
    List<Double> prepare(MethodContext ctx);

    /**
     * The embedder updates (optimiser steps) {@link #prepare} makes on {@code ctx}'s data: the quantity the
     * {@code stage1.budget=updates:N} rule equalises across Emb, ORCA and MoNA. 0 without a stage 1.
     */
    long updates(MethodContext ctx);

    /** Train from scratch: the same network with a randomly initialised encoder; no stage 1 otherwise. */
    record Scratch(long seed) implements Method {
        public String name() {
            return "scratch";
        }

        public List<Double> prepare(MethodContext ctx) {
            TransferModel m = ctx.model();
            DataType dtype = ctx.params().get(firstEncoderName(ctx.params())).getDataType();
            Params fresh = m.encoder().initialise(ctx.manager(), dtype, new SplittableRandom(seed));
            for (Map.Entry<String, NDArray> e : fresh.asMap().entrySet()) {
                Autograd.copyInto(ctx.params().get(TransferModel.ENCODER + e.getKey()), e.getValue());
                e.getValue().close();
            }
            return List.of();
        }

        public long updates(MethodContext ctx) {
            return 0;
        }
    }

    /** Vanilla fine-tuning (FT): no stage 1. */
    record FineTune() implements Method {
        public String name() {
            return "ft";
        }

        public List<Double> prepare(MethodContext ctx) {
            return List.of();
        }

        public long updates(MethodContext ctx) {
            return 0;
        }
    }

    /**
     * Embedder warm-up (Emb): stage 1 trains the embedder, and the predictor when {@code trainPredictor}
     * (default yes), with the task loss while the encoder is frozen. Its loop is the {@link Trainer}'s, which runs
     * whole epochs: under an update budget it runs the whole number of epochs whose updates come nearest to it.
     *
     * @param epochs         stage-1 epochs (default 5, a choice: the paper does not give it); 0 under a budget
     * @param trainPredictor whether the predictor trains with the embedder
     * @param budget         embedder updates to come nearest to (at least one epoch), or 0 to run {@code epochs}
     */
    record EmbedderWarmup(int epochs, boolean trainPredictor, long budget) implements Method {
        public static final int DEFAULT_EPOCHS = 5;

        public EmbedderWarmup {
            if (epochs < 0 || budget < 0 || (budget > 0 && epochs != 0)) {
                throw new IllegalArgumentException("embedder warm-up takes epochs >= 0 or an update budget > 0, not "
                        + "both; got epochs=" + epochs + " budget=" + budget);
            }
        }

        /** A warm-up of {@code epochs} epochs. */
        public EmbedderWarmup(int epochs, boolean trainPredictor) {
            this(epochs, trainPredictor, 0);
        }

        public static EmbedderWarmup defaults() {
            return new EmbedderWarmup(DEFAULT_EPOCHS, true);
        }

        public String name() {
            return "emb";
        }

        public List<Double> prepare(MethodContext ctx) {
            TrainConfig c = trainConfig(ctx);
            if (c.epochs() == 0) {
                return List.of();
            }
            TrainerOptions o = ctx.stage1().trainerOptions(ctx.options().seed()).withRestoreBest(false);
            o = trainPredictor ? o.withFreeze(TransferModel.ENCODER + "*")
                    : o.withFreeze(TransferModel.ENCODER + "*", TransferModel.PREDICTOR + "*");
            var result = new Trainer(ctx.model(), ctx.loss(), ctx.metric(), ctx.validationScorer(), c, o)
                    .fit(ctx.manager(), ctx.params(), ctx.target());
            return result.history().stream().map(h -> h.trainLoss()).toList();
        }

        public long updates(MethodContext ctx) {
            TrainConfig c = trainConfig(ctx);
            return c.epochs() * stepsPerEpoch(ctx, c);
        }

        /** The stage-2 settings at this warm-up's epochs (the budget's nearest whole number), no warm-up phase. */
        private TrainConfig trainConfig(MethodContext ctx) {
            TrainConfig c = ctx.stage2().withoutWarmup(epochs);
            if (budget == 0) {
                return c;
            }
            long perEpoch = stepsPerEpoch(ctx, c);
            return c.withEpochs(Math.toIntExact(Math.max(1, Math.round((double) budget / perEpoch))));
        }

        private static long stepsPerEpoch(MethodContext ctx, TrainConfig c) {
            return new Trainer(ctx.model(), ctx.loss(), ctx.metric(), ctx.validationScorer(), c, ctx.options())
                    .stepsPerEpoch(ctx.target().train().size());
        }
    }

    /** ORCA: stage 1 minimises the class-conditional OTDD to the source embeddings ({@link OrcaAligner}). */
    record Orca(OrcaConfig config) implements Method {
        public String name() {
            return "orca";
        }

        public List<Double> prepare(MethodContext ctx) {
            return new OrcaAligner(ctx.model(), config).align(ctx.params(), ctx.target().train(),
                    ctx.classification(), ctx.requireSource("ORCA"), ctx.stage1());
        }

        /** One update per embedder epoch. */
        public long updates(MethodContext ctx) {
            return config.embedderEpochs();
        }
    }

    /** MoNA: stage 1 meta-learns the embedder ({@link MonaAligner}); returns L_in + lambda L_out per step. */
    record Mona(MonaConfig config) implements Method {
        public String name() {
            return "mona";
        }

        public List<Double> prepare(MethodContext ctx) {
            return new MonaAligner(ctx.model(), config, ctx.loss())
                    .align(ctx.params(), ctx.target().train(), ctx.requireSource("MoNA"), ctx.stage1()).stream()
                    .map(s -> s.innerLoss() + config.lambda() * s.outerLoss()).toList();
        }

        /** One update per meta-step. */
        public long updates(MethodContext ctx) {
            return config.steps();
        }
    }

    private static String firstEncoderName(Params p) {
        return p.names().stream().filter(n -> n.startsWith(TransferModel.ENCODER)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no encoder parameters in " + p));
    }

    /** The method named {@code name} with its defaults for the task's stage-2 settings. */
    static Method byName(String name, TrainConfig stage2, long seed) {
        return switch (name) {
            case "scratch" -> new Scratch(seed);
            case "ft" -> new FineTune();
            case "emb" -> EmbedderWarmup.defaults();
            case "orca" -> new Orca(OrcaConfig.defaults(stage2, dev.mona.core.task.TaskProtocol.ORCA_DEFAULTS));
            case "mona" -> new Mona(MonaConfig.defaults(stage2));
            default -> throw new IllegalArgumentException("unknown method '" + name
                    + "'; known: scratch, ft, emb, orca, mona");
        };
    }
}
