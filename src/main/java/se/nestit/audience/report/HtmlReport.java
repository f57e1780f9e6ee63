package se.nestit.audience.report;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import se.nestit.audience.report.RunReport.AudienceDelivery;
import se.nestit.audience.report.RunReport.AudienceReport;
import se.nestit.audience.report.RunReport.AudienceShrink;
import se.nestit.audience.report.RunReport.DestinationReport;
import se.nestit.audience.report.RunReport.GuardrailReport;
import se.nestit.audience.report.RunReport.RejectedRows;

/**
 * {@code report.html}: the syncs of a period on one page a marketer can open anywhere, a phone
 * included. One self-contained file: its style inline, its charts inline SVG, no script, nothing
 * fetched (its Content-Security-Policy forbids it). Counts only: no email, name, customer_id or
 * hash; every text from a definition or a network is escaped.
 */
public final class HtmlReport {

    /** How many runs the status strip of a destination shows. */
    static final int LAST_RUNS = 14;

    // Okabe-Ito colours, told apart with the common colour blindnesses; yellow is left out, too pale on white
    private static final List<String> COLORS =
            List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999");
    private static final String EXPORTED_COLOR = "#009E73";
    private static final List<String> SKIP_COLORS =
            List.of("#E69F00", "#D55E00", "#CC79A7", "#56B4E9", "#0072B2", "#999999", "#000000", "#F0E442");

    private static final String STYLE = """
            :root{color-scheme:light;--ink:#1d2327;--muted:#5f6b73;--line:#d9dee2;--ok:#1a7f37;--bad:#c62828;--warn:#9a6700}
            *{box-sizing:border-box}
            body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f8f9}
            main{max-width:1100px;margin:0 auto;padding:12px}
            header,article,section>p{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 12px}
            h1{font-size:1.35rem;margin:0 0 4px}h2{font-size:1.15rem;margin:22px 0 8px}h3{font-size:1.05rem;margin:0 0 6px;overflow-wrap:anywhere}
            nav{margin:8px 0 0;font-size:.9rem;display:flex;flex-wrap:wrap;gap:2px 12px}nav a{overflow-wrap:anywhere}
            .muted,figcaption,.legend{color:var(--muted);font-size:.85rem}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:10px}
            figure{margin:0;min-width:0}
            svg.chart{width:100%;height:auto;display:block}
            svg .grid{stroke:#e6e9eb;stroke-width:1}svg .zero{stroke:#9aa5ad}
            svg .tick{font-size:12px;fill:#5f6b73}
            .legend{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:4px 12px}
            .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:baseline}
            .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
            table{border-collapse:collapse;font-size:.88rem;margin:8px 0;min-width:100%}
            th,td{text-align:right;padding:3px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
            th:first-child,td:first-child{text-align:left}th{font-weight:600;color:var(--muted)}
            .status{display:inline-block;padding:0 6px;border-radius:4px;font-size:.8rem;border:1px solid currentColor}
            .ok,.kept{color:var(--ok)}.failed,.tripped,.interrupted{color:var(--bad)}.held,.pending,.below_min_size{color:var(--warn)}
            ol.runs{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px}
            ol.runs li{font-size:.78rem;border:1px solid currentColor;border-radius:4px;padding:1px 5px}
            .error{border-left:4px solid var(--bad);padding:6px 10px;background:#fdf3f3;overflow-wrap:anywhere}
            .todo{border-left:4px solid var(--warn);padding:6px 10px;background:#fdf8ec}
            .bars div{display:flex;align-items:center;gap:8px;font-size:.85rem}
            .bars span:first-child{flex:0 0 6.5em}.bars i{display:block;height:12px;background:#0072B2;border-radius:2px}
            @media (max-width:600px){body{font-size:14px}main{padding:6px}header,article{padding:10px}}
            """;

    private final List<RunReport> runs;
    private final ZoneId zone;
    private final Instant from;
    private final Instant to;
    private final List<String> runIds;
    private final List<String> labels;
    private final List<String> destinations;
    private final StringBuilder page = new StringBuilder();

