package dev.mona.core.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mona.core.engine.GraphScalars;
import dev.mona.core.model.MonaModelException;

/**
 * The training losses of the NAS-Bench-360 and PDEBench tasks (METHOD.md section 6), all means over the batch.
 * Shapes: classification losses take logits {@code (B, C)} (or {@code (B, C, ...)} with the class axis second)
 * and float class ids {@code (B)} / {@code (B, 1)} (or {@code (B, ...)}); the others take prediction and target
 * of equal shape. Every op used has a double backward in libtorch.
 */
public final class Losses {
    private Losses() {}

    /** The loss of {@code kind} with default options. */
    public static Loss of(LossKind kind) {
        return of(kind, LossOptions.defaults());
    }

    /** The loss of {@code kind} with {@code options}. */
    public static Loss of(LossKind kind, LossOptions options) {
        return switch (kind) {
            case CROSS_ENTROPY -> options.classWeight().length == 0 ? Losses::crossEntropy
                    : (p, y) -> crossEntropy(p, y, options.classWeight());
            case FOCAL -> (p, y) -> focal(p, y, options.focalGamma());
            case BCE_POS_WEIGHT -> (p, y) -> bceWithLogits(p, y, options.posWeight());
            case RELATIVE_L2 -> Losses::relativeL2;
            case MSE -> Losses::mse;
            case NRMSE -> Losses::nrmse;
            case RMSE -> Losses::rmse;
        };
    }

    /** {@code -mean_b log softmax(logits_b)[y_b]}. */
    public static NDArray crossEntropy(NDArray logits, NDArray target) {
        NDArray logp = classLast(logits).logSoftmax(-1);
        NDArray picked = logp.mul(oneHot(target, logp)).sum(new int[] {-1});
        return picked.mean().neg();
    }

