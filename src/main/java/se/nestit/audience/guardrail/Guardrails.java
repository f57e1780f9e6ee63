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
        public boolean tripped() {
            return report.status().equals(TRIPPED);
        }
    }

    private static final String REJECTED_ROWS = "rejected_rows";
    private static final String EXPORTABLE_DROP = "exportable_drop";
    private static final String AUDIENCE_SHRINK = "audience_shrink";
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
    public Verdict check(
            List<FileRows> files, long exportable, OptionalLong lastSync, Map<String, List<Change>> audiences) {
        List<String> messages = new ArrayList<>();
        Map<String, RejectedRows> rejected = rejectedRows(files, messages);
        ExportableDrop drop = exportableDrop(exportable, lastSync, messages);
        Map<String, AudienceShrink> shrinks = audienceShrinks(audiences);

        boolean holdAll = drop.tripped() || rejected.values().stream().anyMatch(RejectedRows::tripped);
        Set<String> held = new LinkedHashSet<>();
        shrinks.forEach((id, a) -> {
            if (a.tripped() && !a.accepted()) {
                held.add(id);
                messages.add(AUDIENCE_SHRINK + ": " + id + " would fall from " + a.before() + " to " + a.after()
                        + " members at " + a.destination() + " (" + percent(a.share()) + " fewer, "
                        + (a.after() == 0 ? "to none" : "more than " + percent(limits.maxAudienceShrink()))
                        + "); it is held at what it was. If the shrink is intended, run sync again with --accept-shrink "
                        + id);
            }
        });
        List<String> heldIds = holdAll ? List.copyOf(audiences.keySet()) : List.copyOf(held);
        boolean tripped = holdAll || !held.isEmpty();
        return new Verdict(
                new GuardrailReport(
                        tripped ? TRIPPED : "ok", limits.byName(), rejected, drop, shrinks, heldIds, messages),
                Set.copyOf(heldIds));
    }

    private Map<String, RejectedRows> rejectedRows(List<FileRows> files, List<String> messages) {
        Map<String, RejectedRows> rejected = new LinkedHashMap<>();
        for (FileRows f : files) {
            double share = f.records() == 0 ? 0 : (double) f.rejected() / f.records();
            boolean tripped = f.rejected() > limits.rejectedRowsAllowed() && share > limits.maxRejectedShare();
            rejected.put(f.file(), new RejectedRows(f.records(), f.rejected(), rounded(share), tripped));
            if (tripped) {
                messages.add(REJECTED_ROWS + ": " + f.file() + ": " + f.rejected() + " of " + f.records()
                        + " rows rejected (" + percent(share) + ", more than " + percent(limits.maxRejectedShare())
                        + "), which looks like a broken export; every audience is held (see rejects.csv). "
                        + "If the file is right, run again with --guardrail " + GuardrailLimits.MAX_REJECTED_SHARE + "="
                        + percentAbove(share));
            }
        }
        return rejected;
    }

    private ExportableDrop exportableDrop(long exportable, OptionalLong lastSync, List<String> messages) {
        if (lastSync.isEmpty()) {
            return new ExportableDrop(null, exportable, 0, false);
        }
        long last = lastSync.getAsLong();
        double share = exportable >= last ? 0 : (double) (last - exportable) / last;
        boolean tripped = share > limits.maxExportableDrop();
        if (tripped) {
            messages.add(EXPORTABLE_DROP + ": " + exportable + " customers are exportable, " + last
                    + " at the last completed sync (" + percent(share) + " fewer, more than "
                    + percent(limits.maxExportableDrop()) + "), which looks like a broken consent or customer export; "
                    + "every audience is held. If the drop is real, run again with --guardrail "
                    + GuardrailLimits.MAX_EXPORTABLE_DROP + "=" + percentAbove(share));
        }
        return new ExportableDrop(last, exportable, rounded(share), tripped);
    }

    /** Each audience's figure at the destination where it trips, or else where it loses most. */
    private Map<String, AudienceShrink> audienceShrinks(Map<String, List<Change>> audiences) {
        Map<String, AudienceShrink> shrinks = new LinkedHashMap<>();
        audiences.forEach((id, changes) -> {
            AudienceShrink worst = null;
            for (Change c : changes) {
                double share = c.after() >= c.before() ? 0 : (double) (c.before() - c.after()) / c.before();
                boolean tripped = share > limits.maxAudienceShrink()
                        || (limits.maxAudienceShrink() < 1 && c.before() > 0 && c.after() == 0);
                if (worst == null
                        || (tripped && !worst.tripped())
                        || (tripped == worst.tripped() && share > worst.share())) {
                    worst = new AudienceShrink(
                            c.destination(),
                            c.before(),
                            c.after(),
                            rounded(share),
                            tripped,
                            tripped && acceptedShrinks.contains(id));
                }
            }
            if (worst != null) {
                shrinks.put(id, worst);
            }
        });
        return shrinks;
    }

    private static double rounded(double share) {
        return Math.round(share * 10_000) / 10_000.0;
    }

    /** The least whole percentage that lets this share through. */
    private static String percentAbove(double share) {
        return (long) Math.ceil(share * 100 - 1e-9) + "%";
    }
}
