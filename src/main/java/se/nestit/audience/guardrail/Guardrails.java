package se.nestit.audience.guardrail;

import static se.nestit.audience.report.SummaryTable.percent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import se.nestit.audience.report.RunReport.AudienceShrink;
import se.nestit.audience.report.RunReport.ExportableDrop;
import se.nestit.audience.report.RunReport.GuardrailReport;
import se.nestit.audience.report.RunReport.RejectedRows;

/**
 * Decides, before anything is sent or written, whether this night looks like a broken export: too
 * many rejected rows in an input file or too few exportable customers hold every audience; an
 * audience that would lose too many members is held alone. A held audience keeps what it had,
 * but whoever can no longer be exported still leaves it (the destinations do that part).
 */
public final class Guardrails {

    /** One input file as read: {@code records} counts its rejected rows too. */
    public record FileRows(String file, long records, long rejected) {}

    /** One audience at one destination: members before this run and after its plan. */
    public record Change(String destination, long before, long after) {}

    /** Each guardrail's figure, and the audiences to hold at what they were. */
    public record Verdict(GuardrailReport report, Set<String> held) {
        public Verdict {
            held = Set.copyOf(held);
        }

        public boolean tripped() {
            return report.status().equals(TRIPPED);
        }
    }

    public static final String REJECTED_ROWS = "rejected_rows";
    public static final String EXPORTABLE_DROP = "exportable_drop";
    public static final String AUDIENCE_SHRINK = "audience_shrink";
    /** The report's status when a guardrail held audiences. */
    public static final String TRIPPED = "tripped";

    private final GuardrailLimits limits;
    private final Set<String> acceptedShrinks;

    /** @param acceptedShrinks audiences whose shrink this run lets through ({@code --accept-shrink}) */
    public Guardrails(GuardrailLimits limits, Set<String> acceptedShrinks) {
        this.limits = limits;
        this.acceptedShrinks = Set.copyOf(acceptedShrinks);
    }

    /**
     * @param exportable customers who pass the consent gate now
     * @param lastSync exportable customers at the last completed sync; empty before the first
     * @param audiences per audience id, in definition order, its change at each of its destinations
     */
    public Verdict check(List<FileRows> files, long exportable, OptionalLong lastSync, Map<String, List<Change>> audiences) {
        List<String> messages = new ArrayList<>();
        boolean holdAll = false;

        Map<String, RejectedRows> rejected = new LinkedHashMap<>();
        for (FileRows f : files) {
            double share = f.records() == 0 ? 0 : (double) f.rejected() / f.records();
            boolean tripped = f.rejected() > limits.rejectedRowsAllowed() && share > limits.maxRejectedShare();
            rejected.put(f.file(), new RejectedRows(f.records(), f.rejected(), rounded(share), tripped));
            if (tripped) {
                holdAll = true;
                messages.add(REJECTED_ROWS + ": " + f.file() + ": " + f.rejected() + " of " + f.records() + " rows rejected ("
                        + percent(share) + ", more than " + percent(limits.maxRejectedShare())
                        + "), which looks like a broken export; every audience is held (see rejects.csv). If the file is "
                        + "right, run again with --guardrail " + GuardrailLimits.MAX_REJECTED_SHARE + "=" + percentAbove(share));
            }
        }

        ExportableDrop drop = new ExportableDrop(null, exportable, 0, false);
        if (lastSync.isPresent()) {
            long last = lastSync.getAsLong();
            double share = exportable >= last ? 0 : (double) (last - exportable) / last;
            boolean tripped = share > limits.maxExportableDrop();
            drop = new ExportableDrop(last, exportable, rounded(share), tripped);
            if (tripped) {
                holdAll = true;
                messages.add(EXPORTABLE_DROP + ": " + exportable + " customers are exportable, " + last
                        + " at the last completed sync (" + percent(share) + " fewer, more than "
                        + percent(limits.maxExportableDrop()) + "), which looks like a broken consent or customer export; "
                        + "every audience is held. If the drop is real, run again with --guardrail "
                        + GuardrailLimits.MAX_EXPORTABLE_DROP + "=" + percentAbove(share));
            }
        }

        Map<String, AudienceShrink> shrinks = new LinkedHashMap<>();
        Set<String> held = new LinkedHashSet<>();
        for (Map.Entry<String, List<Change>> a : audiences.entrySet()) {
            AudienceShrink worst = null;
            for (Change c : a.getValue()) {
                double share = c.after() >= c.before() ? 0 : (double) (c.before() - c.after()) / c.before();
                boolean tripped = share > limits.maxAudienceShrink()
                        || (limits.maxAudienceShrink() < 1 && c.before() > 0 && c.after() == 0);
                if (worst == null || (tripped && !worst.tripped()) || (tripped == worst.tripped() && share > worst.share())) {
                    worst = new AudienceShrink(c.destination(), c.before(), c.after(), rounded(share), tripped,
                            tripped && acceptedShrinks.contains(a.getKey()));
                }
            }
            if (worst == null) {
                continue;
            }
            shrinks.put(a.getKey(), worst);
            if (worst.tripped() && !worst.accepted()) {
                held.add(a.getKey());
                messages.add(AUDIENCE_SHRINK + ": " + a.getKey() + " would fall from " + worst.before() + " to " + worst.after()
                        + " members at " + worst.destination() + " (" + percent(worst.share()) + " fewer, "
                        + (worst.after() == 0 ? "to none" : "more than " + percent(limits.maxAudienceShrink()))
                        + "); it is held at what it was. If the shrink is intended, run sync again with --accept-shrink "
                        + a.getKey());
            }
        }
        if (holdAll) {
            held = new LinkedHashSet<>(audiences.keySet());
        }
        boolean tripped = holdAll || !held.isEmpty();
        return new Verdict(new GuardrailReport(tripped ? TRIPPED : "ok", limits.byName(), rejected, drop, shrinks,
                List.copyOf(held), messages), held);
    }

    private static double rounded(double share) {
        return Math.round(share * 10_000) / 10_000.0;
    }

    /** The least whole percentage that lets this share through. */
    private static String percentAbove(double share) {
        return (long) Math.ceil(share * 100 - 1e-9) + "%";
    }
}