    /**
     * Class-weighted cross-entropy (PyTorch's {@code CrossEntropyLoss(weight=w)}): {@code -sum_b w[y_b] log
     * softmax(logits_b)[y_b] / sum_b w[y_b]}, a weighted mean, so the loss keeps its scale whatever the weights.
     */
    public static NDArray crossEntropy(NDArray logits, NDArray target, double[] classWeight) {
        NDArray logp = classLast(logits).logSoftmax(-1);
        long classes = logp.getShape().get(1);
        if (classes != classWeight.length) {
            throw new MonaModelException("class weights have " + classWeight.length + " values but the logits have "
                    + classes + " classes; give one weight per class");
        }
        float[] w = new float[classWeight.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) classWeight[i];
        }
        NDArray hot = oneHot(target, logp);
        NDArray perSample = hot.mul(logp.getManager().create(w).toType(logp.getDataType(), false))
                .sum(new int[] {-1});
        NDArray picked = logp.mul(hot).sum(new int[] {-1});
        return picked.mul(perSample).sum().div(perSample.sum()).neg();
    }

    /**
     * Focal loss (Lin et al. 2017) over the softmax: {@code -mean_b (1 - p_t)^gamma log p_t}, with {@code p_t}
     * the probability of the true class; gamma = 0 is cross-entropy.
     */
    public static NDArray focal(NDArray logits, NDArray target, double gamma) {
        NDArray logp = classLast(logits).logSoftmax(-1);
        NDArray logpt = logp.mul(oneHot(target, logp)).sum(new int[] {-1});
        NDArray weight = GraphScalars.pow(logpt.exp().neg().add(1), gamma);
        return weight.mul(logpt).mean().neg();
    }

    /**
     * Binary cross-entropy on logits with positive weights (PyTorch's {@code BCEWithLogitsLoss(pos_weight)}):
     * {@code mean( w y softplus(-x) + (1 - y) softplus(x) )} with a stable softplus; {@code w} broadcasts over the
     * last axis.
     */
    public static NDArray bceWithLogits(NDArray logits, NDArray target, double[] posWeight) {
        sameShape(logits, target, "BCE with logits");
        NDArray pos = softplus(logits.neg()).mul(target);
        if (posWeight.length == 1) {
            pos = GraphScalars.mul(pos, posWeight[0]);
        } else if (posWeight.length > 1) {
            long labels = logits.getShape().get(logits.getShape().dimension() - 1);
            if (labels != posWeight.length) {
                throw new MonaModelException("pos_weight has " + posWeight.length + " values but the prediction has "
                        + labels + " labels on its last axis; give one weight or one per label");
            }
            float[] w = new float[posWeight.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) posWeight[i];
            }
            NDArray wa = logits.getManager().create(w).toType(logits.getDataType(), false);
            pos = pos.mul(wa);
        }
        NDArray neg = softplus(logits).mul(target.neg().add(1));
        return pos.add(neg).mean();
    }

    /** {@code softplus(x) = max(x, 0) + log(1 + exp(-|x|))}, stable for large |x|. */
    static NDArray softplus(NDArray x) {
        return GraphScalars.maximum(x, 0).add(x.abs().neg().exp().add(1).log());
    }

    /** Relative L2 error: {@code mean_b ||pred_b - y_b|| / ||y_b||} over each sample's flattened values. */
    public static NDArray relativeL2(NDArray prediction, NDArray target) {
        sameShape(prediction, target, "relative L2");
        long b = prediction.getShape().get(0);
        NDArray diff = prediction.sub(target).reshape(b, -1);
        NDArray num = diff.square().sum(new int[] {1}).sqrt();
        NDArray den = target.reshape(b, -1).square().sum(new int[] {1}).sqrt();
        return num.div(den).mean();
    }

    /** Mean squared error over all values. */
    public static NDArray mse(NDArray prediction, NDArray target) {
        sameShape(prediction, target, "MSE");
        return prediction.sub(target).square().mean();
    }

    /**
     * PDEBench nRMSE: per sample and channel {@code sqrt(mean_x (pred - y)^2) / sqrt(mean_x y^2)}, averaged.
     * Shapes {@code (B, C, ...)} are channel-first; {@code (B, L)} is one channel.
     */
    public static NDArray nrmse(NDArray prediction, NDArray target) {
        sameShape(prediction, target, "nRMSE");
        Shape s = prediction.getShape();
        long b = s.get(0);
        long c = s.dimension() >= 3 ? s.get(1) : 1;
        NDArray diff = prediction.sub(target).reshape(b, c, -1);
        NDArray num = diff.square().mean(new int[] {2}).sqrt();
        NDArray den = target.reshape(b, c, -1).square().mean(new int[] {2}).sqrt();
        return num.div(den).mean();
    }

    /**
     * ORCA's {@code rmse_loss} (its training loss for PDEBench Burgers and 1-D CFD): per sample
     * {@code sqrt(mean over all values of (pred - y)^2)}, averaged over the batch.
     */
    public static NDArray rmse(NDArray prediction, NDArray target) {
        sameShape(prediction, target, "RMSE");
        long b = prediction.getShape().get(0);
        return prediction.sub(target).reshape(b, -1).square().mean(new int[] {1}).sqrt().mean();
    }

    /** Logits with the class axis last, flattened to {@code (N, C)}. */
    private static NDArray classLast(NDArray logits) {
        Shape s = logits.getShape();
        if (s.dimension() < 2) {
            throw new MonaModelException("classification logits must have shape (B, C[, ...]), got " + s);
        }
        if (s.dimension() == 2) {
            return logits;
        }
        int[] axes = new int[s.dimension()];
        axes[0] = 0;
        for (int i = 2; i < s.dimension(); i++) {
            axes[i - 1] = i;
        }
        axes[s.dimension() - 1] = 1;
        return logits.transpose(axes).reshape(-1, s.get(1));
    }

    /** One-hot of float class ids, in the logits' type, shape {@code (N, C)}. */
    private static NDArray oneHot(NDArray target, NDArray logp) {
        long n = logp.getShape().get(0);
        int classes = (int) logp.getShape().get(1);
        if (target.getShape().size() != n) {
            throw new MonaModelException("class targets have shape " + target.getShape() + " but the logits hold "
                    + n + " rows; give one class id per sample (or per position)");
        }
        NDArray ids = target.reshape(n).toType(DataType.INT64, false);
        return ids.oneHot(classes).toType(logp.getDataType(), false);
    }

    private static void sameShape(NDArray p, NDArray y, String loss) {
        if (!p.getShape().equals(y.getShape())) {
            throw new MonaModelException(loss + " needs prediction and target of equal shape; got prediction "
                    + p.getShape() + " and target " + y.getShape());
        }
    }
}
