/**
 * The transfer methods (METHOD.md sections 3 and 4) as stage-1 strategies in front of one shared stage-2 fine-tune:
 * {@link dev.mona.core.method.Method} (Scratch, FineTune, EmbedderWarmup, Orca, Mona), run by
 * {@link dev.mona.core.method.TransferRun}.
 *
 * <h2>MoNA</h2>
 * {@link dev.mona.core.method.MonaAligner} computes the exact meta-gradient with {@code torch.autograd.grad}
 * (called through {@link dev.mona.core.train.Autograd}, a TorchScript module written in plain Java by
 * {@link dev.mona.core.engine.TorchScriptArchive}); {@link dev.mona.core.method.HvpMode#FD} is the
 * central-difference alternative. Every open choice is in {@link dev.mona.core.method.MonaConfig} with its
 * default. {@link dev.mona.core.bench.MetaStepBench} is the {@code mona bench meta-step} entry point.
 *
 * <h2>ORCA</h2>
 * {@link dev.mona.core.method.OrcaAligner} minimises {@link dev.mona.core.method.OtddDistance} (debiased entropic
 * OTDD with label-to-label W2 in the ground cost, Sinkhorn in {@link dev.mona.core.method.EntropicOt}); k-means
 * pseudo-labels ({@link dev.mona.core.method.KMeans}) for regression and dense tasks.
 *
 * <h2>Progress and checkpoints</h2>
 * Stage 1 reports every optimiser step to the {@link dev.mona.core.train.TrainingListener}s of its
 * {@link dev.mona.core.method.Stage1Options} and checkpoints through {@link dev.mona.core.train.CheckpointStore}:
 * Emb through the {@link dev.mona.core.train.Trainer}, ORCA and MoNA through their own loops. A stage 1 started
 * over a checkpoint resumes from its newest one, bit-identical to an uninterrupted run. Listeners that are
 * {@link dev.mona.core.method.Stage1Listener}s also get each step's losses and diagnostics
 * ({@link dev.mona.core.method.Stage1Step}: Emb's task loss, ORCA's OTDD, MoNA's losses and the norms of the direct
 * and knowledge-preservation parts of its meta-gradient). {@link dev.mona.core.method.Method#updates} counts the
 * embedder updates a stage 1 makes, the quantity the {@code stage1.budget=updates:N} rule makes equal.
 *
 * <h2>Autograd rule</h2>
 * Inside a graph, never multiply or divide by a Java number ({@code mul(Number)}, {@code div(Number)},
 * {@code pow(Number)}): DJL wraps the scalar in a tensor over a Java buffer that the garbage collector may free
 * before the backward pass reads it. Use {@link dev.mona.core.engine.GraphScalars}.
 */
package dev.mona.core.method;
