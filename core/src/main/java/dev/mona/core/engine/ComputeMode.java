package dev.mona.core.engine;

/**
 * How the current thread's forward passes may be computed. Modules are pure functions of their parameters
 * ({@code model/Module}), so what a caller knows about the graph it will build -- whether it is differentiated
 * once (fine-tuning, pretraining, Emb's and ORCA's stage 1) or twice (MoNA's exact meta-step) -- reaches the ops
 * through this thread-scoped setting instead of through every module's signature.
 *
 * <p>The default, outside any scope, is the exact path: every op has a double backward. A caller that only ever
 * takes first-order gradients opens {@link #firstOrder()} around its loop; ops may then use kernels without a double
 * backward (fused attention, for example). Scopes nest and restore the enclosing setting on close.
 */
public final class ComputeMode {
    private static final ThreadLocal<Boolean> FIRST_ORDER = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private ComputeMode() {}

    /** An open scope; closing it restores the setting it replaced. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** True inside a {@link #firstOrder()} scope: graphs built now are differentiated at most once. */
    public static boolean isFirstOrder() {
        return FIRST_ORDER.get();
    }

    /** Opens a scope in which graphs are differentiated at most once. */
    public static Scope firstOrder() {
        return set(true);
    }

    /** Opens a scope in which every op must support a double backward (inside a first-order scope, too). */
    public static Scope exact() {
        return set(false);
    }

    private static Scope set(boolean firstOrder) {
        boolean previous = FIRST_ORDER.get();
        FIRST_ORDER.set(firstOrder);
        return () -> FIRST_ORDER.set(previous);
    }
}
