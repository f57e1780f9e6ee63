package se.nestit.audience.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The readable end-of-run summary printed on standard output. */
public final class SummaryTable {

    private SummaryTable() {}

    /**
     * @param rejectsListed whether the run wrote the rejected rows to {@code rejects.csv}; a Spark
     *     build and {@code sync --desired} only count them
     */
    public static String render(RunReport r, boolean rejectsListed) {
        StringBuilder out = new StringBuilder();
        out.append('\n').append(r.command()).append(" as of ").append(r.asOf()).append(" in ").append(r.seconds()).append(" s\n");
        RunReport.CustomerReport c = r.customers();
        out.append("customers: ").append(c.rows()).append(" rows, ").append(c.exportable()).append(" exportable, ")
                .append(c.rejected()).append(" rejected; skipped: ").append(nonZero(c.skipped())).append("\n\n");

        TextTable audiences = new TextTable("AUDIENCE", "IN SEGMENT", "EXPORTED", "SKIPPED BY REASON");
        r.audiences().forEach((id, a) -> audiences.row(id, a.inSegment(), a.exported(), nonZero(a.skipped())));
        out.append(audiences.render()).append('\n');

        TextTable deliveries = new TextTable("DESTINATION", "AUDIENCE", "STATUS", "HASHES", "ADDS", "REMOVES", "FAILED", "HELD");
        r.audiences().forEach((id, a) -> a.destinations().forEach((d, x) ->
                deliveries.row(d, id, x.status(), x.hashes(), x.adds(), x.removes(), x.failed(), x.held())));
        r.destinations().forEach((d, x) -> x.orphans().forEach((id, o) ->
                deliveries.row(d, id + " (no definition)", o.status(), o.hashes(), o.adds(), o.removes(), o.failed(), o.held())));
        out.append(deliveries.render());
        r.audiences().forEach((id, a) -> a.destinations().forEach((d, x) -> {
            if (x.matchRate() != null && !x.matchRate().isEmpty()) {
                out.append(d).append(' ').append(id).append(": upload match rate ").append(x.matchRate()).append('\n');
            }
        }));
        StringBuilder withheld = new StringBuilder();
        r.audiences().forEach((id, a) -> a.destinations().forEach((d, x) -> {
            if (!x.withheld().isEmpty()) {
                withheld.append(d).append(' ').append(id).append(": not sent, consent signal not granted: ")
                        .append(nonZero(x.withheld())).append('\n');
            }
        }));
        if (!withheld.isEmpty()) {
            out.append('\n').append(withheld);
        }

        List<String> failures = r.destinations().entrySet().stream()
                .filter(e -> e.getValue().status().equals("failed"))
                .map(e -> e.getKey() + ": " + e.getValue().message())
                .toList();
        if (!failures.isEmpty()) {
            out.append("\nFAILED ").append(String.join("\nFAILED ", failures)).append('\n');
        }
        if (!r.rejected().isEmpty()) {
            out.append(rejectsListed ? "\nrejected rows (see rejects.csv): " : "\nrejected rows: ")
                    .append(nonZero(r.rejected())).append('\n');
        }
        return out.toString();
    }

    /** The last line of a sync a stop cut short: what it did, and that the next run continues. */
    public static String stopped(RunReport r) {
        String done = r.destinations().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().adds() + " adds, " + e.getValue().removes() + " removes")
                .collect(Collectors.joining("; "));
        long cut = r.audiences().values().stream().flatMap(a -> a.destinations().values().stream())
                .filter(x -> x.status().equals(RunReport.INTERRUPTED)).count();
        return "STOPPED on request: committed what the destinations confirmed (" + done + "); " + cut
                + (cut == 1 ? " audience delivery" : " audience deliveries") + " cut short or not started. "
                + "The next sync continues from there.";
    }

    public static String render(VerifyReport r) {
        StringBuilder out = new StringBuilder();
        out.append("\nverify as of ").append(r.asOf()).append(": ").append(r.status().toUpperCase(Locale.ROOT)).append("\n\n");
        TextTable checked = new TextTable("DESTINATION", "AUDIENCE", "HASHES", "CONSENTED", "REMOVE PENDING", "OFFENDING");
        r.checked().forEach((d, byAudience) -> byAudience.forEach((a, x) ->
                checked.row(d, a, x.hashes(), x.consented(), x.removePending(), x.offending())));
        out.append(checked.render());
        VerifyReport.AuditCheck audit = r.audit();
        out.append("\naudit trail: ").append(audit.files()).append(" files, ").append(audit.adds()).append(" adds, ")
                .append(audit.offending()).append(" without a valid consent\n");
        if (!r.offending().isEmpty()) {
            out.append('\n');
            TextTable bad = new TextTable("CHECK", "DESTINATION", "AUDIENCE", "HASH", "CUSTOMERS (REASON)");
            r.offending().forEach(o -> bad.row(o.check(), o.destination(), o.audience(), o.hash(), o.customers().stream()
                    .map(h -> (h.customerId().isEmpty() ? "-" : h.customerId()) + " (" + h.reason() + ")")
                    .collect(Collectors.joining(", "))));
            out.append(bad.render());
        }
        return out.toString();
    }

    private static String nonZero(Map<String, Long> counts) {
        String s = counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "none" : s;
    }
}
