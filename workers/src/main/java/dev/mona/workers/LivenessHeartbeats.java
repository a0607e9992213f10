package dev.mona.workers;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats every activity attempt from a timer while it runs, so that a stage's heartbeat timeout
 * ({@code StageOptions}) finds an attempt lost with its worker within that timeout instead of the 12-hour attempt
 * limit, and never times out an attempt that is alive but between heartbeats of its own. One interceptor covers every
 * stage, present and future. CPU stages are data plumbing (fetch, source, export, manifest, tables, attaching to runs)
 * without progress hooks. GPU stages heartbeat their steps, but much of an attempt happens between steps (loading a
 * model, a source pass, validation, ORCA's OTDD) and one step of a large encoder on a busy CPU can take longer than
 * the timeout: MoNA's meta-step over MiniLM on two loaded cores took 30-60 s, and its attempts were timed out and
 * restarted before their first checkpoint, again and again. Liveness is the process's; a computation that hangs inside
 * a live process is bounded by the attempt's start-to-close limit. Details an activity heartbeats itself are kept and
 * repeated, so progress shown by {@code mona watch} survives.
 */
final class LivenessHeartbeats extends WorkerInterceptorBase {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mona-liveness-heartbeats");
        t.setDaemon(true);
        return t;
    });

    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
        return new ActivityInboundCallsInterceptorBase(next) {
            private Remembering context;

            @Override
            public void init(ActivityExecutionContext ctx) {
                context = new Remembering(ctx);
                super.init(context);
            }

            @Override
            public ActivityOutput execute(ActivityInput input) {
                Duration timeout = context.getInfo().getHeartbeatTimeout();
                if (timeout.isZero()) {
                    return super.execute(input);
                }
                long period = Math.max(100, timeout.toMillis() / 3);
                ScheduledFuture<?> beat = TIMER.scheduleAtFixedRate(context::beat, 0, period, TimeUnit.MILLISECONDS);
                try {
                    return super.execute(input);
                } finally {
                    beat.cancel(false);
                }
            }
        };
    }

    /** The activity's context, remembering the last details it heartbeated so the timer can repeat them. */
    private static final class Remembering extends ActivityExecutionContextBase {
        private final ActivityExecutionContext next;
        private volatile Object details;

        Remembering(ActivityExecutionContext next) {
            super(next);
            this.next = next;
        }

        @Override
        public <V> void heartbeat(V details) {
            this.details = details;
            super.heartbeat(details);
        }

        void beat() {
            try {
                next.heartbeat(details);
            } catch (RuntimeException e) {
                // cancelled or timed out: the activity learns it from its own result; the timer stops with it
            }
        }
    }
}
