package se.nestit.audience.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The readable end-of-run summary printed on standard output. */
public final class SummaryTable {

    /** The width the summary keeps to, tables included, but for names and messages longer than it. */
    static final int WIDTH = 120;

    /** What the columns that are easily misread count, said once. */
    static final String LEGEND = """
            EXPORTED: customers who passed the consent gate. HASHES: distinct hashes they make at that destination, fewer
              when two customers share one address or an address is unusable in its normalization. HELD: hashes the
              destination holds after the run (for plan: would hold); below_min_size adds nobody, removes still go.
            """;

    private SummaryTable() {}

    /**
     * @param rejectsListed whether the run wrote the rejected rows to {@code rejects.csv}; a Spark
     *     build and {@code sync --desired} only count them
     */
    public static String render(RunReport r, boolean rejectsListed) {
        StringBuilder out = new StringBuilder();
        out.append('\n')
                .append(r.command())
                .append(" as of ")
                .append(r.asOf())
                .append(" in ")
                .append(r.seconds())
                .append(" s\n");
        RunReport.CustomerReport c = r.customers();
        String customers = "customers: " + c.rows() + " rows, " + c.exportable() + " exportable, " + c.rejected()
                + " rejected; skipped: ";
        List<String> skipped = wrap(nonZero(c.skipped()), WIDTH - customers.length());
        out.append(customers)
                .append(String.join("\n" + " ".repeat(customers.length()), skipped))
                .append("\n\n");

        TextTable audiences = new TextTable("AUDIENCE", "IN SEGMENT", "EXPORTED", "SKIPPED BY REASON");
        int idWidth =
                r.audiences().keySet().stream().mapToInt(String::length).max().orElse(0);
        // the reasons go on as many lines as they need: the other columns and their gaps take the rest
        int reasonWidth =
                WIDTH - Math.max(idWidth, "AUDIENCE".length()) - "IN SEGMENT".length() - "EXPORTED".length() - 6;
        r.audiences().forEach((id, a) -> {
            List<String> lines = wrap(nonZero(a.skipped()), reasonWidth);
            audiences.row(id, a.inSegment(), a.exported(), lines.get(0));
            lines.subList(1, lines.size()).forEach(more -> audiences.row("", "", "", more));
        });
        out.append(audiences.render()).append('\n');

        TextTable deliveries =
                new TextTable("DESTINATION", "AUDIENCE", "STATUS", "HASHES", "ADDS", "REMOVES", "FAILED", "HELD");
        r.audiences()
                .forEach((id, a) -> a.destinations()
                        .forEach((d, x) -> deliveries.row(
                                d, id, x.status().code(), x.hashes(), x.adds(), x.removes(), x.failed(), x.held())));
        r.destinations()
                .forEach((d, x) -> x.orphans()
                        .forEach((id, o) -> deliveries.row(
                                d,
                                id + " (no definition)",
                                o.status().code(),
                                o.hashes(),
                                o.adds(),
                                o.removes(),
                                o.failed(),
                                o.held())));
        out.append(deliveries.render());
        if (!r.audiences().isEmpty()) {
            out.append('\n').append(LEGEND);
        }
        r.audiences()
                .forEach((id, a) -> a.destinations().forEach((d, x) -> {
                    if (x.matchRate() != null && !x.matchRate().isEmpty()) {
                        out.append(d)
                                .append(' ')
                                .append(id)
                                .append(": upload match rate ")
                                .append(x.matchRate())
                                .append('\n');
                    }
                }));
        StringBuilder withheld = new StringBuilder();
        r.audiences()
                .forEach((id, a) -> a.destinations().forEach((d, x) -> {
                    if (!x.withheld().isEmpty()) {
                        withheld.append(d)
                                .append(' ')
                                .append(id)
                                .append(": not sent, consent signal not granted: ")
                                .append(nonZero(x.withheld()))
                                .append('\n');
                    }
                }));
        if (!withheld.isEmpty()) {
            out.append('\n').append(withheld);
        }

        List<String> failures = r.destinations().entrySet().stream()
                .filter(e -> e.getValue().status() == DestinationStatus.FAILED)
                .map(e -> e.getKey() + ": " + e.getValue().message())
                .toList();
        if (!failures.isEmpty()) {
            out.append("\nFAILED ").append(String.join("\nFAILED ", failures)).append('\n');
        }
        if (!r.rejected().isEmpty()) {
            out.append(rejectsListed ? "\nrejected rows (see rejects.csv): " : "\nrejected rows: ")
                    .append(nonZero(r.rejected()))
                    .append('\n');
        }
        if (r.guardrails() != null) {
            out.append('\n').append(guardrails(r.guardrails()));
        }
        return out.toString();
    }