    private HtmlReport(List<RunReport> runs, ZoneId zone, Instant from, Instant to) {
        this.runs = runs;
        this.zone = zone;
        this.from = from;
        this.to = to;
        this.runIds = runs.stream().map(RunReport::runId).toList();
        DateTimeFormatter day =
                DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH).withZone(zone);
        this.labels =
                runs.stream().map(r -> day.format(Instant.parse(r.asOf()))).toList();
        // the newest run's order first; an audience's delivery may name a destination the run's totals leave out
        Set<String> ids = new LinkedHashSet<>();
        for (int i = runs.size() - 1; i >= 0; i--) {
            ids.addAll(orEmpty(runs.get(i).destinations()).keySet());
            orEmpty(runs.get(i).audiences())
                    .values()
                    .forEach(a -> ids.addAll(orEmpty(a.destinations()).keySet()));
        }
        this.destinations = List.copyOf(ids);
    }

    /**
     * The page for these syncs.
     *
     * @param runs the syncs of the period, oldest first
     * @param zone the zone dates are shown in
     * @param from the period's start, for its title
     * @param to the period's end
     */
    public static String render(List<RunReport> runs, ZoneId zone, Instant from, Instant to) {
        return new HtmlReport(List.copyOf(runs), zone, from, to).page();
    }

    private String page() {
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append(
                        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
                .append("<title>Audience exporter: ")
                .append(date(from))
                .append(" to ")
                .append(date(to))
                .append("</title>")
                .append("<style>\n")
                .append(STYLE)
                .append("</style></head>\n<body><main>\n");
        header();
        if (!runs.isEmpty()) {
            audiences();
            destinationSection();
            latestRun();
        }
        page.append("<p class=\"muted\">Counts only: this page holds no email, name, customer_id or hash. ")
                .append(
                        "Rebuild it with <code>report --since 90d</code>; every run's report.json is in out/runs.</p>\n")
                .append("</main></body></html>\n");
        return page.toString();
    }

    private void header() {
        page.append("<header><h1>Audience exporter</h1><p class=\"muted\">")
                .append(runs.size())
                .append(runs.size() == 1 ? " sync" : " syncs")
                .append(" from ")
                .append(date(from))
                .append(" to ")
                .append(date(to))
                .append("</p>");
        if (runs.isEmpty()) {
            page.append("<p>No sync in this period: nothing to show.</p></header>\n");
            return;
        }
        RunReport last = latest();
        long failed = orEmpty(last.destinations()).values().stream()
                .filter(d -> d.status() == DestinationStatus.FAILED)
                .count();
        GuardrailReport guard = last.guardrails();
        page.append("<p>Latest sync: as of <b>")
                .append(dateTime(last.asOf()))
                .append("</b>, ")
                .append(status(last.status() == null ? null : last.status().code()))
                .append(", ")
                .append(last.seconds())
                .append(" s; destinations failed: ")
                .append(failed);
        if (guard != null) {
            page.append("; guardrails ").append(status(guard.status()));
        }
        page.append("</p><nav>");
        List<String> audiences = audienceIds();
        for (int i = 0; i < audiences.size(); i++) {
            page.append("<a href=\"#audience-")
                    .append(i)
                    .append("\">")
                    .append(Html.escape(audiences.get(i)))
                    .append("</a>");
        }
        page.append("<a href=\"#destinations\">Destinations</a><a href=\"#run\">Latest run</a></nav></header>\n");
    }

    private void audiences() {
        page.append("<h2>Audiences</h2>\n");
        List<String> ids = audienceIds();
        for (int i = 0; i < ids.size(); i++) {
            audience(i, ids.get(i));
        }
    }

    private void audience(int index, String id) {
        List<AudienceReport> perRun =
                runs.stream().map(r -> orEmpty(r.audiences()).get(id)).toList();
        List<String> at = destinations.stream()
                .filter(d -> perRun.stream()
                        .anyMatch(a -> a != null && orEmpty(a.destinations()).containsKey(d)))
                .toList();
        page.append("<article class=\"audience\" id=\"audience-")
                .append(index)
                .append("\" data-audience=\"")
                .append(Html.escape(id))
                .append("\"><h3>")
                .append(Html.escape(id))
                .append("</h3>");
        int lastIndex = lastIndexOf(perRun);
        AudienceReport last = perRun.get(lastIndex);
        page.append("<p>Latest sync (")
                .append(labels.get(lastIndex))
                .append("): <b>")
                .append(Html.count(last.inSegment()))
                .append("</b> in the segment, <b>")
                .append(Html.count(last.exported()))
                .append("</b> exported</p>");

        List<SvgChart.Series> members = new ArrayList<>();
        List<SvgChart.Series> adds = new ArrayList<>();
        List<SvgChart.Series> removes = new ArrayList<>();
        for (String d : at) {
            String color = color(d);
            members.add(new SvgChart.Series(d, color, delivered(perRun, d, AudienceDelivery::held)));
            adds.add(new SvgChart.Series(d, color, delivered(perRun, d, AudienceDelivery::adds)));
            removes.add(new SvgChart.Series(d, color, delivered(perRun, d, AudienceDelivery::removes)));
        }
        List<SvgChart.Series> layers = new ArrayList<>();
        layers.add(new SvgChart.Series(
                "exported",
                EXPORTED_COLOR,
                perRun.stream().map(a -> a == null ? null : a.exported()).toList()));
        List<String> reasons = perRun.stream()
                .filter(a -> a != null)
                .flatMap(a -> orEmpty(a.skipped()).keySet().stream())
                .distinct()
                .sorted()
                .toList();
        for (int r = 0; r < reasons.size(); r++) {
            String reason = reasons.get(r);
            layers.add(new SvgChart.Series(
                    reason,
                    SKIP_COLORS.get(r % SKIP_COLORS.size()),
                    perRun.stream()
                            .map(a -> a == null ? null : orEmpty(a.skipped()).getOrDefault(reason, 0L))
                            .toList()));
        }
        page.append("<div class=\"charts\">");
        figure(
                "Members per destination",
                SvgChart.line("members", id + ": members per destination", runIds, labels, members),
                members);
        figure(
                "Adds (up) and removes (down) per sync",
                SvgChart.addsAndRemoves(id + ": adds and removes per sync", runIds, labels, adds, removes),
                adds);
        figure(
                "Selected by the rule: exported, and skipped by reason",
                SvgChart.stacked("skipped", id + ": exported and skipped by reason", runIds, labels, layers),
                layers);
        page.append("</div>");
        deliveries(id, last);
        audienceGuardrail(id);
        page.append("</article>\n");
    }

    private void figure(String caption, String svg, List<SvgChart.Series> series) {
        page.append("<figure><figcaption>")
                .append(Html.escape(caption))
                .append("</figcaption>")
                .append(svg)
                .append("<ul class=\"legend\">");
        for (SvgChart.Series s : series) {
            page.append("<li><span class=\"swatch\" style=\"background:")
                    .append(s.color())
                    .append("\"></span>")
                    .append(Html.escape(s.name()))
                    .append("</li>");
        }
        page.append("</ul></figure>");
    }

    /** The latest sync's delivery at each destination, and the network's latest match rate. */
    private void deliveries(String id, AudienceReport last) {
        page.append(
                        "<div class=\"scroll\"><table class=\"deliveries\"><tr><th>Destination</th><th>Status</th><th>Members</th>")
                .append("<th>Adds</th><th>Removes</th><th>Failed</th><th>Match rate</th></tr>");
        orEmpty(last.destinations()).forEach((d, delivery) -> {
            page.append("<tr data-destination=\"")
                    .append(Html.escape(d))
                    .append("\"><td>")
                    .append(Html.escape(d))
                    .append("</td><td>")
                    .append(status(delivery.status().code()))
                    .append("</td><td>")
                    .append(Html.count(delivery.held()))
                    .append("</td><td>")
                    .append(Html.count(delivery.adds()))
                    .append("</td><td>")
                    .append(Html.count(delivery.removes()))
                    .append("</td><td>")
                    .append(Html.count(delivery.failed()))
                    .append("</td><td>")
                    .append(matchRate(id, d))
                    .append("</td></tr>");
        });
        page.append("</table></div>");
    }

    /** Google's match rate range of the latest sync that had one, with its date; a dash where none is known. */
    private String matchRate(String audience, String destination) {
        for (int i = runs.size() - 1; i >= 0; i--) {
            AudienceReport a = orEmpty(runs.get(i).audiences()).get(audience);
            AudienceDelivery d = a == null ? null : orEmpty(a.destinations()).get(destination);
            if (d != null && d.matchRate() != null && !d.matchRate().isEmpty()) {
                return "<span class=\"match-rate\">" + Html.escape(d.matchRate()) + "</span> <span class=\"muted\">("
                        + labels.get(i) + ")</span>";
            }
        }
        return "–";
    }

    private void audienceGuardrail(String id) {
        GuardrailReport guard = latest().guardrails();
        AudienceShrink shrink =
                guard == null ? null : orEmpty(guard.audienceShrink()).get(id);
        if (shrink == null) {
            return;
        }
        page.append("<p class=\"guardrail\">Guardrail, latest sync: largest loss at ")
                .append(Html.escape(shrink.destination()))
                .append(", ")
                .append(Html.count(shrink.before()))
                .append(" → ")
                .append(Html.count(shrink.after()))
                .append(" members (")
                .append(percent(shrink.share()))
                .append(" lost");
        Number limit = orEmpty(guard.limits()).get("max_audience_shrink");
        if (limit != null) {
            page.append(", limit ").append(percent(limit.doubleValue()));
        }
        page.append(") ")
                .append(status(shrink.accepted() ? "accepted" : shrink.tripped() ? "held" : "ok"))
                .append("</p>");
        if (shrink.tripped() && !shrink.accepted()) {
            page.append(
                            "<p class=\"todo\">What to do: the audience was kept at what it was. If the loss is intended, run ")
                    .append("<code>sync --accept-shrink ")
                    .append(Html.escape(id))
                    .append("</code>; if not, look for what ")
                    .append("changed in the input files.</p>");
        }
    }

    private void destinationSection() {
        page.append("<h2 id=\"destinations\">Destinations</h2>\n");
        for (String d : destinations) {
            destination(d);
        }
    }

    private void destination(String id) {
        String type = "";
        for (RunReport r : runs) {
            DestinationReport d = orEmpty(r.destinations()).get(id);
            type = d == null ? type : nullToEmpty(d.type());
        }
        page.append("<article class=\"destination\" data-destination=\"")
                .append(Html.escape(id))
                .append("\"><h3>")
                .append(Html.escape(id))
                .append(" <span class=\"muted\">")
                .append(Html.escape(type))
                .append("</span></h3><p class=\"muted\">Last ")
                .append(Math.min(LAST_RUNS, runs.size()))
                .append(" syncs, newest last:</p><ol class=\"runs\">");
        for (int i = Math.max(0, runs.size() - LAST_RUNS); i < runs.size(); i++) {
            DestinationReport d = orEmpty(runs.get(i).destinations()).get(id);
            String s = d == null ? "not run" : d.status().code();
            page.append("<li class=\"")
                    .append(Html.escape(s.replace(' ', '_')))
                    .append("\" data-run=\"")
                    .append(Html.escape(runIds.get(i)))
                    .append("\" data-status=\"")
                    .append(Html.escape(s))
                    .append("\">")
                    .append(labels.get(i))
                    .append(" ")
                    .append(Html.escape(s))
                    .append("</li>");
        }
        page.append("</ol>");
        pending(id);
        lastError(id, type);
        page.append("</article>\n");
    }

    /** Audiences whose upload the network was still processing at the latest sync. */
    private void pending(String id) {
        List<String> pending = new ArrayList<>();
        orEmpty(latest().audiences()).forEach((audience, a) -> {
            AudienceDelivery d = orEmpty(a.destinations()).get(id);
            if (d != null && d.status() == AudienceStatus.PENDING) {
                pending.add(audience);
            }
        });
        page.append("<p class=\"pending-requests\" data-pending=\"")
                .append(pending.size())
                .append("\">Pending requests: ")
                .append(pending.size());
        if (!pending.isEmpty()) {
            page.append(" (")
                    .append(Html.escape(String.join(", ", pending)))
                    .append("). The network is still processing ")
                    .append("them; the next sync asks again. Nothing to do unless they stay pending for days.");
        }
        page.append("</p>");
    }

    /** The newest failure at this destination in the period, with what to do about it. */
    private void lastError(String id, String type) {
        for (int i = runs.size() - 1; i >= 0; i--) {
            RunReport r = runs.get(i);
            DestinationReport d = orEmpty(r.destinations()).get(id);
            String message = d != null && d.status() == DestinationStatus.FAILED ? nullToEmpty(d.message()) : null;
            String audience = null;
            for (Map.Entry<String, AudienceReport> a : orEmpty(r.audiences()).entrySet()) {
                AudienceDelivery delivery = orEmpty(a.getValue().destinations()).get(id);
                if (delivery != null && delivery.status() == AudienceStatus.FAILED) {
                    audience = a.getKey();
                    message = message == null || message.isEmpty() ? nullToEmpty(delivery.message()) : message;
                    break;
                }
            }
            if (message == null) {
                continue;
            }
            page.append("<div class=\"error\" data-run=\"")
                    .append(Html.escape(r.runId()))
                    .append("\"><b>Last error</b> (")
                    .append(dateTime(r.asOf()))
                    .append(audience == null ? "" : ", audience " + Html.escape(audience))
                    .append("): ")
                    .append(Html.message(message.isEmpty() ? "no message" : message))
                    .append("</div>")
                    .append(
                            "<p class=\"todo\">What to do: nothing sent is lost; what the network did not confirm stays out ")
                    .append("of the sync state and goes again with the next sync. Fix what the message names: ")
                    .append(
                            "<code>check</code> tests this destination's settings and credentials, and the documentation's ")
                    .append("\"Errors and what to do\" for ")
                    .append(type.isEmpty() ? "its type" : Html.escape(type))
                    .append(" explains its messages.")
                    .append(i == runs.size() - 1 ? "" : " Syncs since then did not fail here.")
                    .append("</p>");
            return;
        }
        page.append("<p class=\"no-error\">No error in these syncs.</p>");
    }

    private void latestRun() {
        RunReport last = latest();
        page.append("<h2 id=\"run\">The latest run</h2>\n<article class=\"run\" data-run=\"")
                .append(Html.escape(last.runId()))
                .append("\"><p>As of ")
                .append(dateTime(last.asOf()))
                .append(", started ")
                .append(dateTime(last.startedAt()))
                .append(", ")
                .append(last.seconds())
                .append(" s.</p>");
        inputs(last);
        if (last.customers() != null) {
            RunReport.CustomerReport c = last.customers();
            page.append("<p class=\"customers\">customers.csv: ")
                    .append(Html.count(c.rows()))
                    .append(" rows, ")
                    .append(Html.count(c.rejected()))
                    .append(" rejected, ")
                    .append(Html.count(c.exportable()))
                    .append(" exportable");
            orEmpty(c.skipped())
                    .forEach((reason, n) ->
                            page.append(", ").append(Html.count(n)).append(' ').append(Html.escape(reason)));
            page.append("</p>");
        }
        runGuardrails(last.guardrails());
        timings(orEmpty(last.timings()));
        page.append("</article>\n");
    }

    /** Rows read and rejected per input file. */
    private void inputs(RunReport last) {
        page.append(
                        "<div class=\"scroll\"><table class=\"inputs\"><tr><th>Input file</th><th>Rows</th><th>Rejected</th>")
                .append("<th>Unknown customer</th><th>After as_of</th></tr>");
        if (last.sources() != null) {
            last.sources()
                    .forEach((file, s) -> inputRow(
                            file,
                            s.present() ? Html.count(s.records()) : "absent",
                            s.rejected(),
                            s.unknownCustomer(),
                            s.afterAsOf()));
        } else {
            // a sync of what a Spark build computed: the build's rejected rows are all it knows
            orEmpty(last.rejected()).forEach((file, n) -> inputRow(file, "–", n, null, null));
        }
        page.append("</table></div>");
    }

    private void inputRow(String file, String rows, long rejected, Long unknown, Long afterAsOf) {
        page.append("<tr data-file=\"")
                .append(Html.escape(file))
                .append("\" data-rejected=\"")
                .append(rejected)
                .append("\"><td>")
                .append(Html.escape(file))
                .append("</td><td>")
                .append(rows)
                .append("</td><td>")
                .append(Html.count(rejected))
                .append("</td><td>")
                .append(unknown == null ? "–" : Html.count(unknown))
                .append("</td><td>")
                .append(afterAsOf == null ? "–" : Html.count(afterAsOf))
                .append("</td></tr>");
    }

    private void runGuardrails(GuardrailReport guard) {
        if (guard == null) {
            return;
        }
        Map<String, Number> limits = orEmpty(guard.limits());
        page.append("<p class=\"guardrails\">Guardrails ").append(status(guard.status()));
        if (guard.exportableDrop() != null) {
            RunReport.ExportableDrop drop = guard.exportableDrop();
            page.append(". Exportable customers: ").append(Html.count(drop.now()));
            if (drop.lastSync() != null) {
                page.append(" (last sync ")
                        .append(Html.count(drop.lastSync()))
                        .append(", drop ")
                        .append(percent(drop.share()));
                if (limits.get("max_exportable_drop") != null) {
                    page.append(", limit ")
                            .append(percent(limits.get("max_exportable_drop").doubleValue()));
                }
                page.append(')');
            }
        }
        for (Map.Entry<String, RejectedRows> f : orEmpty(guard.rejectedRows()).entrySet()) {
            if (f.getValue().rejected() > 0) {
                page.append(". ")
                        .append(Html.escape(f.getKey()))
                        .append(": ")
                        .append(percent(f.getValue().share()))
                        .append(" of rows rejected");
            }
        }
        page.append(".</p>");
        for (String message : guard.messages() == null ? List.<String>of() : guard.messages()) {
            page.append("<p class=\"todo\">").append(Html.message(message)).append("</p>");
        }
    }

    private void timings(Map<String, Double> timings) {
        double longest =
                timings.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        page.append("<p class=\"muted\">Stage timings (seconds)</p><div class=\"bars timings\">");
        timings.forEach((stage, s) -> page.append("<div data-stage=\"")
                .append(Html.escape(stage))
                .append("\" data-seconds=\"")
                .append(s)
                .append("\"><span>")
                .append(Html.escape(stage))
                .append("</span><i style=\"width:")
                .append(longest <= 0 ? 0 : Math.max(1, Math.round(60 * s / longest)))
                .append("%\"></i><span>")
                .append(Html.decimals(s, 3))
                .append("</span></div>"));
        page.append("</div>");
    }

    private List<String> audienceIds() {
        Set<String> ids = new LinkedHashSet<>(orEmpty(latest().audiences()).keySet());
        runs.forEach(r -> ids.addAll(orEmpty(r.audiences()).keySet()));
        return List.copyOf(ids);
    }

    private static List<Long> delivered(
            List<AudienceReport> perRun, String destination, Function<AudienceDelivery, Long> figure) {
        List<Long> values = new ArrayList<>();
        for (AudienceReport a : perRun) {
            AudienceDelivery d = a == null ? null : orEmpty(a.destinations()).get(destination);
            values.add(d == null ? null : figure.apply(d));
        }
        return values;
    }

    private static int lastIndexOf(List<AudienceReport> perRun) {
        for (int i = perRun.size() - 1; i >= 0; i--) {
            if (perRun.get(i) != null) {
                return i;
            }
        }
        throw new IllegalStateException("an audience of no run");
    }

    private RunReport latest() {
        return runs.get(runs.size() - 1);
    }

    private String color(String destination) {
        return COLORS.get(destinations.indexOf(destination) % COLORS.size());
    }

    private static String status(String status) {
        String s = Html.escape(status);
        return "<span class=\"status " + s + "\">" + s + "</span>";
    }

    /** A share in percent, with a second decimal below 1 % so that a few rejected rows do not read as none. */
    private static String percent(double share) {
        return Html.decimals(share * 100, share > 0 && share < 0.01 ? 2 : 1) + " %";
    }

    private String date(Instant instant) {
        return DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH)
                .withZone(zone)
                .format(instant);
    }

    private String dateTime(String instant) {
        return DateTimeFormatter.ofPattern("d MMM uuuu HH:mm", Locale.ENGLISH)
                .withZone(zone)
                .format(Instant.parse(instant));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
