package se.nestit.audience.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.htmlunit.BrowserVersion;
import org.htmlunit.ScriptException;
import org.htmlunit.StringWebResponse;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.WebResponseData;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.SilentJavaScriptErrorListener;
import org.htmlunit.util.WebConnectionWrapper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A month of nightly syncs of the sample data, each with its own {@code --as-of}, then the run
 * history and {@code report.html} they leave, opened in HtmlUnit's browser engine and read with jsoup.
 */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate FIRST = LocalDate.parse("2026-10-23");
    private static final int NIGHTS = 11;
    private static final Pattern RUN_NAME = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z-(sync|plan)-[0-9a-f-]{36}");

    @TempDir
    static Path tmp;

    private static Path out;
    /** The syncs' reports as out/runs keeps them, by the nights they were run for. */
    private static final List<JsonNode> syncs = new ArrayList<>();

    @BeforeAll
    static void aMonthOfNights() throws IOException {
        out = tmp.resolve("out");
        for (int night = 0; night < NIGHTS; night++) {
            Cli.Result r = run("sync", "--as-of", FIRST.plusDays(3L * night).toString());
            assertEquals(0, r.exitCode(), r.out() + r.err());
        }
        try (Stream<Path> runs = Files.list(out.resolve("runs")).sorted()) {
            for (Path run : runs.toList()) {
                syncs.add(JSON.readTree(run.resolve("report.json").toFile()));
            }
        }
        syncs.sort(Comparator.comparing(r -> Instant.parse(r.get("as_of").asText())));
    }

    private static Cli.Result run(String... args) {
        return run(out, args);
    }

    private static Cli.Result run(Path outDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", "conf/exporter.yaml", "--out", outDir.toString()));
        if (!args[0].equals("report")) {
            // each output directory its own state: the guardrails compare a sync with the last one there
            all.addAll(List.of(
                    "--state",
                    outDir.resolveSibling(outDir.getFileName() + "-state").toString(),
                    "--no-progress"));
        }
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void everySyncKeepsItsReportAndRejectsAndReportJsonIsTheLatest() throws IOException {
        assertEquals(NIGHTS, syncs.size());
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            for (Path run : runs.toList()) {
                assertTrue(RUN_NAME.matcher(run.getFileName().toString()).matches(), run.toString());
                assertTrue(Files.isRegularFile(run.resolve("rejects.csv")), run + " keeps its rejects");
            }
        }
        for (int night = 0; night < NIGHTS; night++) {
            assertEquals(
                    FIRST.plusDays(3L * night) + "T00:00:00Z",
                    toUtcDay(syncs.get(night).get("as_of").asText()));
        }
        assertEquals(
                syncs.get(NIGHTS - 1), JSON.readTree(out.resolve("report.json").toFile()));
    }

    // the sample config's zone is Stockholm: a date's midnight there is 22:00 or 23:00 UTC the day before
    private static String toUtcDay(String asOf) {
        return Instant.parse(asOf).atZone(ZoneId.of("Europe/Stockholm")).toLocalDate() + "T00:00:00Z";
    }

    @Test
    void planWritesPlanJsonAndLeavesTheSyncsReportAndPageAlone() throws IOException {
        Path plans = tmp.resolve("plan-out");
        assertEquals(0, run(plans, "sync", "--as-of", "2026-11-20").exitCode());
        byte[] report = Files.readAllBytes(plans.resolve("report.json"));
        byte[] html = Files.readAllBytes(plans.resolve("report.html"));

        Cli.Result r = run(plans, "plan", "--as-of", "2026-11-22");

        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertArrayEquals(report, Files.readAllBytes(plans.resolve("report.json")), "plan leaves the sync's report");
        assertArrayEquals(html, Files.readAllBytes(plans.resolve("report.html")));
        JsonNode plan = JSON.readTree(plans.resolve("plan.json").toFile());
        assertEquals("plan", plan.get("command").asText());
        try (Stream<Path> runs = Files.list(plans.resolve("runs"))) {
            List<String> names =
                    runs.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), names.toString());
            Path planRun = plans.resolve("runs")
                    .resolve(names.stream()
                            .filter(n -> n.contains("-plan-"))
                            .findFirst()
                            .orElseThrow());
            assertEquals(plan, JSON.readTree(planRun.resolve("report.json").toFile()));
            assertTrue(
                    planRun.getFileName().toString().endsWith(plan.get("run_id").asText()));
        }
    }

    @Test
    void verifyKeepsItsReportInTheHistoryWhichThePageLeavesOut() throws IOException {
        Path verified = tmp.resolve("verify-out");
        assertEquals(0, run(verified, "sync", "--as-of", "2026-11-22").exitCode());

        assertEquals(0, run(verified, "verify", "--as-of", "2026-11-22").exitCode());

        try (Stream<Path> runs = Files.list(verified.resolve("runs"))) {
            Path verify = runs.filter(p -> p.getFileName().toString().contains("-verify-"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(
                    JSON.readTree(verified.resolve("verify.json").toFile()),
                    JSON.readTree(verify.resolve("report.json").toFile()));
        }
        assertEquals(0, run(verified, "report", "--as-of", "2026-11-22").exitCode());
        assertEquals(
                1,
                Jsoup.parse(verified.resolve("report.html").toFile())
                        .select("ol.runs")
                        .first()
                        .children()
                        .size());
    }

    @Test
    void theReportCommandRebuildsThePageFromTheHistoryForItsPeriod() throws IOException {
        byte[] written = Files.readAllBytes(out.resolve("report.html"));
        Files.delete(out.resolve("report.html"));

        Cli.Result r = run(
                "report",
                "--since",
                "90d",
                "--as-of",
                FIRST.plusDays(3L * (NIGHTS - 1)).toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains(NIGHTS + " syncs of the last 90 days"), r.out());
        assertArrayEquals(written, Files.readAllBytes(out.resolve("report.html")), "the page a sync writes, rebuilt");

        Cli.Result week = run(
                "report",
                "--since",
                "7d",
                "--as-of",
                FIRST.plusDays(3L * (NIGHTS - 1)).toString());
        assertTrue(week.out().contains("3 syncs of the last 7 days"), week.out());
        assertEquals(
                3,
                Jsoup.parse(out.resolve("report.html").toFile())
                        .select("ol.runs")
                        .first()
                        .children()
                        .size());

        assertEquals(2, run("report", "--since", "ninety").exitCode(), "a period that is not days is bad usage");
        Files.write(out.resolve("report.html"), written);
    }

    @Test
    void theBrowserLoadsOnlyThePageRunsNoFailingScriptAndChartsShowTheReportsFigures() throws IOException {
        String html = Files.readString(out.resolve("report.html"));
        URL url = new URL("http://report.invalid/report.html");
        List<String> requested = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        try (WebClient browser = new WebClient(BrowserVersion.FIREFOX)) {
            browser.getOptions().setJavaScriptEnabled(true);
            browser.getOptions().setCssEnabled(true);
            browser.getOptions().setDownloadImages(true);
            browser.setJavaScriptErrorListener(new SilentJavaScriptErrorListener() {
                @Override
                public void scriptException(HtmlPage page, ScriptException e) {
                    errors.add(e.getMessage());
                }
            });
            // every request the page makes passes here; only the page itself is answered
            new WebConnectionWrapper(browser) {
                @Override
                public WebResponse getResponse(WebRequest request) {
                    requested.add(request.getUrl().toString());
                    if (request.getUrl().equals(url)) {
                        return new StringWebResponse(html, StandardCharsets.UTF_8, url);
                    }
                    return new WebResponse(new WebResponseData(new byte[0], 404, "Not Found", List.of()), request, 0);
                }
            };
            HtmlPage page = browser.getPage(url);
            browser.waitForBackgroundJavaScript(1000);

            assertEquals(List.of(url.toString()), requested, "the page fetches nothing");
            assertEquals(List.of(), errors);
            assertTrue(page.getTitleText().startsWith("Audience exporter"), page.getTitleText());

            Map<String, String> shown = new HashMap<>();
            for (DomElement mark : page.<DomElement>getByXPath("//*[@data-value]")) {
                DomElement chart = (DomElement) mark.getParentNode();
                DomElement article =
                        (DomElement) chart.getParentNode().getParentNode().getParentNode();
                shown.put(
                        key(
                                article.getAttribute("data-audience"),
                                chart.getAttribute("data-chart"),
                                mark.getAttribute("data-kind"),
                                mark.getAttribute("data-series"),
                                mark.getAttribute("data-run")),
                        mark.getAttribute("data-value"));
            }
            int checked = 0;
            for (JsonNode report : syncs) {
                String run = report.get("run_id").asText();
                for (Map.Entry<String, JsonNode> a : report.get("audiences").properties()) {
                    String audience = a.getKey();
                    assertEquals(
                            a.getValue().get("exported").asText(),
                            shown.get(key(audience, "skipped", "layer", "exported", run)),
                            audience + " exported " + run);
                    for (Map.Entry<String, JsonNode> s :
                            a.getValue().get("skipped").properties()) {
                        String value = shown.get(key(audience, "skipped", "layer", s.getKey(), run));
                        assertEquals(
                                s.getValue().asLong() == 0 ? null : s.getValue().asText(),
                                value,
                                audience + " " + s.getKey() + " " + run);
                    }
                    for (Map.Entry<String, JsonNode> d :
                            a.getValue().get("destinations").properties()) {
                        JsonNode delivery = d.getValue();
                        assertEquals(
                                delivery.path("held").asText("0"),
                                shown.get(key(audience, "members", "", d.getKey(), run)));
                        assertEquals(
                                delivery.path("adds").asText("0"),
                                shown.get(key(audience, "adds-removes", "adds", d.getKey(), run)));
                        assertEquals(
                                delivery.path("removes").asText("0"),
                                shown.get(key(audience, "adds-removes", "removes", d.getKey(), run)));
                        checked++;
                    }
                }
            }
            assertTrue(checked > NIGHTS * 6, "every audience at every destination on every night: " + checked);
        }
    }

    private static String key(String... parts) {
        return String.join("|", parts);
    }

    @Test
    void thePageShowsTheLatestRunsInputsTimingsAndDestinations() throws IOException {
        Document page = Jsoup.parse(out.resolve("report.html").toFile());
        JsonNode last = syncs.get(NIGHTS - 1);

        assertEquals(6, page.select("article.audience").size());
        assertEquals(
                List.of("files", "google-files", "meta-files"),
                page.select("article.destination").eachAttr("data-destination"));
        for (Element strip : page.select("ol.runs")) {
            assertEquals(NIGHTS, strip.children().size());
            assertEquals(
                    List.of("ok"),
                    strip.children().eachAttr("data-status").stream().distinct().toList());
        }
        Element run = page.selectFirst("article.run");
        assertNotNull(run);
        assertEquals(last.get("run_id").asText(), run.attr("data-run"));
        for (Map.Entry<String, JsonNode> f : last.get("sources").properties()) {
            Element row = run.selectFirst("tr[data-file=" + f.getKey() + "]");
            assertNotNull(row, f.getKey());
            assertEquals(f.getValue().get("rejected").asText(), row.attr("data-rejected"));
        }
        for (Map.Entry<String, JsonNode> t : last.get("timings").properties()) {
            Element stage = run.selectFirst("[data-stage=" + t.getKey() + "]");
            assertNotNull(stage, t.getKey());
            assertEquals(t.getValue().asDouble(), Double.parseDouble(stage.attr("data-seconds")));
        }
        // nothing is fetched: no script, style sheet, image, frame or font from anywhere
        assertTrue(page.select("script, link, img, iframe, object, embed, image, use, [src]")
                .isEmpty());
        assertTrue(page.select("a[href]").eachAttr("href").stream().allMatch(h -> h.startsWith("#")));
        assertFalse(page.select("style").html().contains("url("));
    }

    @Test
    void thePageHoldsNoEmailNameCustomerIdOrHash() throws IOException {
        String html = Files.readString(out.resolve("report.html"));
        String text = Jsoup.parse(html).text();
        List<String> customers = Files.readAllLines(Path.of("conf/sample-data/customers.csv"));
        // names as whole words, case and all ("Per" is a name, "per destination" is not); ids and emails anywhere
        Set<String> words = new HashSet<>(List.of((html + " " + text).split("[^\\p{L}\\p{N}]+")));
        String lower = (html + " " + text).toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String line : customers.subList(1, customers.size())) {
            String[] cells = line.split(",");
            String email = cells[1].strip().toLowerCase(Locale.ROOT);
            if ((html + text).contains(cells[0]) || (!email.isEmpty() && lower.contains(email))) {
                found.add(cells[0]);
            }
            for (String name : List.of(cells[2], cells[3])) {
                if (Stream.of(name.split("[^\\p{L}\\p{N}]+")).anyMatch(words::contains)) {
                    found.add(name);
                }
            }
        }
        assertEquals(List.of(), found);
        assertFalse(Pattern.compile("[0-9a-f]{64}").matcher(html).find(), "no hash");
    }
}
