package se.nestit.audience.identity;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The per-customer work of the identity stage: normalize an email for a network and hash it. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class HashBenchmark {

    private final String email = "  Anna.Lindqvist+books@GMail.com\u00A0";
    private final Sha256 sha = new Sha256();

    @Benchmark
    public String normalizeGoogle() {
        return Normalization.GOOGLE.apply(email);
    }

    @Benchmark
    public byte[] normalizeAndHashGoogle() {
        return sha.digest(Normalization.GOOGLE.apply(email));
    }

    @Benchmark
    public boolean checkSyntax() {
        return EmailSyntax.isValid("anna.lindqvist+books@gmail.com");
    }
}