    /** The last line of a sync a stop cut short: what it did, and that the next run continues. */
    public static String stopped(RunReport r) {
        String done = r.destinations().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().adds() + " adds, "
                        + e.getValue().removes() + " removes")
                .collect(Collectors.joining("; "));
        long cut = r.audiences().values().stream()
                .flatMap(a -> a.destinations().values().stream())
                .filter(x -> x.status() == AudienceStatus.INTERRUPTED)
                .count();
        return "STOPPED on request: committed what the destinations confirmed (" + done + "); " + cut
                + (cut == 1 ? " audience delivery" : " audience deliveries") + " cut short or not started. "
                + "The next sync continues from there.";
    }

    /** Each guardrail's figure against its limit, then what a tripped one held and how to let the change through. */
    private static String guardrails(RunReport.GuardrailReport g) {
        TextTable table = new TextTable("GUARDRAIL", "ON", "FIGURE", "LIMIT", "STATUS");
        Map<String, Number> limits = g.limits();
        g.rejectedRows()
                .forEach((file, f) -> table.row(
                        "rejected_rows",
                        file,
                        f.rejected() + " of " + f.records() + " rows (" + percent(f.share()) + ")",
                        percent(limits.get("max_rejected_share").doubleValue()) + ", "
                                + limits.get("rejected_rows_allowed") + " rows",
                        f.tripped() ? "TRIPPED" : "ok"));
        RunReport.ExportableDrop d = g.exportableDrop();
        table.row(
                "exportable_drop",
                "customers",
                d.lastSync() == null
                        ? d.now() + " (no earlier sync)"
                        : d.lastSync() + " -> " + d.now() + lost(d.share()),
                percent(limits.get("max_exportable_drop").doubleValue()),
                d.tripped() ? "TRIPPED" : "ok");
        g.audienceShrink()
                .forEach((id, a) -> table.row(
                        "audience_shrink",
                        id + " at " + a.destination(),
                        a.before() + " -> " + a.after() + lost(a.share()),
                        percent(limits.get("max_audience_shrink").doubleValue()),
                        a.accepted() ? "accepted" : a.tripped() ? "TRIPPED" : "ok"));
        StringBuilder out = new StringBuilder(table.render());
        if (!g.held().isEmpty()) {
            out.append("\nHELD at what they were (only people who can no longer be exported left them): ")
                    .append(String.join(", ", g.held()))
                    .append('\n');
        }
        g.messages().forEach(m -> out.append("GUARDRAIL ").append(m).append('\n'));
        return out.toString();
    }

    private static String lost(double share) {
        return share == 0 ? "" : " (-" + percent(share) + ")";
    }

    /**
     * A share as a percentage for people: {@code 0.0125} is {@code 1.3%}; a share above zero that
     * would round to {@code 0%} is {@code <0.1%}, so one rejected row never reads as none.
     */
    public static String percent(double share) {
        if (share > 0 && share < 0.0005) {
            return "<0.1%";
        }
        return BigDecimal.valueOf(share * 100)
                        .setScale(1, RoundingMode.HALF_UP)
                        .stripTrailingZeros()
                        .toPlainString() + "%";
    }

    /**
     * {@code plan}'s preview: each pair of audiences that share exported customers, with how much
     * of each the shared part is, and each planned remove's reason.
     */
    public static String render(PlanPreview p) {
        StringBuilder out = new StringBuilder("\n");
        TextTable overlap = new TextTable("AUDIENCE A", "AUDIENCE B", "IN BOTH", "OF A", "OF B");
        List<String> ids = List.copyOf(p.overlap().keySet());
        for (int i = 0; i < ids.size(); i++) {
            long a = p.overlap().get(ids.get(i)).get(ids.get(i));
            for (int j = i + 1; j < ids.size(); j++) {
                long both = p.overlap().get(ids.get(i)).get(ids.get(j));
                long b = p.overlap().get(ids.get(j)).get(ids.get(j));
                if (both > 0) {
                    overlap.row(ids.get(i), ids.get(j), both, percent((double) both / a), percent((double) both / b));
                }
            }
        }
        out.append(
                overlap.isEmpty()
                        ? "overlap: no two audiences share an exported customer\n"
                        : "overlap: exported customers in both audiences\n" + overlap.render());
        TextTable removals = new TextTable("AUDIENCE", "DESTINATION", "REMOVES", "WHY");
        p.removals()
                .forEach((audience, byDestination) -> byDestination.forEach((d, reasons) -> removals.row(
                        audience,
                        d,
                        reasons.values().stream().mapToLong(Long::longValue).sum(),
                        nonZero(reasons))));
        out.append('\n')
                .append(
                        removals.isEmpty()
                                ? "removes: none planned\n"
                                : "removes a sync would make, by reason (left_segment: exportable but no longer selected)\n"
                                        + removals.render());
        return out.toString();
    }

    public static String render(VerifyReport r) {
        StringBuilder out = new StringBuilder();
        out.append("\nverify as of ")
                .append(r.asOf())
                .append(": ")
                .append(r.status().toUpperCase(Locale.ROOT))
                .append("\n\n");
        TextTable checked =
                new TextTable("DESTINATION", "AUDIENCE", "HASHES", "CONSENTED", "REMOVE PENDING", "OFFENDING");
        r.checked()
                .forEach((d, byAudience) -> byAudience.forEach(
                        (a, x) -> checked.row(d, a, x.hashes(), x.consented(), x.removePending(), x.offending())));
        out.append(checked.render());
        VerifyReport.AuditCheck audit = r.audit();
        out.append("\naudit trail: ")
                .append(audit.files())
                .append(" files, ")
                .append(audit.adds())
                .append(" adds, ")
                .append(audit.offending())
                .append(" without a valid consent\n");
        if (!r.findings().isEmpty()) {
            long changed = r.findings().stream()
                    .filter(f -> f.kind().equals(VerifyReport.CHANGED))
                    .count();
            out.append('\n')
                    .append(r.findings().size() - changed)
                    .append(" never allowed (an offence), ")
                    .append(changed)
                    .append(" changed since the last sync (the next sync removes them)\n\n");
            TextTable found = new TextTable(
                    "FINDING",
                    "AUDIENCE",
                    "DESTINATIONS",
                    "CUSTOMERS (REASON: DECIDING CONSENT)",
                    "SENT",
                    "WHAT TO DO");
            r.findings()
                    .forEach(f -> found.row(
                            f.kind().equals(VerifyReport.CHANGED) ? "changed" : "NEVER ALLOWED",
                            f.audience(),
                            String.join(", ", f.destinations()),
                            f.customers().stream().map(SummaryTable::customer).collect(Collectors.joining("; ")),
                            f.sent() == null ? "-" : f.sent().time(),
                            f.action()));
            out.append(found.render());
        }
        return out.toString();
    }

    /** A list joined by {@code ", "} cut into lines of at most {@code width}, between items (an item longer stays whole). */
    static List<String> wrap(String items, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String item : items.split(", ", -1)) {
            if (line.length() > 0 && line.length() + 2 + item.length() + 1 > width) {
                lines.add(line.append(',').toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? ", " : "").append(item);
        }
        lines.add(line.toString());
        return lines;
    }

    /** {@code C15 (consent_withdrawn: withdrawn 2026-11-20T00:00:00Z, web)}; the source left out when empty. */
    private static String customer(VerifyReport.Customer c) {
        String record = c.consent() == null
                ? "no record"
                : c.consent().status() + " " + c.consent().recordedAt()
                        + (c.consent().source().isEmpty()
                                ? ""
                                : ", " + c.consent().source());
        return (c.customerId().isEmpty() ? "-" : c.customerId()) + " (" + c.reason() + ": " + record + ")";
    }

    private static String nonZero(Map<String, Long> counts) {
        String s = counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "none" : s;
    }
}
