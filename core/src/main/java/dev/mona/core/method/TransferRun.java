package dev.mona.core.method;

import dev.mona.core.train.TrainResult;
import dev.mona.core.train.Trainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Runs a {@link Method}'s stage 1, then the shared stage-2 fine-tune, then scores the test split once. */
public final class TransferRun {
    private static final Logger LOG = LoggerFactory.getLogger(TransferRun.class);

    private TransferRun() {}

    /**
     * Result of one run.
     *
     * @param stage1Losses per-step (MoNA) or per-epoch (Emb, ORCA) stage-1 losses
     * @param stage2       the fine-tune's history and best validation epoch
     * @param testMetric   the target metric on the test split (NaN when it is empty)
     */
    public record Result(String method, List<Double> stage1Losses, TrainResult stage2, double testMetric) {}

    /** The method named {@code name} ({@code scratch}, {@code ft}, {@code emb}, {@code orca}, {@code mona}) with defaults. */
    public static Method method(String name, MethodContext ctx) {
        return Method.byName(name, ctx.stage2(), ctx.options().seed());
    }

    public static Result run(Method method, MethodContext ctx) {
        LOG.info("{}: stage 1", method.name());
        List<Double> s1 = method.prepare(ctx);
        LOG.info("{}: stage 2 ({} epochs)", method.name(), ctx.stage2().epochs());
        Trainer trainer = new Trainer(ctx.model(), ctx.loss(), ctx.metric(), ctx.validationScorer(), ctx.stage2(),
                ctx.options());
        TrainResult r = trainer.fit(ctx.manager(), ctx.params(), ctx.target());
        double test = ctx.target().test().size() == 0 ? Double.NaN
                : trainer.evaluate(ctx.manager(), ctx.params(), ctx.target().test(), ctx.testScorer());
        return new Result(method.name(), s1, r, test);
    }
}
