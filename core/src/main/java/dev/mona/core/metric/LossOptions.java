package dev.mona.core.metric;

import dev.mona.core.BadConfigurationException;

/**
 * Settings of the losses that have any.
 *
 * @param focalGamma focusing parameter of the focal loss (default 2)
 * @param posWeight  BCE positive-class weights: one value for all labels or one per label (last axis);
 *                   empty means 1
 * @param classWeight cross-entropy class weights, one per class (PyTorch's {@code CrossEntropyLoss(weight)}); empty
 *                    means 1
 */
public record LossOptions(double focalGamma, double[] posWeight, double[] classWeight) {
    public LossOptions {
        if (focalGamma < 0) {
            throw new BadConfigurationException("focal gamma must be >= 0, got " + focalGamma);
        }
        posWeight = posWeight == null ? new double[0] : posWeight.clone();
        classWeight = classWeight == null ? new double[0] : classWeight.clone();
    }

    /** gamma = 2, no positive weighting. */
    public static LossOptions defaults() {
        return new LossOptions(2.0, new double[0], new double[0]);
    }

    public LossOptions withFocalGamma(double gamma) {
        return new LossOptions(gamma, posWeight, classWeight);
    }

    public LossOptions withPosWeight(double... weights) {
        return new LossOptions(focalGamma, weights, classWeight);
    }

    public LossOptions withClassWeight(double... weights) {
        return new LossOptions(focalGamma, posWeight, weights);
    }
}
