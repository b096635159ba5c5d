package dev.walrus.kafka.metadata;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes expired delegation tokens every {@code delegation.token.expiry.check.interval.ms}, as Kafka's controller
 * does; until then an expired token is listed but no longer authenticates. Runs only when tokens are enabled.
 */
public final class DelegationTokenSweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DelegationTokenSweeper.class);

    private final ScheduledExecutorService timer;

    private DelegationTokenSweeper(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public static DelegationTokenSweeper start(DelegationTokenIssuer issuer, long intervalMs) {
        if (!issuer.tokens().enabled()) {
            return new DelegationTokenSweeper(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "walrus-delegation-token-expiry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                int removed = issuer.sweepExpired(System.currentTimeMillis());
                if (removed > 0) {
                    log.info("Removed {} expired delegation tokens", removed);
                }
            } catch (RuntimeException e) {
                log.warn("Removing expired delegation tokens failed; trying again in {} ms", intervalMs, e);
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return new DelegationTokenSweeper(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
