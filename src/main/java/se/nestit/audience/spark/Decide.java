package se.nestit.audience.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;
import scala.Tuple3;
import se.nestit.audience.consent.ConsentGate;
import se.nestit.audience.consent.GateVerdict;
import se.nestit.audience.consent.Suppressions;
import se.nestit.audience.identity.EmailSyntax;
import se.nestit.audience.identity.Normalization;
import se.nestit.audience.identity.Sha256;
import se.nestit.audience.segment.AudienceDefinition;
import se.nestit.audience.segment.CustomerFacts;
import se.nestit.audience.segment.SegmentProgram;

/**
 * Decides every customer of a partition, once their row, deciding consent and activity counts
 * meet: the single-machine {@link ConsentGate}, the rules ({@link SegmentProgram#selects} on the
 * customer's {@link CustomerFacts}), and the normalization and hashing of the email in each profile.
 * Groups without a customers.csv row (consent or activity of an unknown id) end here.
 */
final class Decide
        implements FlatMapFunction<
                Iterator<
                        Tuple2<
                                String,
                                Tuple3<Iterable<CustomerCells>, Iterable<ConsentCells>, Iterable<CustomerFacts>>>>,
                CustomerOutcome> {

    private static final long serialVersionUID = 1L;
    /**
     * The suppressions of the latest broadcast this executor saw, built once from its rows rather
     * than once per partition. One only: an executor lives on after a build, and a cache of every
     * build's suppressions would keep all of them.
     */
    private static Cached latest;

    private record Cached(long broadcast, Suppressions suppressions) {}

    private final RunSpec spec;
    private final Broadcast<List<String[]>> suppressions;

    Decide(RunSpec spec, Broadcast<List<String[]>> suppressions) {
        this.spec = spec;
        this.suppressions = suppressions;
    }

    @Override
    public Iterator<CustomerOutcome> call(
            Iterator<Tuple2<String, Tuple3<Iterable<CustomerCells>, Iterable<ConsentCells>, Iterable<CustomerFacts>>>>
                    groups) {
        RunSpec.Compiled c = spec.compiled();
        SegmentProgram program = c.program();
        List<AudienceDefinition> audiences = c.audiences();
        ConsentGate gate = new ConsentGate(c.policy(), spec.asOf());
        Suppressions suppressed = suppressions(suppressions);
        Normalization[] profiles = spec.profiles();
        Sha256 sha = new Sha256();
        List<CustomerOutcome> out = new ArrayList<>();
        while (groups.hasNext()) {
            Tuple2<String, Tuple3<Iterable<CustomerCells>, Iterable<ConsentCells>, Iterable<CustomerFacts>>> g =
                    groups.next();
            Iterator<CustomerCells> row = g._2()._1().iterator();
            if (!row.hasNext()) {
                continue;
            }
            String id = g._1();
            CustomerCells customer = row.next();
            if (!customer.accepted()) {
                continue; // only rejected rows: no customer, their emails served the suppressions
            }
            Iterator<ConsentCells> consents = g._2()._2().iterator();
            ConsentCells consent = consents.hasNext() ? consents.next() : null;
            GateVerdict verdict = gate.decide(
                    id,
                    customer.email(),
                    suppressed,
                    consent == null ? null : consent.record(id),
                    consent != null && consent.unreadable());

            Iterator<CustomerFacts> counted = g._2()._3().iterator();
            CustomerFacts facts = counted.hasNext() ? counted.next() : new CustomerFacts(program);
            for (int slot = 0; slot < customer.filters().length; slot++) {
                facts.setCustomer(slot, customer.filters()[slot]);
            }
            boolean[] selected = new boolean[audiences.size()];
            for (int a = 0; a < selected.length; a++) {
                selected[a] = program.selects(audiences.get(a).id(), facts);
            }

            byte[][] digests = new byte[profiles.length][];
            // only those who may be exported are hashed: no other hash is kept, spilled or written
            if (verdict == GateVerdict.EXPORTABLE) {
                for (int p = 0; p < profiles.length; p++) {
                    String normalized = profiles[p].apply(customer.email());
                    digests[p] = EmailSyntax.isValid(normalized) ? sha.digest(normalized) : null;
                }
            }
            out.add(new CustomerOutcome(
                    id, verdict, selected, digests, consent, customer.duplicates(), customer.order()));
        }
        return out.iterator();
    }

    /** The suppressions of a broadcast, built when it is not the one this executor saw last. */
    static synchronized Suppressions suppressions(Broadcast<List<String[]>> rows) {
        if (latest == null || latest.broadcast() != rows.id()) {
            Suppressions s = new Suppressions();
            rows.value().forEach(row -> s.add(row[0], row[1]));
            latest = new Cached(rows.id(), s);
        }
        return latest.suppressions();
    }
}
