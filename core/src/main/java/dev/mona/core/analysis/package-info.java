/**
 * The analysis tools of METHOD.md section 5: the linear probe of source knowledge
 * ({@link dev.mona.core.analysis.LinearProbe}, with an epoch-sweep listener), t-SNE panels
 * ({@link dev.mona.core.analysis.Tsne}, {@link dev.mona.core.analysis.TsnePanels}), alignment and uniformity of the
 * same features ({@link dev.mona.core.analysis.SourceKnowledge}), and the modality knowledge discrepancy estimate
 * ({@link dev.mona.core.analysis.ModalityDiscrepancy}, Hungarian matching in
 * {@link dev.mona.core.analysis.Hungarian}).
 */
package dev.mona.core.analysis;
