/**
 * The fine-tuning engine. {@link dev.mona.core.train.Trainer#fit} is the loop (stage 2, and any method that
 * trains with the task loss); everything else hangs off it as {@link dev.mona.core.train.TrainingListener}s.
 *
 * <p>Pieces that stage-1 methods (Emb, ORCA, MoNA) reuse with their own step function:
 * <ul>
 *   <li>{@link dev.mona.core.train.Autograd#leaves} (step-local gradient leaves sharing storage with the
 *       parameters), {@link dev.mona.core.train.Autograd#backward}, {@link dev.mona.core.train.Autograd#gradient},
 *       {@link dev.mona.core.train.Autograd#grad} ({@code torch.autograd.grad}, higher-order when asked);</li>
 *   <li>{@link dev.mona.core.train.Optimizer} ({@link dev.mona.core.train.Sgd}, {@link dev.mona.core.train.Adam}
 *       for Adam and AdamW): in-place updates from named gradients, named moment state;</li>
 *   <li>{@link dev.mona.core.train.WarmupLinearDecay} (ORCA's schedule, per mini-batch, over its decay epochs);</li>
 *   <li>{@link dev.mona.core.train.ParameterFilter} (freezing by glob or regex);</li>
 *   <li>{@link dev.mona.core.train.GradientClipping};</li>
 *   <li>{@link dev.mona.core.train.CheckpointStore} (parameters + optimiser state as safetensors, state as JSON,
 *       atomic; any {@link dev.mona.core.train.OptimizerState}, any JSON state record) and
 *       {@link dev.mona.core.train.Shuffle} (per-epoch orders from the seed);</li>
 *   <li>{@link dev.mona.core.train.TrainingListener} (per-step progress and checkpoints).</li>
 * </ul>
 */
package dev.mona.core.train;
