package dev.walrus.kafka.security;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The public keys of an identity provider (its JSON Web Key Set, RFC 7517), fetched from
 * {@code sasl.oauthbearer.jwks.endpoint.url} when the listener starts and again every
 * {@code sasl.oauthbearer.jwks.endpoint.refresh.ms}, as Kafka's broker does.
 *
 * <p>Why a copy refreshed on its own thread: tokens are checked on a network event loop, which must never wait for a
 * provider. A token signed with a key this copy does not know yet (the provider rotated its keys) is refused, and
 * asks for an early fetch, at most once a minute per key id, as Kafka's refreshing resolver does; the client's next
 * attempt then finds the key. A failed fetch keeps the keys already known and is retried with an exponential backoff
 * from {@code ...retry.backoff.ms} to {@code ...retry.backoff.max.ms}.
 */
final class JwksKeys implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
    /** How long an unknown key id waits before it may ask for another early fetch (Kafka's figure). */
    private static final long MISSING_KEY_RETRY_MS = 60_000;
    private static final int MISSING_KEYS_REMEMBERED = 100;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private final SignedTokenSettings settings;
    private final HttpClient http;
    private final ScheduledExecutorService refresher;
    private final Map<String, Long> missingKeyAsks = new LinkedHashMap<>();
    private volatile List<JsonWebKey> keys = List.of();
    /** The next failed fetch's retry delay; refresher thread only. */
    private long backoffMs;

    private JwksKeys(SignedTokenSettings settings) {
        this.settings = settings;
        this.http = settings.fromFile() ? null
                : HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "walrus-jwks-refresh");
            t.setDaemon(true);
            return t;
        });
        this.backoffMs = Math.max(1, settings.retryBackoffMs());
    }

    /**
     * Fetches the keys now (the broker starts serving the listener once it has them, or once the first fetch and its
     * retries, bounded by {@code ...retry.backoff.max.ms}, have failed) and keeps refreshing them.
     */
    static JwksKeys start(SignedTokenSettings settings) {
        JwksKeys source = new JwksKeys(settings);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(settings.retryBackoffMaxMs(), 1));
        while (!source.fetch() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(source.nextBackoff());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (source.keys.isEmpty()) {
            LOG.warn("No keys from {} yet: OAUTHBEARER tokens are refused until a fetch succeeds (retrying)",
                    settings.jwksUrl());
            source.refresher.schedule(source::refreshWithRetry, source.nextBackoff(), TimeUnit.MILLISECONDS);
        } else {
            source.scheduleRefresh();
        }
        return source;
    }

    /** The keys as last fetched. */
    List<JsonWebKey> current() {
        return keys;
    }

    /** A token named a key id no known key has: fetch early, unless this id asked within the last minute. */
    void missingKey(String keyId) {
        String id = keyId == null ? "" : keyId;
        long now = System.currentTimeMillis();
        synchronized (missingKeyAsks) {
            Long asked = missingKeyAsks.get(id);
            if (asked != null && now - asked < MISSING_KEY_RETRY_MS) {
                return;
            }
            missingKeyAsks.remove(id);
            missingKeyAsks.put(id, now);
            if (missingKeyAsks.size() > MISSING_KEYS_REMEMBERED) {
                missingKeyAsks.remove(missingKeyAsks.keySet().iterator().next());
            }
        }
        refresher.execute(this::fetch);
    }

    private void scheduleRefresh() {
        if (settings.refreshMs() > 0) {
            refresher.schedule(this::refreshWithRetry, settings.refreshMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void refreshWithRetry() {
        if (fetch()) {
            backoffMs = Math.max(1, settings.retryBackoffMs());
            scheduleRefresh();
        } else {
            refresher.schedule(this::refreshWithRetry, nextBackoff(), TimeUnit.MILLISECONDS);
        }
    }

    private long nextBackoff() {
        long delay = backoffMs;
        backoffMs = Math.min(Math.max(1, settings.retryBackoffMaxMs()), backoffMs * 2);
        return delay;
    }

    /** One fetch; true if it brought a key set (which then replaces the known keys). */
    private boolean fetch() {
        try {
            List<JsonWebKey> fetched = new JsonWebKeySet(read()).getJsonWebKeys();
            keys = List.copyOf(fetched);
            LOG.debug("Fetched {} keys from {}", fetched.size(), settings.jwksUrl());
            return true;
        } catch (IOException | JoseException | RuntimeException e) {
            LOG.warn("Fetching the OAUTHBEARER keys from {} failed: {}", settings.jwksUrl(), e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String read() throws IOException, InterruptedException {
        if (settings.fromFile()) {
            return Files.readString(Path.of(settings.jwksUrl()), StandardCharsets.UTF_8);
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.jwksUrl()).timeout(HTTP_TIMEOUT)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        if (http != null) {
            http.close();
        }
    }
}
