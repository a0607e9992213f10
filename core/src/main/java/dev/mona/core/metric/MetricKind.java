package dev.mona.core.metric;

/** Reported target metrics; every one is "lower is better". */
public enum MetricKind {
    ERROR_RATE, ONE_MINUS_AUROC, ONE_MINUS_MAP, ONE_MINUS_MACRO_F1, MAE8, RELATIVE_L2, NRMSE
}
