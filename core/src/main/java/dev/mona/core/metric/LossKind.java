package dev.mona.core.metric;

/** Training losses of the NAS-Bench-360 and PDEBench tasks. */
public enum LossKind {
    CROSS_ENTROPY, FOCAL, BCE_POS_WEIGHT, RELATIVE_L2, MSE, NRMSE, RMSE
}
