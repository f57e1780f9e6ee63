package se.nestit.audience.destination;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import se.nestit.audience.config.YamlNode;
import se.nestit.audience.sync.Stopping;

/**
 * Retry, rate limit and circuit breaker around every call one destination makes, composed the way
 * resilience4j recommends: each retry attempt asks the circuit breaker, then waits for the rate
 * limiter. Retries back off exponentially with jitter, or as long as the network asked
 * ({@code Retry-After}, Meta's {@code estimated_time_to_regain_access}), and only on the errors the
 * network calls retryable. A run that is stopping ({@link Stopping}) starts no further attempt.
 */
public final class Resilience {

    /** The settings a destination's config may give; every one has a default. */
    public record Settings(
            int maxAttempts, Duration initialBackoff, Duration maxBackoff, double perSecond, Duration timeout) {

        public static final Settings DEFAULTS =
                new Settings(5, Duration.ofSeconds(1), Duration.ofMinutes(1), 10, Duration.ofMinutes(2));
        public static final List<String> KEYS = List.of("retry", "rate_limit", "timeout");

        public Settings {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("max_attempts must be at least 1 but was " + maxAttempts);
            }
            if (perSecond <= 0) {
                throw new IllegalArgumentException("per_second must be positive but was " + perSecond);
            }
        }

        /** Reads {@code retry: {max_attempts, initial_backoff, max_backoff}, rate_limit: {per_second}, timeout}. */
        public static Settings from(Map<String, YamlNode> fields, Settings defaults) {
            int attempts = defaults.maxAttempts;
            Duration initial = defaults.initialBackoff;
            Duration max = defaults.maxBackoff;
            double perSecond = defaults.perSecond;
            Duration timeout = defaults.timeout;
            YamlNode retry = fields.get("retry");
            if (retry != null && !retry.isNullOrMissing()) {
                retry.fields(List.of("max_attempts", "initial_backoff", "max_backoff"));
                if (!retry.get("max_attempts").isNullOrMissing()) {
                    attempts = retry.get("max_attempts").integer(1, 100);
                }
                if (!retry.get("initial_backoff").isNullOrMissing()) {
                    initial = retry.get("initial_backoff").duration();
                }
                if (!retry.get("max_backoff").isNullOrMissing()) {
                    max = retry.get("max_backoff").duration();
                }
            }
            YamlNode rate = fields.get("rate_limit");
            if (rate != null && !rate.isNullOrMissing()) {
                rate.fields(List.of("per_second"));
                YamlNode ps = rate.get("per_second");
                if (!ps.isNullOrMissing()) {
                    perSecond = ps.decimal().doubleValue();
                    if (perSecond <= 0) {
                        throw ps.error("must be positive");
                    }
                }
            }
            YamlNode t = fields.get("timeout");
            if (t != null && !t.isNullOrMissing()) {
                timeout = t.duration();
            }
            return new Settings(attempts, initial, max, perSecond, timeout);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Resilience.class);

    private final String name;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final RateLimiter limiter;
    private final Settings settings;

    /**
     * @param name the destination id, for messages
     * @param retryable the errors worth another attempt
     * @param retryAfter how long the network asked to wait before the next attempt, if it said so
     */
    public Resilience(
            String name,
            Settings settings,
            Predicate<Throwable> retryable,
            Function<Throwable, Optional<Duration>> retryAfter) {
        this.name = name;
        this.settings = settings;
        IntervalFunction backoff =
                IntervalFunction.ofExponentialRandomBackoff(settings.initialBackoff(), 2.0, 0.5, settings.maxBackoff());
        IntervalBiFunction<Object> interval = (attempt, outcome) -> {
            Optional<Duration> asked = outcome.isLeft() ? retryAfter.apply(outcome.getLeft()) : Optional.empty();
            long wait = asked.map(Duration::toMillis).orElseGet(() -> backoff.apply(attempt));
            return Math.min(
                    Math.max(wait, 0),
                    Math.max(
                            settings.maxBackoff().toMillis(),
                            asked.map(Duration::toMillis).orElse(0L)));
        };
        this.retry = Retry.of(
                name,
                RetryConfig.custom()
                        .maxAttempts(settings.maxAttempts())
                        .intervalBiFunction(interval)
                        .retryOnException(retryable)
                        .build());
        this.breaker = CircuitBreaker.of(
                name,
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(10)
                        .minimumNumberOfCalls(5)
                        .failureRateThreshold(80)
                        .waitDurationInOpenState(Duration.ofSeconds(30))
                        // only failures that say something about the network's health count
                        .recordException(retryable)
                        .build());
        this.limiter = RateLimiter.of(
                name,
                RateLimiterConfig.custom()
                        .limitForPeriod(Math.max(1, (int) Math.round(settings.perSecond())))
                        .limitRefreshPeriod(
                                settings.perSecond() >= 1
                                        ? Duration.ofSeconds(1)
                                        : Duration.ofMillis(Math.round(1000 / settings.perSecond())))
                        .timeoutDuration(Duration.ofMinutes(10))
                        .build());
        retry.getEventPublisher()
                .onRetry(e -> log.warn(
                        "{}: attempt {} failed ({}); retrying in {} ms",
                        name,
                        e.getNumberOfRetryAttempts(),
                        describe(e.getLastThrowable()),
                        e.getWaitInterval().toMillis()));
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Makes one call with retries, rate limit and circuit breaker.
     *
     * @param what what the call does, for messages ({@code "add 10000 members to list X"})
     */
    public <T> T call(String what, Supplier<T> call) {
        Supplier<T> unlessStopping = () -> {
            // asked before every attempt, after the rate limiter's wait: a stopping run starts no request
            if (Stopping.requested()) {
                throw new StoppedException(name, what);
            }
            return call.get();
        };
        Supplier<T> limited = RateLimiter.decorateSupplier(limiter, unlessStopping);
        Supplier<T> guarded = CircuitBreaker.decorateSupplier(breaker, limited);
        try {
            return Retry.decorateSupplier(retry, guarded).get();
        } catch (CallNotPermittedException e) {
            throw new DestinationException(
                    "stopped calling the network after repeated failures (circuit open) while trying to " + what, e);
        } catch (RequestNotPermitted e) {
            throw new DestinationException("rate limiter gave no permission in time to " + what, e);
        }
    }

    /** The first line of the error: some client libraries put a whole error dump in the message. */
    private static String describe(Throwable t) {
        if (t == null) {
            return "no error";
        }
        String m = t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().strip();
        int eol = m.indexOf('\n');
        return eol < 0 ? m : m.substring(0, eol) + " ...";
    }
}
