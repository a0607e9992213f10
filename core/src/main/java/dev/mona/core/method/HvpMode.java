package dev.mona.core.method;

/** How MoNA computes the mixed second-order term {@code -alpha * grad_phi[(grad_theta L_in) . v]}. */
public enum HvpMode {
    /** Exact: double back-propagation through the inner gradient ({@code torch.autograd.grad}, create_graph). */
    EXACT,
    /**
     * Central differences: {@code [grad_phi L_in(phi, theta + eps v) - grad_phi L_in(phi, theta - eps v)] / (2 eps)},
     * {@code eps = 1e-2 / ||v||}; four first-order passes, for sizes where double backward costs too much memory.
     */
    FD
}
