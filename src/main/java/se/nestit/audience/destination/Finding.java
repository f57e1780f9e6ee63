package se.nestit.audience.destination;

import java.util.Objects;

/**
 * One thing {@code check} looked at before a sync: whether it is ready and, when it is not, what is
 * wrong and what to do about it. Never holds a secret or personal data.
 *
 * @param subject what was looked at: {@code credentials}, {@code account 1234567890}, {@code audience buyers}
 * @param found what was found, or what is wrong
 * @param advice what to do; empty when all is well
 */
public record Finding(String subject, boolean ok, String found, String advice) {

    public Finding {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(found, "found");
        Objects.requireNonNull(advice, "advice");
    }

    public static Finding ok(String subject, String found) {
        return new Finding(subject, true, found, "");
    }

    public static Finding wrong(String subject, String found, String advice) {
        return new Finding(subject, false, found, advice);
    }
}
